/**
 * A read-model worker process for the crash test, run as `node --import tsx readModelChild.ts
 * <slowMs> [snapshotEvery]` with DATABASE_URL set (with snapshotEvery, the worker stores and starts
 * from snapshots of its state). With slowMs > 0 it prints `wrote` each time a batch's rows are
 * written but not yet committed, then waits slowMs before the commit (the moment the test kills it);
 * it prints `done` once caught up.
 */
import { Pool } from 'pg';
import { runPostgresProjection } from '../../src/index.js';
import { readModelWorker } from '../../src/readModel.js';

const main = async (): Promise<void> => {
  const slowMs = Number(process.argv[2] ?? '0');
  const every = process.argv[3];
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  try {
    const worker = readModelWorker(
      undefined,
      {},
      every === undefined ? undefined : { pool, every: Number(every) },
    );
    await runPostgresProjection({
      pool,
      name: worker.name,
      batchSize: 50,
      stopWhenCaughtUp: true,
      streams: worker.streams,
      handle: async (client, records, batch) => {
        await worker.handle(client, records, batch);
        if (slowMs === 0) return;
        process.stdout.write('wrote\n');
        await new Promise((resolve) => setTimeout(resolve, slowMs));
      },
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
