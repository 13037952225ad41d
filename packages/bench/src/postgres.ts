/**
 * `pnpm bench:pg [-- --sizes 100k[,1m]] [--seed N] [--database-url URL]`: the PostgreSQL part of
 * the benchmarks of issue #7. Not part of the test suite: it takes minutes and measures the machine.
 *
 * For each size, the log of `pnpm bench` (generated once into `.bench/` by generate.ts, reused
 * while its sidecar exists) is measured in a child process (pgRun.ts) against one database:
 *
 * - `importEvents` into a fresh PostgresEventStore vs `COPY … FROM STDIN` of the same rows;
 * - a full replay (`readAll` folded into a fresh Ledger, and `readAll` alone) vs a plain `SELECT …
 *   ORDER BY position` of the same columns;
 * - one month's invoice totals by a SQL aggregate over a PSA-style work-entry table vs the fold's
 *   `ledger.invoice`, and how many contracts' totals differ;
 * - the SQL read model (pgReadModel.ts): built from the start by one worker, then by two and by four
 *   workers (`--partition i/n`, separate processes, side by side), each time into emptied tables;
 *   wall time of each build, and whether its tables are identical to the single worker's (md5 of
 *   every table's rows).
 *
 * - snapshots (pgSnapshot.ts), on the read model's copy of the log: a full replay from PostgreSQL
 *   vs a start from a snapshot taken 1 % of the log before its end (restore + those events), the
 *   snapshot's size and write time, `msp-billing invoice --store` end to end with the snapshot
 *   and with `--no-snapshot` (the built CLI: run `pnpm build` first), and the example embedding
 *   service started with no snapshot of its own and restarted from the one it wrote on `close`.
 *
 * `--only read-model` skips the first three (the log is still imported, for the read model);
 * `--only snapshot` measures only the snapshots (after importing the log); `--only
 * read-model,snapshot` both. `--workers 1,2` sets the read model's worker counts (default 1,2,4).
 *
 * Without `--database-url` a throwaway PostgreSQL server is started (initdb into a temporary
 * directory, unix socket only, fsync off — an upper bound for the hardware, not a durable setup) and
 * removed at the end, also when a step fails or the run is interrupted. Results go to stdout as
 * Markdown and to `.bench/results-pg-<sizes>.json`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { serverCpuReader } from './pgCpu.js';
import { reapOrphanedServers, startThrowawayPostgres, type ThrowawayPostgres } from './pgDeps.js';
import type { LogMeta } from './generate.js';
import type { PgRunResult, Step } from './pgRun.js';
import { benchDir, here, label, opt, parseSize, root } from './args.js';

const sizes = (opt('--sizes') ?? '100k').split(',').map(parseSize);
const seed = Number(opt('--seed') ?? 1);
const databaseUrl = opt('--database-url') ?? undefined;
// `--only read-model`, `--only snapshot`, or both (`--only read-model,snapshot`).
const workerCounts = (opt('--workers') ?? '1,2,4').split(',').map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('--workers: expected a comma-separated list of worker counts, e.g. 1,2');
  process.exit(2);
}
const only = new Set((opt('--only') ?? '').split(',').filter((x) => x !== ''));
const onlyReadModel = only.size > 0;
const doSnapshot = only.size === 0 || only.has('snapshot');
const doReadModel = only.size === 0 || only.has('read-model');

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Run a child to completion: stdout captured, stderr passed through (its progress) and kept. */
let current: ChildProcess | undefined;
const run = async (
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  current = child;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    process.stderr.write(b);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  current = undefined;
  return { code, stdout, stderr };
};

const lastJson = <T>(r: { code: number | null; stdout: string; stderr: string }, what: string): T => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as T;
};

/** The log of `events` events for this seed (main.ts's cache file), generated unless already there. */
const ensureLog = async (events: number): Promise<{ file: string; meta: LogMeta }> => {
  const file = resolve(benchDir, `scenario-${label(events)}-s${seed}.ndjson`);
  if (!existsSync(`${file}.meta.json`)) {
    log(`generating ${label(events)} events → ${file}`);
    lastJson(
      await run(['--import', 'tsx', here('generate.ts'), file, String(events), String(seed)]),
      'generate',
    );
  }
  return { file, meta: JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as LogMeta };
};

