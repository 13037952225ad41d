/**
 * Snapshots of a PostgreSQL store through the CLI (DATABASE_URL, or the vitest globalSetup's
 * throwaway server): `snapshot --store` writes one; every reading `--store` command then starts from
 * it and reads only the events after its position, with the same output as a full replay
 * (`--no-snapshot`), also when events were appended after the snapshot; a snapshot of another format
 * is named in one line on stderr and the output is still the same.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '@msp-billing/store-postgres';
import { testDatabaseUrl, type PostgresTestContext } from '../../store-postgres/test/support/database.js';
import { repoRoot, runIn, type Result } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

const log = resolve(repoRoot, 'examples/data/example-month-with-profiles.ndjson');
const env = { SOURCE_DATE_EPOCH: '1793433600' };

/** Every reading command, with the options it needs for the sample. */
const READERS: readonly (readonly string[])[] = [
  ['invoice', '--contract', 'msp-4711', '--period', '2026-10', '--format', 'json'],
  ['invoice', '--contract', 'msp-4711', '--period', '2026-09'],
  ['invoices', '--period', '2026-10', '--format', 'csv'],
  ['contracts', '--format', 'json'],
  ['ledger', '--format', 'json'],
  ['explain', '--work', 'W-6', '--format', 'json'],
  ['check'],
  ['einvoice', '--contract', 'msp-4711', '--period', '2026-09'],
  ['datev', '--month', '2026-10', '--consultant', '29098', '--client', '55003'],
];

describe('msp-billing snapshot --store and reading from the latest snapshot (PostgreSQL)', () => {
  let admin: PostgresEventStore;
  let name: string;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    const base = await testDatabaseUrl();
    admin = await PostgresEventStore.create({ connectionString: base, migrate: false, maxConnections: 2 });
    name = `msp_snap_${randomUUID().replace(/-/g, '')}`;
    await admin.pool.query(`CREATE DATABASE ${name}`);
    const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(base);
    if (m === null) throw new Error(`not a PostgreSQL URL: ${base}`);
    url = `${m[1]}/${name}${m[2]}`;
    dir = mkdtempSync(join(tmpdir(), 'msp-snap-'));
  });
  afterAll(async () => {
    await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  /** Every reader's result on the store, with `extra` options. */
  const readAll = async (extra: readonly string[] = []): Promise<Result[]> => {
    const out: Result[] = [];
    for (const r of READERS) out.push(await runIn([...r, '--store', url, ...extra], { env }));
    return out;
  };
  const shown = (rs: readonly Result[]) => rs.map((r) => [r.code, r.stdoutBytes.toString('base64')]);

  it('starts every reading command from the snapshot, with the output of a full replay', async () => {
    // The log in two parts: the snapshot is taken after the first, the second is appended after it.
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const cut = lines.findIndex((l) => l.includes('"InvoiceIssued"')) + 1;
    const [first, second] = [join(dir, 'first.ndjson'), join(dir, 'second.ndjson')];
    writeFileSync(first, `${lines.slice(0, cut).join('\n')}\n`);
    writeFileSync(second, `${lines.slice(cut).join('\n')}\n`);
    expect((await runIn(['import', '--events', first, '--store', url])).code).toBe(0);

    const taken = await runIn(['snapshot', '--store', url]);
    expect([taken.code, taken.stderr]).toEqual([0, '']);
    expect(taken.stdout).toMatch(
      new RegExp(`^snapshot \\d+: position ${cut}, ${cut} events, \\d+ bytes, written in \\d+ ms\\n$`),
    );
    expect((await runIn(['import', '--events', second, '--store', url])).code).toBe(0);

    const replayed = await readAll(['--no-snapshot']);
    expect(replayed.map((r) => r.stderr)).toEqual(READERS.map(() => ''));
    // The sample is clean: every reader prints and exits 0.
    expect(replayed.map((r) => r.code)).toEqual(READERS.map(() => 0));
    expect(replayed.filter((r) => r.stdoutBytes.length === 0)).toEqual([]);
    const fromSnapshot = await readAll();
    expect(fromSnapshot.map((r) => r.stderr)).toEqual(READERS.map(() => ''));
    expect(shown(fromSnapshot)).toEqual(shown(replayed));
    // And the log itself says the same (the invoice, as a sample of it).
    const fromLog = await runIn([...(READERS[0] as string[]), '--events', log], { env });
    expect(fromSnapshot[0]?.stdout).toBe(fromLog.stdout);

    // Only the events after the snapshot are read: without those before it, the answers stand.
    const db = await PostgresEventStore.create({ connectionString: url, migrate: false, maxConnections: 1 });
    try {
      await db.pool.query('CREATE TABLE kept AS SELECT * FROM msp_events WHERE position <= $1', [cut]);
      await db.pool.query('DELETE FROM msp_events WHERE position <= $1', [cut]);
      expect(shown(await readAll())).toEqual(shown(replayed));
      await db.pool.query('INSERT INTO msp_events SELECT * FROM kept');
      await db.pool.query('DROP TABLE kept');

      // A snapshot of another format: one line on stderr, then a full replay with the same output.
      await db.pool.query('UPDATE msp_snapshots SET format = 99');
      const other = await readAll();
      expect(shown(other)).toEqual(shown(replayed));
      for (const r of other)
        expect(r.stderr).toMatch(
          /^msp-billing: --store \S+ — snapshot \d+ \(position \d+, \S+\) has format 99, this version reads format 3: replaying the whole log\n$/,
        );
    } finally {
      await db.close();
    }

    // A new snapshot at the end replaces it as the latest: no notice, the same output.
    const again = await runIn(['snapshot', '--store', url]);
    expect(again.stdout).toMatch(new RegExp(`position ${lines.length}, ${lines.length} events`));
    const latest = await readAll();
    expect(latest.map((r) => r.stderr)).toEqual(READERS.map(() => ''));
    expect(shown(latest)).toEqual(shown(replayed));
  });

  it('refuses a store that keeps no snapshots, in one line', async () => {
    const r = await runIn(['snapshot', '--store', 'esdb://localhost:2113?tls=false']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^msp-billing: snapshot --store — snapshots are kept in the PostgreSQL store/);
  });
});
