/**
 * `msp-billing project --store URL` against a real PostgreSQL: the finance example's month imported,
 * projected, and read back with SQL — the issued September invoice and the October draft with the
 * amounts worked out by hand; a second run has nothing to do; bad options are one-line errors.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '@msp-billing/events';
import { PostgresEventStore } from '@msp-billing/store-postgres';
import { testDatabaseUrl, type PostgresTestContext } from '../../store-postgres/test/support/database.js';
import { freshDatabase } from '../../store-postgres/test/support/readModelTables.js';
import { repoRoot, runIn } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

const month = fileURLToPath(new URL('../../../examples/data/example-month.ndjson', import.meta.url));

describe('msp-billing project (PostgreSQL)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshDatabase(await testDatabaseUrl());
    const imported = await runIn(['import', '--events', month, '--store', db.url]);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    store = await PostgresEventStore.create({ connectionString: db.url, migrate: false, maxConnections: 1 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await store.pool.query<unknown[]>({ text: sql, rowMode: 'array' })).rows;

  it('writes the issued invoice, the next draft with its lines, and the entries', async () => {
    const r = await runIn(['project', '--store', db.url]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe('project billing-read-model: 27 events in 1 batch; checkpoint at position 27\n');
    // September, issued: W-2 45 min × 120 = 90.00, W-6 135 min = 270.00, W-7 30 min = 60.00 → 420.00,
    // VAT 19 % 79.80. October's draft: W-3's late confirmation (30 min = 60.00), W-6 corrected to
    // 100 min (−270.00 + 210.00), W-8 15 min at October's 125.00 = 31.25 → 31.25, VAT 5.94.
    expect(
      await rows(
        `SELECT contract_id, period, status, invoice_number,
                to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'), currency,
                net::text, vat::text, gross::text
           FROM billing_invoices ORDER BY period`,
      ),
    ).toEqual([
      [
        'msp-4711',
        '2026-09',
        'issued',
        'RE-2026-0917',
        '2026-10-01T04:00Z',
        'EUR',
        '420.00',
        '79.80',
        '499.80',
      ],
      ['msp-4711', '2026-10', 'draft', null, null, 'EUR', '31.25', '5.94', '37.19'],
    ]);
    expect(
      await rows(
        `SELECT line_no, kind, work_id, minutes, billed_minutes, hourly_rate::text, amount::text, clause
           FROM billing_invoice_lines WHERE period = '2026-10' ORDER BY line_no`,
      ),
    ).toEqual([
      [1, 'late-work', 'W-3', 20, 30, '120.0000', '60.00', '3.1'],
      [2, 'reversal', 'W-6', 130, 135, '120.0000', '-270.00', '5.1'],
      [3, 'correction', 'W-6', 100, 105, '120.0000', '210.00', '5.1'],
      [4, 'work', 'W-8', 15, 15, '125.0000', '31.25', '5.3'],
    ]);
    expect(
      await rows(
        `SELECT period, status, currency, invoices::int, net::text, vat::text, gross::text
           FROM billing_month_summary ORDER BY period, status`,
      ),
    ).toEqual([
      ['2026-09', 'issued', 'EUR', 1, '420.00', '79.80', '499.80'],
      ['2026-10', 'draft', 'EUR', 1, '31.25', '5.94', '37.19'],
    ]);
    // W-6 as corrected: 100 min, billed 105 at 120.00 = 210.00; 8 entries, none voided.
    expect(
      await rows(
        `SELECT status, minutes, billed_minutes, amount::text FROM billing_entries WHERE work_id = 'W-6'`,
      ),
    ).toEqual([['billable', 100, 105, '210.00']]);
    expect(await rows('SELECT count(*)::int FROM billing_entries')).toEqual([[8]]);

    const again = await runIn(['project', '--store', db.url]);
    expect(again.stdout).toBe(
      'project billing-read-model: 0 events in 0 batches; checkpoint at position 27\n',
    );
    // Stopped caught up: the worker's snapshot at its checkpoint, under its own name.
    expect(await rows('SELECT partition, position::int FROM msp_snapshots ORDER BY id')).toEqual([
      ['billing-read-model', 27],
    ]);
  });

  it('--follow applies events appended while it runs, and stops on SIGTERM after its batch', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/bin.ts', 'project', '--store', db.url, '--follow'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const w9 = decodeEvent({
      id: 'e-28',
      type: 'WorkLogged',
      occurredAt: '2026-10-07T11:00:00+02:00',
      data: {
        workId: 'W-9',
        ticketId: 'T-101',
        technician: 'tech-1',
        startedAt: '2026-10-07T10:00:00+02:00',
        minutes: 30,
      },
    });
    if (w9._tag === 'Left') throw new Error(w9.left.message);
    await store.appendToStream('ticket-T-101', [w9.right], 'any');
    // A change request after provisioning: billable, 30 min at October's 125.00 = 62.50.
    const deadline = Date.now() + 60_000;
    while ((await rows(`SELECT 1 FROM billing_entries WHERE work_id = 'W-9'`)).length === 0) {
      if (Date.now() > deadline) throw new Error(`W-9 never reached the read model: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect({ stdout, stderr }).toEqual({
      stdout: 'project billing-read-model: 1 event in 1 batch; checkpoint at position 28\n',
      stderr: '',
    });
    // Stopped by SIGTERM: a snapshot at the new checkpoint, the one before kept.
    expect(await rows('SELECT position::int FROM msp_snapshots ORDER BY id')).toEqual([[27], [28]]);
    expect(
      await rows(`SELECT status, billed_minutes, amount::text FROM billing_entries WHERE work_id = 'W-9'`),
    ).toEqual([['billable', 30, '62.50']]);
    // October's draft: 31.25 + 62.50 = 93.75; VAT 19 % = 17.8125 → 17.81; gross 111.56.
    expect(
      await rows(`SELECT net::text, vat::text, gross::text FROM billing_invoices WHERE period = '2026-10'`),
    ).toEqual([['93.75', '17.81', '111.56']]);
  }, 120_000);

  it('refuses a partition outside 0 … n−1, bad batch and snapshot sizes, a store that is not PostgreSQL, and snapshot --partition', async () => {
    const bad = async (argv: string[]) => {
      const r = await runIn(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
      return r.stderr.trim();
    };
    expect(await bad(['project', '--store', db.url, '--partition', '2/2'])).toBe(
      'msp-billing: project --partition 2/2 — i must be below n (0 … 1)',
    );
    expect(await bad(['project', '--store', db.url, '--batch-size', '0'])).toBe(
      'msp-billing: project --batch-size 0 — expected a whole number of events ≥ 1',
    );
    expect(await bad(['project', '--store', 'esdb://localhost:2113?tls=false'])).toBe(
      'msp-billing: project --store — the read model lives in PostgreSQL; give a postgres:// or postgresql:// store',
    );
    expect(await bad(['project'])).toMatch(/^msp-billing: project --store — is required/);
    expect(await bad(['project', '--store', db.url, '--snapshot-every', '-1'])).toBe(
      'msp-billing: project --snapshot-every -1 — expected a whole number of events ≥ 0 (0: write no snapshots)',
    );
    expect(await bad(['snapshot', '--store', db.url, '--partition', '0/2'])).toBe(
      "msp-billing: snapshot --partition — read-model workers store their own snapshots (msp-billing project --partition i/n); snapshot writes the whole log's",
    );
  });
});
