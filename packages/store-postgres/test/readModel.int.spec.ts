/**
 * The SQL read model against a real PostgreSQL: after every committed batch its tables equal what a
 * Ledger of the log up to that batch answers, row for row; n partitioned workers together hold the
 * same rows as one (n = 1, 2, 4), on random logs and on a realistic generated one; rate-card changes
 * reach every contract on the card; a worker rebuilt mid-log continues where it stopped.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, WireEvent } from '@msp-billing/events';
import { importEvents, type RecordedEvent } from '@msp-billing/store';
import { arbitraryLog, decodeAll, generateScenario, scenarioForEventCount } from '@msp-billing/testing';
import {
  PostgresEventStore,
  parsePartition,
  partitionOfContract,
  runPostgresProjection,
  runReadModel,
  type Partition,
} from '../src/index.js';
import { readModelWorker } from '../src/readModel.js';
import { expectedTables, readModelDatabase, readTables, resetReadModel } from './support/readModelTables.js';

const numRuns = Number(process.env['MSP_READ_MODEL_RUNS'] ?? 25);

describe('partitions', () => {
  it('a contract hashes by 32-bit FNV-1a of its UTF-8 bytes, modulo n', () => {
    // FNV-1a values worked out separately: c-1 → 1244703572, k0-c → 3888560686, k1-c → 763557029,
    // Müller-7 → 452760860.
    expect([2, 4].map((n) => partitionOfContract('c-1', n))).toEqual([0, 0]);
    expect([2, 4].map((n) => partitionOfContract('k0-c', n))).toEqual([0, 2]);
    expect([2, 4].map((n) => partitionOfContract('k1-c', n))).toEqual([1, 1]);
    expect(partitionOfContract('Müller-7', 1_000_000)).toBe(452760860 % 1_000_000);
    expect(partitionOfContract('anything', 1)).toBe(0);
  });

  it('i/n is read as worker i of n, and nothing else is', () => {
    expect(parsePartition('1/4')).toEqual(E.right({ index: 1, count: 4 }));
    expect(parsePartition('0/1')).toEqual(E.right({ index: 0, count: 1 }));
    expect(E.isLeft(parsePartition('4/4'))).toBe(true);
    expect(E.isLeft(parsePartition('0/0'))).toBe(true);
    expect(E.isLeft(parsePartition('1'))).toBe(true);
    expect(E.isLeft(parsePartition('-1/2'))).toBe(true);
  });
});

describe('the SQL read model', () => {
  let close: (() => Promise<void>) | undefined;
  let store: PostgresEventStore;
  let pool: Pool;
  beforeAll(async () => {
    ({ store, close } = await readModelDatabase());
    pool = store.pool;
  });
  afterAll(async () => {
    await close?.();
  });

  /** Replace the store's content with `events`; returns them as recorded (with their positions). */
  const load = async (events: readonly DomainEvent[]): Promise<RecordedEvent[]> => {
    await pool.query('TRUNCATE msp_events');
    await resetReadModel(pool);
    await importEvents(store, events, { batchSize: 97 });
    const all: RecordedEvent[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll({ fromPosition: from, batchSize: 1000 });
      if (page.length === 0) return all;
      all.push(...page);
      from = (page.at(-1) as RecordedEvent).position;
    }
  };

  /** Run n workers side by side until caught up. */
  const runWorkers = async (count: number, batchSize: number): Promise<void> => {
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        runReadModel({ pool, partition: { index, count }, batchSize, stopWhenCaughtUp: true }),
      ),
    );
  };

  const check = async (events: readonly DomainEvent[], batchSize: number): Promise<void> => {
    const recorded = await load(events);
    const inOrder = recorded.map((r) => r.event);
    // One worker, one batch at a time: after each commit the tables are the Ledger's answers.
    const worker = readModelWorker();
    for (let k = batchSize; k < recorded.length + batchSize; k += batchSize) {
      const upTo = Math.min(k, recorded.length);
      await runPostgresProjection({
        pool,
        ...worker,
        batchSize,
        stopAtPosition: (recorded[upTo - 1] as RecordedEvent).position,
      });
      expect(await readTables(pool)).toEqual(expectedTables(inOrder.slice(0, upTo)));
    }
    const whole = expectedTables(inOrder);
    // Partitioned, from scratch: together they hold the single worker's rows.
    for (const count of [2, 4]) {
      await resetReadModel(pool);
      await runWorkers(count, batchSize);
      expect(await readTables(pool)).toEqual(whole);
    }
  };

  it('after every batch equals the Ledger; 1, 2 and 4 workers hold the same rows (random logs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryLog({ minContracts: 1, maxContracts: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (wire, batchSize) => check(decodeAll(wire), batchSize),
      ),
      { numRuns },
    );
  }, 300_000);

  it('a rate change reaches every contract on the card, in every partition (shared rate cards)', async () => {
    // All contracts on one card: each contract's rates now reprice every other contract's work.
    // The second and later publications of the card are refused, alike in every worker.
    const shared = (wire: readonly WireEvent[]): WireEvent[] =>
      wire.map((w) => {
        const data = w.data as Record<string, unknown>;
        return typeof data['rateCardId'] === 'string'
          ? { ...w, data: { ...data, rateCardId: 'rc-shared' } }
          : w;
      });
    await fc.assert(
      fc.asyncProperty(
        arbitraryLog({ minContracts: 2, maxContracts: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (wire, batchSize) => check(decodeAll(shared(wire)), batchSize),
      ),
      { numRuns: Math.max(5, Math.round(numRuns / 2)) },
    );
  }, 300_000);

  it('a realistic log (3000 events): 1, 2 and 4 workers; a worker restarted mid-log; one partition alone', async () => {
    const events = decodeAll([...generateScenario(scenarioForEventCount(3000, 7))]);
    const recorded = await load(events);
    const whole = expectedTables(events);
    for (const count of [1, 2, 4]) {
      await resetReadModel(pool);
      await runWorkers(count, 250);
      expect(await readTables(pool)).toEqual(whole);
    }
    // Stopped half-way and started again (a new process: it rebuilds its Ledger from the log).
    await resetReadModel(pool);
    const half = (recorded[1499] as RecordedEvent).position;
    await runReadModel({ pool, batchSize: 300, stopAtPosition: half });
    expect(await readTables(pool)).toEqual(expectedTables(events.slice(0, 1500)));
    await runReadModel({ pool, batchSize: 300, stopWhenCaughtUp: true });
    expect(await readTables(pool)).toEqual(whole);
    // Worker 1 of 3 alone writes exactly its own contracts' rows.
    await resetReadModel(pool);
    const p: Partition = { index: 1, count: 3 };
    await runReadModel({ pool, partition: p, batchSize: 500, stopWhenCaughtUp: true });
    const own = expectedTables(events, (c) => partitionOfContract(c, 3) === 1);
    expect(own.invoices.length).toBeGreaterThan(0);
    expect(own.invoices.length).toBeLessThan(whole.invoices.length);
    expect(await readTables(pool)).toEqual(own);
  }, 120_000);
});
