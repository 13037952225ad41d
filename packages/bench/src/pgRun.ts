/**
 * Child process of `pnpm bench:pg` (postgres.ts): the PostgreSQL measurements of one log against one
 * database, in a schema of its own that it creates and drops. Run as
 * `node --expose-gc --import tsx pgRun.ts <log.ndjson> <database-url> <schema>`; prints one JSON
 * object. The log is decoded into memory first, so no step below pays for reading the file.
 *
 * 1. Import: `importEvents` into a fresh `PostgresEventStore` (appendBatch, 1000 events per
 *    transaction under the append lock) vs `COPY … FROM STDIN` of the same rows (built from the same
 *    decoded events) into an empty copy of `msp_events` with the same constraints and indexes.
 * 2. Replay: `readAllEvents(store)` applied to a fresh Ledger (the CLI's `--store` path); the same
 *    read without the Ledger (pages + decoding); and a plain `SELECT` of the same columns in
 *    position order through a cursor, not decoded.
 * 3. One month's invoice totals: a SQL aggregate over a PSA-style `work_entries` table vs
 *    `ledger.invoice(contract, month)` for every contract of the Ledger built in 2; then how far the
 *    totals differ, and which part of the difference each rule accounts for.
 *
 * Each step reports wall time, this process's CPU time and, when the server runs on this machine,
 * the server's CPU time (pgCpu.ts): import and COPY spend most of theirs in PostgreSQL.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  Dec,
  PostgresEventStore,
  ZERO,
  amountOf,
  createLedger,
  formatMoney,
  importEvents,
  openEventSource,
  readAllEvents,
  readNdjson,
  type DomainEvent,
  type Invoice,
} from './pgDeps.js';
import { serverCpuReader } from './pgCpu.js';
import { copyText, eventRows, workEntryRows, type WorkEntryRow } from './pgRows.js';

const [file, url, schema] = process.argv.slice(2);
if (file === undefined || url === undefined || schema === undefined)
  throw new Error('usage: pgRun.ts <log.ndjson> <database-url> <schema>');
// Identifiers cannot be query parameters: the schema name is checked instead.
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema)}`);

/** Wall, client CPU and server CPU of one step, in ms. */
export interface Step {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly serverCpuMs: number | null;
}

