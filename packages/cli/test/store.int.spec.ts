/**
 * `import` and `--store` against a real PostgreSQL (DATABASE_URL, or the throwaway server of the
 * vitest globalSetup): the worked sample imported into a fresh database gives the same invoice and
 * ledger as the log itself; re-imports append nothing; an invalid line stops the import with the
 * valid prefix written; bad or unreachable stores and conflicting options are one-line user errors.
 * Every test file gets its own database, so `--store` reads only what these tests wrote.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '@msp-billing/store-postgres';
// The test database exactly as the store-postgres tests get it (same globalSetup, same server).
import { testDatabaseUrl, type PostgresTestContext } from '../../store-postgres/test/support/database.js';
import { fixture, runIn, sampleLog, spawnCli } from './helpers.js';

// What the globalSetup provides (declared there too; repeated so this package's typecheck sees it).
declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

/** Databases this file created, dropped at the end. */
const created: string[] = [];

/** A new, empty database on the test server, as a URL (dropped in afterAll). */
const freshDatabase = async (admin: PostgresEventStore, base: string): Promise<string> => {
  const name = `msp_cli_${randomUUID().replace(/-/g, '')}`;
  await admin.pool.query(`CREATE DATABASE ${name}`);
  created.push(name);
  return withDatabase(base, name);
};

/**
 * `base` with another database name. Not through `new URL`: a unix-socket URL such as
 * `postgresql://postgres@/msp_test?host=/tmp/x&port=5432` (what .ci/pg.sh exports) has an empty
 * host, which the WHATWG parser refuses although PostgreSQL accepts it.
 */
const withDatabase = (base: string, name: string): string => {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(base);
  if (m === null) throw new Error(`not a PostgreSQL URL: ${base}`);
  return `${m[1]}/${name}${m[2]}`;
};

const invoiceJson = (source: string[]): string[] => [
  'invoice',
  ...source,
  '--contract',
  'msp-4711',
  '--period',
  '2026-10',
  '--format',
  'json',
];

/** The ids in the database at `url`, in global order. */
const storedIds = async (url: string): Promise<string[]> => {
  const store = await PostgresEventStore.create({ connectionString: url, migrate: false, maxConnections: 1 });
  try {
    const rows = await store.pool.query<{ id: string }>(
      'SELECT event_id AS id FROM msp_events ORDER BY position',
    );
    return rows.rows.map((r) => r.id);
  } finally {
    await store.close();
  }
};

const sampleIds = (): string[] =>
  readFileSync(sampleLog, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id);

