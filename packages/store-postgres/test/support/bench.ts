/**
 * Store throughput, for the numbers in docs/stores.md. Run from the repository root:
 *   npx tsx packages/store-postgres/test/support/bench.ts
 * Uses DATABASE_URL when set, else a throwaway server (fsync off: an upper bound, not production).
 */
import type { DomainEvent } from '@msp-billing/events';
import { InMemoryEventStore, type EventStore } from '@msp-billing/store';
import { contractTestEvent } from '@msp-billing/store/contract-suite';
import { PostgresEventStore } from '../../src/index.js';
import { startThrowawayPostgres } from './pgServer.js';

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;

const timed = async (label: string, n: number, work: () => Promise<void>): Promise<void> => {
  const t = performance.now();
  await work();
  console.log(`${label.padEnd(58)} ${rate(n, performance.now() - t)}`);
};

const events = (tag: string, n: number): DomainEvent[] =>
  Array.from({ length: n }, (_, i) => contractTestEvent(`${tag}-${i}`, `c${i % 100}`));

const suite = async (name: string, store: EventStore, scale: number): Promise<void> => {
  const tag = `${name}-${Date.now()}`;
  const single = events(`${tag}-s`, scale);
  await timed(`${name}: 1 writer, 1 event per append (events)`, scale, async () => {
    for (let i = 0; i < single.length; i++)
      await store.appendToStream(`contract-${tag}-s${i % 100}`, [single[i] as DomainEvent], 'any');
  });
  const conc = events(`${tag}-c`, scale);
  await timed(`${name}: 8 writers, own streams, 1 event per append (events)`, scale, async () => {
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < conc.length; i += 8)
          await store.appendToStream(`contract-${tag}-c${w}`, [conc[i] as DomainEvent], 'any');
      }),
    );
  });
  const batched = events(`${tag}-b`, scale * 10);
  await timed(`${name}: 1 writer, 100 events per append (events)`, batched.length, async () => {
    for (let i = 0; i < batched.length; i += 100)
      await store.appendToStream(`contract-${tag}-b${(i / 100) % 10}`, batched.slice(i, i + 100), 'any');
  });
  let total = 0;
  await timed(`${name}: readAll, pages of 1000 (events)`, scale * 12, async () => {
    for (let from: bigint | undefined; ;) {
      const page = await store.readAll(
        from === undefined ? { batchSize: 1000 } : { fromPosition: from, batchSize: 1000 },
      );
      if (page.length === 0) break;
      total += page.length;
      from = page.at(-1)?.position;
    }
  });
  console.log(`${name}: (read ${total} events in all)`);
};

const main = async (): Promise<void> => {
  const memory = new InMemoryEventStore();
  await suite('memory', memory, 100_000);
  const big = events('big', 1_000_000);
  await timed('memory: 1 000 000 single-event appends to 10 000 streams', big.length, async () => {
    for (let i = 0; i < big.length; i++)
      await memory.appendToStream(`contract-big-${i % 10_000}`, [big[i] as DomainEvent], 'any');
  });
  const server =
    process.env.DATABASE_URL === undefined ? await startThrowawayPostgres('msp_bench') : undefined;
  const store = await PostgresEventStore.create({
    connectionString: process.env.DATABASE_URL ?? server?.url ?? '',
    maxConnections: 10,
  });
  try {
    await suite('postgres', store, 2_000);
  } finally {
    await store.close();
    await server?.stop();
  }
};

await main();