const log = (s: string): void => void process.stderr.write(`  ${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

// Every connection works in the bench schema only; a URL with its own `options` would override
// this, which the check after connecting catches.
const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
pool.on('error', () => undefined);

let serverCpu: (() => number) | undefined;

const step = async <A>(name: string, work: () => Promise<A> | A): Promise<{ value: A; step: Step }> => {
  gc?.();
  const s0 = serverCpu?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const s1 = serverCpu?.();
  const result: Step = {
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    serverCpuMs: s0 === undefined || s1 === undefined ? null : s1 - s0,
  };
  log(
    `${name}: ${(wallMs / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU` +
      (result.serverCpuMs === null ? '' : `, server ${(result.serverCpuMs / 1000).toFixed(2)} s CPU`),
  );
  return { value, step: result };
};

const median = (xs: readonly Step[]): Step => {
  const s = xs.toSorted((a, b) => a.wallMs - b.wallMs);
  return s[Math.floor(s.length / 2)] as Step;
};

const repeat = async <A>(name: string, n: number, work: () => A): Promise<{ value: A; steps: Step[] }> => {
  const steps: Step[] = [];
  let value: A | undefined;
  for (let i = 0; i < n; i++) {
    const r = await step(`${name} (${i + 1}/${n})`, work);
    steps.push(r.step);
    value = r.value;
  }
  return { value: value as A, steps };
};

/** Run `work` on one client of the pool; a client whose work failed is discarded. */
const withClient = async <A>(work: (client: PoolClient) => Promise<A>): Promise<A> => {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    return await work(client);
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(failed);
  }
};

/** Lines grouped into chunks of about 1000, so the stream does not go line by line. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let buf: string[] = [];
  for (const l of lines) {
    buf.push(l);
    if (buf.length >= 1000) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/** `COPY table (columns) FROM STDIN` of text-format lines; the number of rows copied. */
const copyInto = (table: string, columns: readonly string[], lines: Iterable<string>): Promise<number> =>
  withClient(async (client) => {
    const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(chunks(lines)), sink);
    return sink.rowCount;
  });

function* eventLines(events: readonly DomainEvent[]): Generator<string> {
  for (const r of eventRows(events))
    yield `${r.position}\t${copyText(r.stream)}\t${r.revision}\t${copyText(r.eventId)}\t${copyText(r.eventType)}\t${copyText(r.payload)}\n`;
}

function* workEntryLines(rows: readonly WorkEntryRow[]): Generator<string> {
  for (const w of rows)
    yield `${copyText(w.workId)}\t${copyText(w.contractId)}\t${new Date(w.startedAt).toISOString()}\t${w.minutes}\t${w.hourlyRate}\t${copyText(w.timeZone)}\n`;
}

/** A plain read of every row in position order through a cursor, 1000 rows per fetch, nothing decoded. */
const selectAll = (): Promise<{ rows: number; chars: number }> =>
  withClient(async (client) => {
    await client.query('BEGIN READ ONLY');
    try {
      // The columns readAll selects, so the difference to it is paging and decoding.
      await client.query(
        `DECLARE bench_all NO SCROLL CURSOR FOR
           SELECT position::text AS pos, stream, revision::text AS rev, payload::text AS body
             FROM msp_events ORDER BY position`,
      );
      let rows = 0;
      let chars = 0;
      for (;;) {
        const page = await client.query<{ pos: string; stream: string; rev: string; body: string }>(
          'FETCH FORWARD 1000 FROM bench_all',
        );
        if (page.rows.length === 0) break;
        rows += page.rows.length;
        for (const r of page.rows) chars += r.body.length;
      }
      return { rows, chars };
    } finally {
      await client.query('COMMIT');
    }
  });

/** The month after `period` (YYYY-MM). */
const nextPeriod = (period: string): string => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

// The PSA's month total: everything logged in the contract's calendar month at the stamped rate.
const AGGREGATE_SQL = `
  SELECT contract_id, sum(round(minutes * hourly_rate / 60, 2))::text AS net, count(*)::int AS entries
    FROM work_entries
   WHERE to_char(started_at AT TIME ZONE time_zone, 'YYYY-MM') = $1
   GROUP BY contract_id`;

const tableBytes = async (table: string): Promise<number> =>
  Number(
    (await pool.query<{ b: string }>('SELECT pg_total_relation_size($1::regclass)::text AS b', [table]))
      .rows[0]?.b ?? 0,
  );

const measure = async () => {
  await pool.query(`CREATE SCHEMA ${schema}`);
  const where = await pool.query<{ s: string | null; pid: number }>(
    'SELECT current_schema() AS s, pg_backend_pid() AS pid',
  );
  if (where.rows[0]?.s !== schema)
    throw new Error(`the connection does not use schema ${schema} (does the URL set its own options?)`);
  serverCpu = serverCpuReader(where.rows[0]?.pid ?? 0);

  // 0. The log, decoded once; every step below starts from these events.
  const events: DomainEvent[] = [];
  let undecodable = 0;
  const decoded = await step('decode log', async () => {
    for await (const item of readNdjson(openEventSource(file)))
      if (item.kind === 'event') events.push(item.event);
      else undecodable += 1;
  });

  // 1. Import vs COPY.
  const store = await PostgresEventStore.create({ pool });
  await pool.query('CREATE TABLE msp_events_copy (LIKE msp_events INCLUDING ALL)');
  const imported = await step('import (importEvents → appendBatch)', () => importEvents(store, events));
  const copied = await step('COPY msp_events_copy FROM STDIN', () =>
    copyInto(
      'msp_events_copy',
      ['position', 'stream', 'revision', 'event_id', 'event_type', 'payload'],
      eventLines(events),
    ),
  );
  const mismatches = Number(
    (
      await pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM msp_events a FULL JOIN msp_events_copy b USING (position)
          WHERE a.position IS NULL OR b.position IS NULL
             OR (a.stream, a.revision, a.event_id, a.event_type, a.payload::text)
                IS DISTINCT FROM (b.stream, b.revision, b.event_id, b.event_type, b.payload::text)`,
      )
    ).rows[0]?.n ?? -1,
  );
  log(`rows differing between the imported table and the COPY: ${mismatches}`);
  // Settle both tables (visibility map, statistics) so no autovacuum runs during the reads below.
  await pool.query('VACUUM (ANALYZE) msp_events');
  await pool.query('VACUUM (ANALYZE) msp_events_copy');
  const bytes = { imported: await tableBytes('msp_events'), copied: await tableBytes('msp_events_copy') };

  // The PSA's table, from the same events; and the periods invoiced in the log.
  const derived = await step('work entries (plain JS over the log)', () => workEntryRows(events));
  const psa = derived.value;
  await pool.query(`CREATE TABLE work_entries (
    work_id     text        PRIMARY KEY,
    contract_id text        NOT NULL,
    started_at  timestamptz NOT NULL,
    minutes     integer     NOT NULL,
    hourly_rate numeric     NOT NULL,
    time_zone   text        NOT NULL
  )`);
  const psaCopied = await step('COPY work_entries FROM STDIN', () =>
    copyInto(
      'work_entries',
      ['work_id', 'contract_id', 'started_at', 'minutes', 'hourly_rate', 'time_zone'],
      workEntryLines(psa),
    ),
  );
  await pool.query('VACUUM (ANALYZE) work_entries');
  const issuedPeriods = [
    ...new Set(events.flatMap((e) => (e.type === 'InvoiceIssued' ? [e.data.period] : []))),
  ].toSorted();
  const eventCount = events.length;
  events.length = 0;

  // 2. Replay.
  const select = await step('plain SELECT … ORDER BY position (cursor)', selectAll);
  const readOnly = await step('readAll only (read + decode)', async () => {
    let n = 0;
    let last = 0n;
    for await (const r of readAllEvents(store)) {
      n += 1;
      last = r.position;
    }
    return { events: n, last: last.toString() };
  });
  const folded = await step('readAll + Ledger.apply', async () => {
    const ledger = createLedger();
    let n = 0;
    let invalid = 0;
    for await (const r of readAllEvents(store)) {
      n += 1;
      if (ledger.apply(r.event)._tag === 'Invalid') invalid += 1;
    }
    return { ledger, events: n, invalid };
  });
  const ledger = folded.value.ledger;

  // 3. One month's invoice totals. The month: the last one whose invoicing round is over (the next
  // month's invoices have started), else the last invoiced one, else the month with most entries.
  const byCount = new Map<string, number>();
  if (issuedPeriods.length === 0)
    for (const e of ledger.entries()) byCount.set(e.period, (byCount.get(e.period) ?? 0) + 1);
  const month =
    issuedPeriods.at(-2) ??
    issuedPeriods.at(-1) ??
    [...byCount].toSorted((a, b) => b[1] - a[1])[0]?.[0] ??
    '2025-01';
  const openMonth = nextPeriod(issuedPeriods.at(-1) ?? month);
  const contracts = ledger.contractIds();
  const invoicesOf = (period: string): Map<string, Invoice> => {
    const out = new Map<string, Invoice>();
    for (const c of contracts) {
      const inv = ledger.invoice(c, period);
      if (inv._tag === 'Right') out.set(c, inv.right);
    }
    return out;
  };

  const sql: Array<{ contract_id: string; net: string; entries: number }> = [];
  const sqlSteps: Step[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await step(`SQL aggregate for ${month} (${i + 1}/5)`, () =>
      pool.query<{ contract_id: string; net: string; entries: number }>(AGGREGATE_SQL, [month]),
    );
    sqlSteps.push(r.step);
    if (i === 0) sql.push(...r.value.rows);
  }
  const fold = await repeat(`ledger.invoice(C, ${month}) × ${contracts.length}`, 5, () => invoicesOf(month));
  const drafts = await repeat(`ledger.invoice(C, ${openMonth}) × ${contracts.length}`, 3, () =>
    invoicesOf(openMonth),
  );

  // Compare per contract (one currency each); totals per currency.
  const sqlNet = new Map(sql.map((r) => [r.contract_id, new Dec(r.net)]));
  const currencyOf = (c: string): string => fold.value.get(c)?.currency ?? '?';
  const totals = new Map<string, { sql: Dec; fold: Dec }>();
  let differing = 0;
  let diffSum = ZERO;
  let diffAbs = ZERO;
  const ids = new Set([...sqlNet.keys(), ...fold.value.keys()]);
  for (const c of ids) {
    const s = sqlNet.get(c) ?? ZERO;
    const f = new Dec(fold.value.get(c)?.net ?? '0');
    const t = totals.get(currencyOf(c)) ?? { sql: ZERO, fold: ZERO };
    totals.set(currencyOf(c), { sql: t.sql.plus(s), fold: t.fold.plus(f) });
    const d = f.minus(s);
    if (!d.isZero()) {
      differing += 1;
      diffSum = diffSum.plus(d);
      diffAbs = diffAbs.plus(d.abs());
    }
  }
  // Where the difference comes from: the month's entries by the fold's status, priced the PSA's
  // way; the billable ones also priced the fold's way; and the invoice lines by kind.
  const psaOf = new Map(psa.map((w) => [w.workId, w]));
  const psaAmount = (workId: string): Dec => {
    const w = psaOf.get(workId);
    return w === undefined ? ZERO : amountOf(w.hourlyRate, w.minutes);
  };
  const byStatus: Record<string, { entries: number; minutes: number; psa: Dec; fold: Dec }> = {};
  let incrementMinutes = 0;
  let otherRate = 0;
  const monthEntries = ledger.entries({ period: month });
  for (const e of monthEntries) {
    const s = (byStatus[e.status] ??= { entries: 0, minutes: 0, psa: ZERO, fold: ZERO });
    s.entries += 1;
    s.minutes += e.minutes;
    s.psa = s.psa.plus(psaAmount(e.workId));
    if (e.amount !== null) s.fold = s.fold.plus(e.amount);
    if (e.status === 'billable') {
      incrementMinutes += (e.billedMinutes ?? e.minutes) - e.minutes;
      const w = psaOf.get(e.workId);
      if (w !== undefined && e.hourlyRate !== null && !new Dec(e.hourlyRate).equals(w.hourlyRate))
        otherRate += 1;
    }
  }
  const lines: Record<string, { lines: number; amount: Dec }> = {};
  for (const inv of fold.value.values())
    for (const l of inv.lines) {
      const k = (lines[l.kind] ??= { lines: 0, amount: ZERO });
      k.lines += 1;
      k.amount = k.amount.plus(l.amount);
    }
  // Billable work of the month that its invoice does not carry: logged or changed after the issue.
  const notOnItsInvoice = (byStatus['billable']?.fold ?? ZERO).minus(lines['work']?.amount ?? ZERO);
  const sqlEntries = sql.reduce((a, r) => a + r.entries, 0);
  const issuedThisMonth = [...fold.value.values()].filter((i) => i.status === 'issued').length;

  return {
    events: eventCount,
    undecodable,
    decode: decoded.step,
    import: { ...imported.step, counts: imported.value },
    copy: { ...copied.step, rows: copied.value },
    copyMismatches: mismatches,
    tableBytes: bytes,
    replay: {
      select: { ...select.step, ...select.value },
      readAll: { ...readOnly.step, events: readOnly.value.events },
      fold: { ...folded.step, events: folded.value.events, invalid: folded.value.invalid },
    },
    invoice: {
      month,
      openMonth,
      contracts: contracts.length,
      issuedThisMonth,
      workEntries: {
        rows: psa.length,
        derive: derived.step,
        copy: { ...psaCopied.step, rows: psaCopied.value },
      },
      sql: {
        first: sqlSteps[0],
        median: median(sqlSteps),
        steps: sqlSteps,
        contracts: sql.length,
        entries: sqlEntries,
      },
      fold: {
        first: fold.steps[0],
        median: median(fold.steps),
        steps: fold.steps,
        entries: monthEntries.length,
      },
      drafts: { median: median(drafts.steps), steps: drafts.steps },
      compare: {
        contractsCompared: ids.size,
        differing,
        diffSum: formatMoney(diffSum),
        diffAbs: formatMoney(diffAbs),
        totals: Object.fromEntries(
          [...totals].map(([cur, t]) => [cur, { sql: formatMoney(t.sql), fold: formatMoney(t.fold) }]),
        ),
        byStatus: Object.fromEntries(
          Object.entries(byStatus).map(([k, v]) => [
            k,
            { entries: v.entries, minutes: v.minutes, psa: formatMoney(v.psa), fold: formatMoney(v.fold) },
          ]),
        ),
        billable: { incrementMinutes, otherRate, notOnItsInvoice: formatMoney(notOnItsInvoice) },
        lines: Object.fromEntries(
          Object.entries(lines).map(([k, v]) => [k, { lines: v.lines, amount: formatMoney(v.amount) }]),
        ),
      },
    },
    maxRssKb: process.resourceUsage().maxRSS,
  };
};

/** What the child prints (one JSON line). */
export type PgRunResult = Awaited<ReturnType<typeof measure>>;

try {
  process.stdout.write(`${JSON.stringify(await measure())}\n`);
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.end();
}
