/**
 * A Ledger of a PostgreSQL store from its latest snapshot (loadStoreLedger), on random valid logs cut
 * at a random position: the snapshot taken at the cut, the rest of the log appended after it, and
 * the Ledger started from the snapshot answers every query as the full replay does, with the same
 * counts, having read only the events after the cut. A snapshot it cannot use (another format,
 * unreadable bytes) is named in `notice` and the log is replayed.
 */
import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '@msp-billing/billing';
import { importEvents } from '@msp-billing/store';
import { arbitraryLog, decodeAll, keepValid } from '@msp-billing/testing';
import { loadStoreLedger, PostgresEventStore, saveLedgerSnapshot } from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';

/** Everything the Ledger answers, as one comparable value. */
const answers = (ledger: Ledger) => {
  const periods = [...new Set(ledger.entries().map((e) => e.period))];
  return {
    entries: ledger.entries(),
    contracts: ledger.contracts(),
    invoices: ledger.contractIds().flatMap((c) => periods.map((p) => ledger.invoice(c, p))),
    issued: ledger.issuedInvoices(),
    invalid: ledger.invalidEvents(),
    warnings: ledger.warnings(),
  };
};

describe('loadStoreLedger: from the latest snapshot and the events after it', () => {
  let url: string;
  let admin: Pool;
  beforeAll(async () => {
    url = await testDatabaseUrl();
    admin = new Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await admin.end();
  });

  /** A store in a schema of its own (dropped by the caller's `finally`). */
  const freshStore = async () => {
    const schema = `snap_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
    const store = await PostgresEventStore.create({ pool });
    const drop = async () => {
      await store.close();
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    };
    return { store, pool, drop };
  };

  it('gives the full replay’s answers and counts on random logs cut anywhere, reading only the rest', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryLog(), fc.nat(), async (wire, at) => {
        const events = decodeAll(keepValid(wire));
        const cut = at % (events.length + 1);
        const { store, drop } = await freshStore();
        try {
          await importEvents(store, events.slice(0, cut));
          const before = await loadStoreLedger(store, { useSnapshot: false });
          await saveLedgerSnapshot(store, before.ledger, before.position, before.counts);
          await importEvents(store, events.slice(cut));
          const replayed = await loadStoreLedger(store, { useSnapshot: false });
          const restored = await loadStoreLedger(store);
          expect(restored.notice).toBeUndefined();
          expect(restored.snapshot?.position).toBe(before.position);
          // Read only what was stored after the snapshot (an import routes events by what it saw).
          expect(restored.tail).toBe(replayed.counts.events - before.counts.events);
          expect([restored.position, restored.counts]).toEqual([replayed.position, replayed.counts]);
          expect(answers(restored.ledger)).toEqual(answers(replayed.ledger));
        } finally {
          await drop();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('starts from the snapshots of the partition asked for, whatever the newest of another', async () => {
    const events = decodeAll(keepValid(fc.sample(arbitraryLog(), { numRuns: 1, seed: 11 })[0] ?? []));
    const { store, drop } = await freshStore();
    try {
      const cut = Math.floor(events.length / 2);
      await importEvents(store, events.slice(0, cut));
      const half = await loadStoreLedger(store, { useSnapshot: false });
      await saveLedgerSnapshot(store, half.ledger, half.position, half.counts, { mine: 'yes' }, 'own');
      await importEvents(store, events.slice(cut));
      const full = await loadStoreLedger(store, { useSnapshot: false });
      await saveLedgerSnapshot(store, full.ledger, full.position, full.counts);
      let meta: Readonly<Record<string, string>> = {};
      const own = await loadStoreLedger(store, {
        partition: 'own',
        restored: (m) => {
          meta = m;
          return undefined;
        },
      });
      expect([own.snapshot?.partition, own.snapshot?.position, meta['mine']]).toEqual([
        'own',
        half.position,
        'yes',
      ]);
      expect(answers(own.ledger)).toEqual(answers(full.ledger));
      expect((await loadStoreLedger(store)).snapshot?.position).toBe(full.position);
    } finally {
      await drop();
    }
  });

  it('passes over a snapshot of another format or unreadable bytes with a one-line notice', async () => {
    const events = decodeAll(keepValid(fc.sample(arbitraryLog(), { numRuns: 1, seed: 7 })[0] ?? []));
    const { store, pool, drop } = await freshStore();
    try {
      await importEvents(store, events);
      const replayed = await loadStoreLedger(store, { useSnapshot: false });
      await saveLedgerSnapshot(store, replayed.ledger, replayed.position, replayed.counts);
      await pool.query('UPDATE msp_snapshots SET format = 99');
      const other = await loadStoreLedger(store);
      expect(other.notice).toMatch(
        /^snapshot \d+ \(position \d+, .*\) has format 99, this version reads format 3: replaying the whole log$/,
      );
      expect([other.snapshot, other.tail]).toEqual([undefined, events.length]);
      expect(answers(other.ledger)).toEqual(answers(replayed.ledger));
      await pool.query(`UPDATE msp_snapshots SET format = 1, bytes = '\\x00010203'::bytea`);
      const unreadable = await loadStoreLedger(store);
      expect(unreadable.notice).toMatch(/^snapshot \d+ .*: replaying the whole log$/);
      expect(unreadable.notice).not.toContain('\n');
      expect(answers(unreadable.ledger)).toEqual(answers(replayed.ledger));
    } finally {
      await drop();
    }
  });
});