const noStack = (stderr: string): void => {
  expect(stderr.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
};

describe('msp-billing import and --store (PostgreSQL)', () => {
  let base: string;
  let admin: PostgresEventStore;
  let url: string;
  beforeAll(async () => {
    base = await testDatabaseUrl();
    admin = await PostgresEventStore.create({ connectionString: base, migrate: false, maxConnections: 2 });
    url = await freshDatabase(admin, base);
  });
  afterAll(async () => {
    for (const name of created) await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  it('imports the worked sample (spawned); invoice --store gives 31.25 / 5.94 / 37.19 like --events', async () => {
    const imported = await spawnCli(['import', '--events', sampleLog, '--store', url]);
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = readFileSync(sampleLog, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    expect(imported.stdout).toBe(
      `import: ${lines} lines, ${lines} events read; ${lines} appended, 0 already present, 0 duplicates ignored, 0 invalid\n`,
    );
    const fromStore = await spawnCli(invoiceJson(['--store', url]));
    expect({ code: fromStore.code, stderr: fromStore.stderr }).toEqual({ code: 0, stderr: '' });
    const inv = JSON.parse(fromStore.stdout) as Record<string, unknown>;
    expect([inv['net'], inv['vat'], inv['gross'], inv['invalidEvents']]).toEqual([
      '31.25',
      '5.94',
      '37.19',
      [],
    ]);
    expect(fromStore.stdout).toBe((await runIn(invoiceJson(['--events', sampleLog]))).stdout);
  });

  it('importing again appends nothing; ledger, check and explain read the same from --store as from --events', async () => {
    const again = await runIn(['import', '--events', sampleLog, '--store', url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/; 0 appended, (\d+) already present, 0 duplicates ignored, 0 invalid\n$/);
    expect(await storedIds(url)).toHaveLength(Number(/(\d+) already present/.exec(again.stdout)?.[1]));
    for (const format of ['json', 'csv', 'table']) {
      const a = await runIn(['ledger', '--store', url, '--format', format]);
      const b = await runIn(['ledger', '--events', sampleLog, '--format', format]);
      expect({ code: a.code, stderr: a.stderr }).toEqual({ code: 0, stderr: '' });
      expect(a.stdout).toBe(b.stdout);
    }
    const explained = await runIn(['explain', '--store', url, '--work', 'W-3']);
    expect(explained.stdout).toBe((await runIn(['explain', '--events', sampleLog, '--work', 'W-3'])).stdout);
    const checked = await runIn(['check', '--store', url]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/0 invalid events, 0 warnings — clean\n$/);
  });

  it('invoices and contracts read the same from --store as from --events; a reused invoice number is refused before it reaches the store', async () => {
    const monthEnd = await freshDatabase(admin, base);
    const log = fixture('month-end.ndjson');
    expect((await runIn(['import', '--events', log, '--store', monthEnd])).code).toBe(0);
    for (const args of [
      ['invoices', '--period', '2026-10', '--format', 'csv'],
      ['invoices', '--period', '2026-09'],
      ['contracts', '--format', 'json'],
    ]) {
      const a = await runIn([...args, '--store', monthEnd]);
      expect({ code: a.code, stderr: a.stderr }).toEqual({ code: 0, stderr: '' });
      expect(a.stdout).toBe((await runIn([...args, '--events', log])).stdout);
    }
    // RE-1 is c-1's September invoice: issuing it again for c-2 is an invalid line, and not stored.
    const dir = mkdtempSync(join(tmpdir(), 'msp-cli-import-'));
    const file = join(dir, 'reuse-number.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'e-14', type: 'InvoiceIssued', occurredAt: '2026-11-02T08:00:00+01:00', data: { contractId: 'c-2', period: '2026-10', invoiceNumber: 'RE-1' } })}\n`,
    );
    const r = await runIn(['import', '--events', file, '--store', monthEnd]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'invoice number RE-1 is already used by the invoice of contract c-1 for 2026-09',
    );
    expect(await storedIds(monthEnd)).not.toContain('e-14');
  });

  it('an event reusing a stored id with other content is refused before it reaches the store', async () => {
    const [first] = readFileSync(sampleLog, 'utf8').split('\n');
    const changed = JSON.parse(first as string) as { occurredAt: string };
    changed.occurredAt = '2020-01-01T00:00:00Z';
    const dir = mkdtempSync(join(tmpdir(), 'msp-cli-import-'));
    const file = join(dir, 'reuse.ndjson');
    writeFileSync(file, `${JSON.stringify(changed)}\n`);
    const before = await storedIds(url);
    const r = await runIn(['import', '--events', file, '--store', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^line 1: event id ".*" was already used for a different event\n$/);
    expect(r.stdout).toMatch(
      /; 0 appended, 0 already present, 0 duplicates ignored, 1 invalid; stopped at line 1/,
    );
    expect(await storedIds(url)).toEqual(before);
  });

  it('an invalid line stops the import (exit 2): the events before it are written, none after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-cli-import-'));
    const lines = readFileSync(sampleLog, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, [...lines.slice(0, 10), '{"id": oops', ...lines.slice(10)].join('\n') + '\n');
    const target = await freshDatabase(admin, base);
    const r = await runIn(['import', '--events', broken, '--store', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^line 11: invalid JSON: .*\n$/);
    expect(r.stdout).toMatch(
      /^import: 11 lines, 10 events read; 10 appended, .*; stopped at line 11 \(invalid event\)/,
    );
    expect(await storedIds(target)).toEqual(sampleIds().slice(0, 10));

    const skipping = await runIn(['import', '--events', broken, '--store', target, '--skip-invalid']);
    expect(skipping.code).toBe(0);
    expect(skipping.stderr).toMatch(/^line 11: invalid JSON: .*\n$/);
    expect(skipping.stdout).toMatch(
      new RegExp(`; ${lines.length - 10} appended, 10 already present, 0 duplicates ignored, 1 invalid\n$`),
    );
    expect(await storedIds(target)).toEqual(sampleIds());
  });

  it('reads standard input (--events -); an identical repeat in the log is ignored, not re-sent', async () => {
    const lines = readFileSync(sampleLog, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const input = [...lines, lines[3] as string].join('\n') + '\n';
    const target = await freshDatabase(admin, base);
    const r = await runIn(['import', '--events', '-', '--store', target], {
      stdin: (async function* () {
        yield Buffer.from(input, 'utf8');
      })(),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      `import: ${lines.length + 1} lines, ${lines.length} events read; ${lines.length} appended, 0 already present, 1 duplicate ignored, 0 invalid\n`,
    );
    expect(await storedIds(target)).toEqual(sampleIds());
  });

  it('an event that breaks integrity (an unknown ticket) is refused like check refuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-cli-import-'));
    const lines = readFileSync(sampleLog, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const orphan = JSON.stringify({
      id: 'orphan-1',
      type: 'WorkLogged',
      occurredAt: '2026-10-05T09:00:00+02:00',
      data: {
        workId: 'W-orphan',
        ticketId: 'T-404',
        technician: 't',
        startedAt: '2026-10-05T09:00:00+02:00',
        minutes: 5,
      },
    });
    const file = join(dir, 'orphan.ndjson');
    writeFileSync(file, [...lines.slice(0, 5), orphan].join('\n') + '\n');
    const target = await freshDatabase(admin, base);
    const r = await runIn(['import', '--events', file, '--store', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^line 6: .*T-404/);
    expect(await storedIds(target)).toEqual(sampleIds().slice(0, 5));
  });

  it('draws a progress line on a TTY stderr and clears it', async () => {
    let t = 0;
    const target = await freshDatabase(admin, base);
    let stderr = '';
    const { run } = await import('../src/main.js');
    const code = await run(['import', '--events', sampleLog, '--store', target], {
      stdin: (async function* () {})(),
      stdout: { write: () => true },
      stderr: { write: (s) => ((stderr += s), true) },
      isTTY: true,
      now: () => (t += 2000),
    });
    expect(code).toBe(0);
    const CLEAR = '\r\u001b[K';
    expect(stderr.startsWith(`${CLEAR}importing: 0.0 MB of 0.0 MB, `)).toBe(true);
    expect(stderr).toMatch(/\d+ events, [\d,]+ events\/s/);
    expect(stderr.endsWith(CLEAR)).toBe(true);
  });

  it('a database without the schema: --store readers say so in one line (exit 2)', async () => {
    const empty = await freshDatabase(admin, base);
    const r = await runIn(['ledger', '--store', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^msp-billing: --store postgresql?:\/\/.* — holds no msp-billing events .*\n$/);
  });

  it('unreachable servers and missing databases: one line, exit 2, password masked, no stack (spawned)', async () => {
    const r = await spawnCli(['ledger', '--store', 'postgres://billing:s3cr%40et@127.0.0.1:1/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^msp-billing: --store postgres:\/\/billing:\*\*\*@127\.0\.0\.1:1\/x — cannot connect: .+\n$/,
    );
    expect(r.stderr).not.toMatch(/s3cr/);
    noStack(r.stderr);
    const missing = withDatabase(base, 'msp_cli_no_such_database');
    const i = await runIn(['import', '--events', sampleLog, '--store', missing]);
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/ — cannot connect: .*msp_cli_no_such_database.* does not exist\n$/);
  });
});

describe('--store and --events: user errors before any I/O', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'both --events and --store',
      [
        'invoice',
        '--events',
        sampleLog,
        '--store',
        'postgres://u@h/db',
        '--contract',
        'c',
        '--period',
        '2026-10',
      ],
      /^msp-billing: invoice --events and --store — give exactly one of them/,
    ],
    ['neither', ['ledger'], /^msp-billing: ledger --events — is required .* or --store URL/],
    [
      'memory: is refused',
      ['check', '--store', 'memory:'],
      /^msp-billing: --store memory: — an in-memory store lives only inside one process/,
    ],
    [
      'an unknown scheme',
      ['check', '--store', 'mysql://u:pw@h/db'],
      /^msp-billing: --store mysql:\/\/u:\*\*\*@h\/db — unsupported store URL/,
    ],
    [
      'not a URL',
      ['check', '--store', 'postgres://u:pw@[oops/db'],
      /^msp-billing: --store postgres:\/\/u:\*\*\*@\[oops\/db — is not a valid URL/,
    ],
    [
      'import without --store',
      ['import', '--events', sampleLog],
      /^msp-billing: import --store — is required/,
    ],
    [
      'import without --events',
      ['import', '--store', 'postgres://u@h/db'],
      /^msp-billing: import --events — is required/,
    ],
  ];
  it.each(cases)('%s', async (_name, argv, line) => {
    const r = await runIn(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(line);
    expect(r.stderr).not.toMatch(/:pw@/);
  });
});
