/**
 * A projection process for the crash test, run as `node --import tsx projectionChild.ts <name>
 * <ticketPrefix> <stopAtPosition> <slowMs>` with DATABASE_URL set. It prints `wrote` each time a
 * batch's rows are written but not yet committed (the moment the test kills it) and `done` at the end.
 */
import { Pool } from 'pg';
import { runPostgresProjection } from '../../src/index.js';
import { minutesHandler } from './minutesProjection.js';

const main = async (): Promise<void> => {
  const [name = '', prefix = '', stopAt = '0', slowMs = '0'] = process.argv.slice(2);
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  try {
    await runPostgresProjection({
      pool,
      name,
      batchSize: 10,
      stopAtPosition: BigInt(stopAt),
      pollIntervalMs: 20,
      handle: minutesHandler(name, prefix, Number(slowMs), () => process.stdout.write('wrote\n')),
    });
  } finally {
    await pool.end();
  }
  process.stdout.write('done\n');
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
