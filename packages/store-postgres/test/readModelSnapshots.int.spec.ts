/**
 * Read-model workers with snapshots of their state, against a real PostgreSQL: a worker stopped and
 * started again (from a snapshot at its checkpoint, or one behind it) ends with the tables of the
 * Ledger of the whole log, also with events appended in between and with two partitions; a restarted
 * worker reads no event before its snapshot; a snapshot of another format is named in one line and
 * the log replayed.
 */
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, WireEvent } from '@msp-billing/events';
import { importEvents, type RecordedEvent } from '@msp-billing/store';
import { arbitraryLog, decodeAll, generateScenario, scenarioForEventCount } from '@msp-billing/testing';
import {
  loadLatestSnapshot,
  PostgresEventStore,
  readModelName,
  runPostgresProjection,
  runReadModel,
  type Partition,
} from '../src/index.js';
import { readModelWorker } from '../src/readModel.js';
import { expectedTables, readModelDatabase, readTables, resetReadModel } from './support/readModelTables.js';

const numRuns = Number(process.env['MSP_READ_MODEL_RUNS'] ?? 25);

/**
 * The example month (a late order confirmation, a corrected and a voided work entry, an invoice),
 * then October's rate set again, recorded later: it reprices October's work on the contract's card.
 */
const exampleMonth = decodeAll([
  ...readFileSync(new URL('../../../examples/data/example-month.ndjson', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as WireEvent),
  {
    id: 'e-28',
    type: 'HourlyRateSet',
    occurredAt: '2026-10-07T12:00:00+02:00',
    data: { rateCardId: 'standard-2026', effectiveFrom: '2026-10-01T00:00:00+02:00', hourlyRate: '130.00' },
  },
]);

describe('read-model workers with snapshots', () => {
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

  /** Every event of the store, as recorded. */
  const recordedEvents = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll({ fromPosition: from, batchSize: 1000 });
      if (page.length === 0) return all;
      all.push(...page);
      from = (page.at(-1) as RecordedEvent).position;
    }
  };

  /** An empty store and read model. */
  const empty = async (): Promise<void> => {
    await pool.query('TRUNCATE msp_events');
    await resetReadModel(pool);
  };

  /**
   * Run worker `partition` until caught up, storing a snapshot every `every` positions; `clean`:
   * stop as runReadModel does (a last snapshot at the checkpoint), else as if killed after its last
   * commit (the latest snapshot may be behind the checkpoint). `stopAt`: stop there, not when caught up.
   */
  const runWorker = async (
    partition: Partition,
    every: number,
    batchSize: number,
    clean: boolean,
    stopAt?: bigint,
  ) => {
    const notices: string[] = [];
    const until = stopAt === undefined ? { stopWhenCaughtUp: true } : { stopAtPosition: stopAt };
    if (clean) {
      await runReadModel({
        pool,
        partition,
        batchSize,
        ...until,
        snapshotEvery: every,
        onNotice: (l) => notices.push(l),
      });
    } else {
      const { finish: _unused, ...worker } = readModelWorker(partition, {}, { pool, every });
      await runPostgresProjection({ pool, ...worker, batchSize, ...until });
    }
    return notices;
  };

  it('stopped and started again from its snapshot, with events appended between: the Ledger of the whole log (1 and 2 workers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryLog({ minContracts: 1, maxContracts: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        async (wire, at, batchSize, every, clean) => {
          const events: DomainEvent[] = decodeAll(wire);
          const cut = at % (events.length + 1);
          for (const count of [1, 2]) {
            await empty();
            await importEvents(store, events.slice(0, cut), { batchSize: 97 });
            const partitions = Array.from({ length: count }, (_, index) => ({ index, count }));
            for (const p of partitions) await runWorker(p, every, batchSize, clean);
            await importEvents(store, events.slice(cut), { batchSize: 97 });
            for (const p of partitions) {
              const notices = await runWorker(p, every, batchSize, true);
              expect(notices).toEqual([]);
            }
            const all = (await recordedEvents()).map((r) => r.event);
            expect(await readTables(pool)).toEqual(expectedTables(all));
          }
        },
      ),
      { numRuns },
    );
  }, 300_000);

  it('the example month stopped after every event, with a snapshot, and started again: the whole month', async () => {
    // Ticket and work-entry events after the stop (a late confirmation, a correction, a void) reach
    // entries logged before it only through the routes restored from the snapshot.
    await empty();
    await importEvents(store, exampleMonth);
    const recorded = await recordedEvents();
    const whole = expectedTables(exampleMonth);
    for (const [k, r] of recorded.entries()) {
      for (const clean of [true, false]) {
        await resetReadModel(pool);
        // Clean: a snapshot at the stop; else one every 2 positions, up to 2 behind the checkpoint.
        await runWorker({ index: 0, count: 1 }, clean ? 1000 : 2, 1, clean, r.position);
        expect(await readTables(pool)).toEqual(expectedTables(exampleMonth.slice(0, k + 1)));
        expect(await runWorker({ index: 0, count: 1 }, 1000, 3, true)).toEqual([]);
        expect(await readTables(pool)).toEqual(whole);
      }
    }
  }, 120_000);

  it('a restarted worker reads no event before its snapshot (they are deleted here), 1 and 2 workers', async () => {
    const events = decodeAll([...generateScenario(scenarioForEventCount(3000, 5))]);
    for (const count of [1, 2]) {
      await empty();
      await importEvents(store, events.slice(0, 2000));
      const partitions = Array.from({ length: count }, (_, index) => ({ index, count }));
      // Snapshots every 700 positions; stopped as if killed: checkpoints beyond the snapshots.
      for (const p of partitions) await runWorker(p, 700, 300, false);
      const cuts: bigint[] = [];
      for (const p of partitions) {
        const snapshot = await loadLatestSnapshot(pool, readModelName(p));
        const checkpoint = (await store.checkpoints.load(readModelName(p))) as bigint;
        expect(snapshot).toBeDefined();
        expect(snapshot?.position).toBeLessThan(checkpoint);
        cuts.push(snapshot?.position ?? 0n);
      }
      await importEvents(store, events.slice(2000));
      const all = (await recordedEvents()).map((r) => r.event);
      const before = await readTables(pool);
      // What the workers will read: the events after the earliest snapshot. Those before it are gone.
      const earliest = cuts.reduce((a, b) => (a < b ? a : b));
      await pool.query('DELETE FROM msp_events WHERE position <= $1', [earliest.toString()]);
      for (const p of partitions) expect(await runWorker(p, 700, 300, true)).toEqual([]);
      const after = await readTables(pool);
      expect(after).not.toEqual(before);
      expect(after).toEqual(expectedTables(all));
    }
  }, 120_000);

  it('passes over a snapshot of another format or unreadable bytes with one line; useSnapshot: false reads none', async () => {
    const events = decodeAll([...generateScenario(scenarioForEventCount(1500, 9))]);
    const restart = async (useSnapshot: boolean, upTo: number): Promise<string[]> => {
      await importEvents(store, events.slice((await recordedEvents()).length, upTo));
      const notices: string[] = [];
      await runReadModel({
        pool,
        batchSize: 200,
        stopWhenCaughtUp: true,
        snapshotEvery: 300,
        useSnapshot,
        onNotice: (l) => notices.push(l),
      });
      expect(await readTables(pool)).toEqual(expectedTables(events.slice(0, upTo)));
      return notices;
    };
    await empty();
    expect(await restart(true, 800)).toEqual([]);
    await pool.query(`UPDATE msp_snapshots SET format = 99 WHERE partition = 'billing-read-model'`);
    const other = await restart(true, 1000);
    expect(other).toHaveLength(1);
    expect(other[0]).toMatch(
      /^read model billing-read-model: snapshot \d+ \(position \d+, .+\) has format 99, this version reads format 3: replaying the log$/,
    );
    await pool.query(
      `UPDATE msp_snapshots SET bytes = '\\x00010203'::bytea WHERE partition = 'billing-read-model'`,
    );
    const unreadable = await restart(true, 1200);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]).toMatch(
      /^read model billing-read-model: snapshot \d+ .* cannot be read .*: replaying the log$/,
    );
    await pool.query(
      `UPDATE msp_snapshots SET bytes = '\\x00010203'::bytea WHERE partition = 'billing-read-model'`,
    );
    expect(await restart(false, 1500)).toEqual([]);
  }, 120_000);
});
