/**
 * One writer process of the invoice-number race, run as `node --import tsx invoiceChild.ts <stream>
 * <eventId> <invoiceNumber>` with DATABASE_URL set: it opens its own pool, prints `ready`, waits for
 * a line on standard input (so that racing writers start together), issues the invoice through the
 * retrying command handler, and prints the outcome: `accepted` or the refusal's `_tag`.
 */
import { createInterface } from 'node:readline';
import { commandHandler, type Decider } from '@msp-billing/store';
import { invoiceTestEvent } from '@msp-billing/store/contract-suite';
import { PostgresEventStore } from '../../src/index.js';

const main = async (): Promise<void> => {
  const [stream = '', eventId = '', invoiceNumber = ''] = process.argv.slice(2);
  const store = await PostgresEventStore.create({
    connectionString: process.env.DATABASE_URL ?? '',
    maxConnections: 2,
  });
  try {
    // The number looked free when this writer decided: the store alone can refuse it.
    const decider: Decider<string, number, void, never> = {
      decide: (n) => ({ _tag: 'Right', right: [invoiceTestEvent(eventId, stream, n)] }),
      evolve: (k) => k + 1,
      initialState: 0,
    };
    const handle = commandHandler(store, decider);
    process.stdout.write('ready\n');
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    lines.close();
    const outcome = await handle(stream, invoiceNumber);
    process.stdout.write(`${outcome._tag === 'Right' ? 'accepted' : outcome.left._tag}\n`);
  } finally {
    await store.close();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