/** What the server is and how it is configured: for the output, so no number travels without it. */
const describeServer = async (url: string): Promise<Record<string, string>> => {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const r = await pool.query<Record<string, string>>(
      `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS synchronous_commit,
              current_setting('full_page_writes') AS full_page_writes,
              current_setting('shared_buffers') AS shared_buffers,
              coalesce(inet_server_addr()::text, 'unix socket') AS connection`,
    );
    return r.rows[0] ?? {};
  } finally {
    await pool.end();
  }
};

interface Row {
  readonly size: string;
  readonly meta: LogMeta;
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly run: PgRunResult | undefined;
}

/** One read-model worker's report (pgReadModel.ts `worker`). */
interface WorkerRun {
  readonly partition: string;
  readonly events: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/** A build of the read model by `workers.length` processes side by side. */
interface Build {
  readonly wallMs: number;
  readonly workers: readonly WorkerRun[];
  readonly digest: string;
  readonly load: readonly number[];
  /** CPU time of the whole PostgreSQL server during the build (null: not on this machine). */
  readonly serverCpuMs: number | null;
}

/** pgSnapshot.ts's report. */
interface SnapshotRun {
  readonly events: number;
  readonly tail: number;
  readonly fullReplayMs: number;
  readonly writeMs: number;
  readonly saveMs: number;
  readonly bytes: number;
  readonly restoreMs: number;
  readonly sameAnswers: boolean;
  readonly invoice: {
    readonly contract: string;
    readonly period: string;
    readonly compiled: boolean;
    readonly withSnapshotMs: number;
    readonly withoutSnapshotMs: number;
    readonly sameOutput: boolean;
  };
  /** The example service: a start with no snapshot of its own, and a restart from the one it wrote. */
  readonly service: {
    readonly replayMs: number;
    readonly closeMs: number;
    readonly restartMs: number;
    readonly firstCommandMs: number;
    readonly sameAnswer: boolean;
  };
  readonly load: readonly number[];
}

/** A worker started again 1000 events before the end, from its snapshot and replaying the log. */
interface Restart {
  readonly snapshotBytes: number;
  readonly fromSnapshotMs: number;
  readonly replayMs: number;
  readonly events: number;
  readonly load: readonly number[];
}

interface ReadModelRow {
  readonly size: string;
  readonly rows: Readonly<Record<string, number>>;
  readonly builds: readonly Build[];
  readonly restart: Restart | undefined;
  readonly snapshot: SnapshotRun | undefined;
}

/** The read model built by 1, then 2 worker processes, from an emptied read model each time. */
const readModelBench = async (file: string, url: string, size: string): Promise<ReadModelRow> => {
  const schema = `msp_bench_rm_${size.toLowerCase()}_${process.pid}`;
  const child = (step: string, ...args: string[]) =>
    run(['--import', 'tsx', here('pgReadModel.ts'), step, url, schema, ...args]);
  // The server's CPU, read through one idle connection (its backend pid finds the postmaster).
  const probe = new Pool({ connectionString: url, max: 1 });
  let serverCpu: (() => number) | undefined;
  try {
    const pid = (await probe.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    serverCpu = pid === undefined ? undefined : serverCpuReader(pid);
    log(`${size}: read model — importing the log into ${schema}`);
    lastJson(await child('prepare', file), 'read model prepare');
    let snapshot: SnapshotRun | undefined;
    if (doSnapshot) {
      log(`${size}: snapshots`);
      const load = loadavg();
      const events = Number(
        (await probe.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.msp_events`)).rows[0]
          ?.n ?? 0,
      );
      const tail = String(Math.max(1, Math.round(events / 100)));
      const snap = (step: string, ...rest: string[]) =>
        run([
          '--max-old-space-size=16384',
          '--import',
          'tsx',
          here('pgSnapshot.ts'),
          step,
          url,
          schema,
          ...rest,
        ]);
      const replay = lastJson<{
        events: number;
        wallMs: number;
        digest: string;
        contract: string;
        period: string;
      }>(await snap('replay'), 'replay');
      const written = lastJson<{ tail: number; writeMs: number; saveMs: number; bytes: number }>(
        await snap('write', tail),
        'snapshot write',
      );
      const restored = lastJson<{ wallMs: number; digest: string }>(
        await snap('restore'),
        'snapshot restore',
      );
      const invoice = lastJson<SnapshotRun['invoice']>(
        await snap('invoice', replay.contract, replay.period),
        'invoice --store',
      );
      const serviceReplay = lastJson<{ wallMs: number; closeMs: number; digest: string }>(
        await snap('service-replay', invoice.contract, invoice.period),
        'example service, no snapshot',
      );
      const serviceRestart = lastJson<{ wallMs: number; firstCommandMs: number; digest: string }>(
        await snap('service-restart', invoice.contract, invoice.period),
        'example service, restart',
      );
      snapshot = {
        events: replay.events,
        tail: written.tail,
        fullReplayMs: replay.wallMs,
        writeMs: written.writeMs,
        saveMs: written.saveMs,
        bytes: written.bytes,
        restoreMs: restored.wallMs,
        sameAnswers: restored.digest === replay.digest,
        invoice,
        service: {
          replayMs: serviceReplay.wallMs,
          closeMs: serviceReplay.closeMs,
          restartMs: serviceRestart.wallMs,
          firstCommandMs: serviceRestart.firstCommandMs,
          sameAnswer: serviceRestart.digest === serviceReplay.digest,
        },
        load,
      };
    }
    const builds: Build[] = [];
    let rows: Record<string, number> = {};
    for (const n of doReadModel ? workerCounts : []) {
      lastJson(await child('reset'), 'read model reset');
      const load = loadavg();
      const s0 = serverCpu?.();
      const t0 = performance.now();
      const workers = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          child('worker', `${i}/${n}`).then((r) => lastJson<WorkerRun>(r, `read model worker ${i}/${n}`)),
        ),
      );
      const wallMs = performance.now() - t0;
      const s1 = serverCpu?.();
      const serverCpuMs = s0 === undefined || s1 === undefined ? null : s1 - s0;
      const digest = lastJson<Record<string, { rows: number; md5: string }>>(await child('digest'), 'digest');
      rows = Object.fromEntries(Object.entries(digest).map(([t, d]) => [t, d.rows]));
      builds.push({ wallMs, workers, digest: JSON.stringify(digest), load, serverCpuMs });
      log(`${size}: read model, ${n} worker${n === 1 ? '' : 's'}: ${(wallMs / 1000).toFixed(2)} s wall`);
    }
    let restart: Restart | undefined;
    if (doReadModel) {
      // One worker stopped 1000 events before the end (its snapshot there), then started again.
      lastJson(await child('reset'), 'read model reset');
      const partial = lastJson<{ checkpoint: string; snapshotBytes: number }>(
        await child('partial', '1000'),
        'read model partial build',
      );
      const load = loadavg();
      type Restarted = { events: number; wallMs: number };
      const fromSnapshot = lastJson<Restarted>(
        await child('restart', 'snapshot', partial.checkpoint),
        'restart from snapshot',
      );
      const replay = lastJson<Restarted>(
        await child('restart', 'replay', partial.checkpoint),
        'restart replay',
      );
      restart = {
        snapshotBytes: partial.snapshotBytes,
        fromSnapshotMs: fromSnapshot.wallMs,
        replayMs: replay.wallMs,
        events: fromSnapshot.events,
        load,
      };
      log(
        `${size}: read model restart: ${(fromSnapshot.wallMs / 1000).toFixed(2)} s from snapshot, ${(replay.wallMs / 1000).toFixed(2)} s replaying`,
      );
    }
    return { size, rows, builds, restart, snapshot };
  } finally {
    await child('drop');
    await probe.end();
  }
};

await mkdir(benchDir, { recursive: true });
const machine = `${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
log(
  `machine: ${machine}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

let server: ThrowawayPostgres | undefined;
// The throwaway server goes away whatever happens: normal end (finally), a thrown error (finally),
// Ctrl-C or kill (signal handlers, which pass the signal on to the child), process.exit.
const stopOnExit = (): void => server?.stopSync();
const stopOnSignal = (signal: NodeJS.Signals): void => {
  current?.kill(signal);
  stopOnExit();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.once('exit', stopOnExit);
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

const rows: Row[] = [];
const readModelRows: ReadModelRow[] = [];
let settings: Record<string, string> = {};
try {
  const logs = [];
  for (const n of sizes) logs.push({ n, ...(await ensureLog(n)) });
  if (databaseUrl === undefined) {
    reapOrphanedServers();
    log('starting a throwaway PostgreSQL server (fsync off, unix socket)…');
    server = await startThrowawayPostgres('msp_bench_pg');
  }
  const url = databaseUrl ?? (server as ThrowawayPostgres).url;
  settings = await describeServer(url);
  log(`server: ${JSON.stringify(settings)}${server === undefined ? '' : ' (throwaway)'}`);
  for (const { n, file, meta } of logs) {
    const size = label(n);
    log(`${size}: ${meta.events} events, ${(meta.bytes / 1e6).toFixed(0)} MB`);
    const before = loadavg();
    const result = onlyReadModel
      ? undefined
      : lastJson<PgRunResult>(
          await run([
            '--expose-gc',
            '--max-old-space-size=16384',
            '--import',
            'tsx',
            here('pgRun.ts'),
            file,
            url,
            `msp_bench_${size.toLowerCase()}_${process.pid}`,
          ]),
          `pgRun ${size}`,
        );
    rows.push({ size, meta, load: { before, after: loadavg() }, run: result });
    readModelRows.push(await readModelBench(file, url, size));
  }
} finally {
  await server?.stop();
  server = undefined;
}

// ---------------------------------------------------------------------------------------------------
// Output

const s = (ms: number): string =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
const msOf = (ms: number): string => (ms >= 1000 ? s(ms) : `${ms.toFixed(1)} ms`);
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
const cpuOf = (x: Step): string =>
  x.serverCpuMs === null ? s(x.cpuMs) : `${s(x.cpuMs)} + ${s(x.serverCpuMs)}`;
const totalCpu = (x: Step): number => x.cpuMs + (x.serverCpuMs ?? 0);
const times = (a: Step, b: Step): string =>
  `${(a.wallMs / b.wallMs).toFixed(1)}× (CPU ${(totalCpu(a) / totalCpu(b)).toFixed(1)}×)`;

// Rows of the import, replay and invoice steps (absent with --only read-model).
const measured = rows.flatMap((r) => (r.run === undefined ? [] : [{ ...r, run: r.run }]));
const lines: string[] = [];
lines.push(
  '| log | step | wall | CPU node + server | events/s (wall) | ratio: wall (CPU node + server) |',
  '|---|---|---:|---:|---:|---:|',
);
for (const r of measured) {
  const { run: x } = r;
  const n = x.events;
  const tag = `${r.size}`;
  lines.push(
    `| ${tag} | import: \`importEvents\` → \`appendBatch\` | ${s(x.import.wallMs)} | ${cpuOf(x.import)} | ${rate(n, x.import.wallMs)} | **${times(x.import, x.copy)}** vs COPY |`,
    `| ${tag} | \`COPY msp_events_copy FROM STDIN\`, same rows | ${s(x.copy.wallMs)} | ${cpuOf(x.copy)} | ${rate(x.copy.rows, x.copy.wallMs)} | 1 |`,
    `| ${tag} | replay: \`readAll\` + \`Ledger.apply\` | ${s(x.replay.fold.wallMs)} | ${cpuOf(x.replay.fold)} | ${rate(x.replay.fold.events, x.replay.fold.wallMs)} | **${times(x.replay.fold, x.replay.select)}** vs SELECT |`,
    `| ${tag} | \`readAll\` only (pages + decoding) | ${s(x.replay.readAll.wallMs)} | ${cpuOf(x.replay.readAll)} | ${rate(x.replay.readAll.events, x.replay.readAll.wallMs)} | ${times(x.replay.readAll, x.replay.select)} vs SELECT |`,
    `| ${tag} | plain \`SELECT … ORDER BY position\`, cursor | ${s(x.replay.select.wallMs)} | ${cpuOf(x.replay.select)} | ${rate(x.replay.select.rows, x.replay.select.wallMs)} | 1 |`,
  );
}
lines.push(
  '',
  '| log | month | SQL aggregate (median of 5) | `ledger.invoice(C, month)` × contracts (median of 5) | Ledger build (replay above) | drafts of the open month × contracts |',
  '|---|---|---:|---:|---:|---:|',
);
for (const r of measured) {
  const v = r.run.invoice;
  lines.push(
    `| ${r.size} | ${v.month} | ${msOf(v.sql.median.wallMs)} (${v.sql.contracts} contracts, ${v.sql.entries} entries) | ` +
      `${msOf(v.fold.median.wallMs)} (${v.contracts} contracts, ${v.issuedThisMonth} issued) | ${s(r.run.replay.fold.wallMs)} | ` +
      `${msOf(v.drafts.median.wallMs)} (${v.openMonth}) |`,
  );
}
lines.push(
  '',
  '| log | month | entries SQL / fold | totals SQL → fold | contracts differing | Σ (fold − SQL) | Σ |fold − SQL| |',
  '|---|---|---:|---|---:|---:|---:|',
);
for (const r of measured) {
  const c = r.run.invoice.compare;
  const totals = Object.entries(c.totals)
    .map(([cur, t]) => `${cur} ${t.sql} → ${t.fold}`)
    .join('; ');
  lines.push(
    `| ${r.size} | ${r.run.invoice.month} | ${r.run.invoice.sql.entries} / ${r.run.invoice.fold.entries} | ${totals} | ` +
      `${c.differing} of ${c.contractsCompared} | ${c.diffSum} | ${c.diffAbs} |`,
  );
}
for (const r of measured) {
  const c = r.run.invoice.compare;
  const st = Object.entries(c.byStatus)
    .map(([k, v]) => `${k} ${v.entries} (PSA ${v.psa}${k === 'billable' ? `, fold ${v.fold}` : ''})`)
    .join(', ');
  const ln = Object.entries(c.lines)
    .map(([k, v]) => `${k} ${v.lines} (${v.amount})`)
    .join(', ');
  lines.push(
    '',
    `${r.size}, ${r.run.invoice.month}: the month's entries by the fold's status — ${st}; billable entries billed ` +
      `${c.billable.incrementMinutes} minutes more by increments, ${c.billable.otherRate} at another rate than the PSA stamped, ` +
      `${c.billable.notOnItsInvoice} of them not on the month's invoice (logged or changed after it was issued). ` +
      `Invoice lines: ${ln}. COPY rows differing from the import: ${r.run.copyMismatches}. ` +
      `Table size imported / COPY: ${(r.run.tableBytes.imported / 1e6).toFixed(0)} / ${(r.run.tableBytes.copied / 1e6).toFixed(0)} MB. ` +
      `Peak RSS of the child: ${(r.run.maxRssKb / 1024).toFixed(0)} MB. Load average before / after: ` +
      `${r.load.before.map((l) => l.toFixed(2)).join(' ')} / ${r.load.after.map((l) => l.toFixed(2)).join(' ')}.`,
  );
}
// With --only read-model the tables above have no rows: leave them out.
if (measured.length === 0) lines.length = 0;
lines.push(
  '',
  `Server: PostgreSQL ${settings['version'] ?? '?'}, ${settings['connection'] ?? '?'}, fsync=${settings['fsync'] ?? '?'}, ` +
    `synchronous_commit=${settings['synchronous_commit'] ?? '?'}, full_page_writes=${settings['full_page_writes'] ?? '?'}, ` +
    `shared_buffers=${settings['shared_buffers'] ?? '?'}${databaseUrl === undefined ? ' (throwaway server: fsync off is not a durable setup)' : ''}. Machine: ${machine}.`,
);

lines.push(
  '',
  '| log | read model build | wall | ratio to 1 worker | CPU per worker (node) | CPU of the server | CPU in all | peak RSS per worker | rows: entries / invoices / lines | tables identical to 1 worker |',
  '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
);
for (const r of readModelRows) {
  const [one] = r.builds;
  for (const b of r.builds)
    lines.push(
      `| ${r.size} | ${b.workers.length} worker${b.workers.length === 1 ? '' : 's'} (load ${b.load.map((l) => l.toFixed(1)).join(' ')}) | ` +
        `${s(b.wallMs)} | ${one === undefined ? '' : `${(b.wallMs / one.wallMs).toFixed(2)}×`} | ` +
        `${b.workers.map((w) => s(w.cpuMs)).join(', ')} | ${b.serverCpuMs === null ? '?' : s(b.serverCpuMs)} | ` +
        `${s(b.workers.reduce((t, w) => t + w.cpuMs, 0) + (b.serverCpuMs ?? 0))} | ${b.workers.map((w) => `${(w.maxRssKb / 1024).toFixed(0)} MB`).join(', ')} | ` +
        `${r.rows['billing_entries'] ?? 0} / ${r.rows['billing_invoices'] ?? 0} / ${r.rows['billing_invoice_lines'] ?? 0} | ` +
        `${one !== undefined && b.digest === one.digest ? 'yes' : 'NO'} |`,
    );
}

const restartRows = readModelRows.flatMap((r) =>
  r.restart === undefined ? [] : [{ size: r.size, x: r.restart }],
);
if (restartRows.length > 0)
  lines.push(
    '',
    '| log | read-model worker started again (1 worker, the last events to apply) | wall | ratio |',
    '|---|---|---:|---:|',
    ...restartRows.flatMap(({ size, x }) => [
      `| ${size} | replaying the log up to its checkpoint, then ${x.events} events (\`--no-snapshot\`; load ${x.load.map((l) => l.toFixed(1)).join(' ')}) | ${s(x.replayMs)} | 1 |`,
      `| ${size} | from its snapshot at the checkpoint (${(x.snapshotBytes / 1e6).toFixed(1)} MB), then ${x.events} events | ${s(x.fromSnapshotMs)} | **${((100 * x.fromSnapshotMs) / x.replayMs).toFixed(1)} %** |`,
    ]),
  );

const snapshotRows = readModelRows.flatMap((r) =>
  r.snapshot === undefined ? [] : [{ size: r.size, x: r.snapshot }],
);
if (snapshotRows.length > 0)
  lines.push(
    '',
    '| log | snapshot step | wall | ratio |',
    '|---|---|---:|---:|',
    ...snapshotRows.flatMap(({ size, x }) => [
      `| ${size} | full replay from PostgreSQL (a fresh process: \`readAll\` + \`Ledger.apply\`, ${x.events} events; load ${x.load.map((l) => l.toFixed(1)).join(' ')}) | ${s(x.fullReplayMs)} | 1 |`,
      `| ${size} | start from a snapshot (a fresh process): load + \`readSnapshot\` + the ${x.tail} events after it | ${s(x.restoreMs)} | **${((100 * x.restoreMs) / x.fullReplayMs).toFixed(1)} %** of the replay (answers the same: ${x.sameAnswers ? 'yes' : 'NO'}) |`,
      `| ${size} | \`writeSnapshot\` (${(x.bytes / 1e6).toFixed(1)} MB) + \`saveSnapshot\` (one transaction) | ${s(x.writeMs)} + ${s(x.saveMs)} | |`,
      `| ${size} | \`msp-billing invoice --store … --contract ${x.invoice.contract} --period ${x.invoice.period}\`, from the snapshot (end to end${x.invoice.compiled ? '' : ', CLI NOT COMPILED: run pnpm build'}) | ${s(x.invoice.withSnapshotMs)} | |`,
      `| ${size} | the same with \`--no-snapshot\` (full replay) | ${s(x.invoice.withoutSnapshotMs)} | output the same: ${x.invoice.sameOutput ? 'yes' : 'NO'} |`,
      `| ${size} | example service, no snapshot of its own: start until its first answer (a full replay) | ${s(x.service.replayMs)} | 1 |`,
      `| ${size} | example service restarted from the snapshot its \`close\` wrote (${s(x.service.closeMs)}): start until its first answer | ${s(x.service.restartMs)} | **${((100 * x.service.restartMs) / x.service.replayMs).toFixed(1)} %** (answer the same: ${x.service.sameAnswer ? 'yes' : 'NO'}) |`,
      `| ${size} | its first command after the restart (reads the Registry) | ${s(x.service.firstCommandMs)} | |`,
    ]),
  );

await writeFile(
  resolve(benchDir, `results-pg-${sizes.map(label).join('-')}.json`),
  JSON.stringify(
    { seed, machine, server: settings, throwaway: databaseUrl === undefined, rows, readModel: readModelRows },
    null,
    1,
  ),
);
process.stdout.write(`${lines.join('\n')}\n`);
