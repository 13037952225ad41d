/**
 * `pnpm bench [-- --sizes 100k,1m,3m] [--shape NAME] [--seed N] [--ops N] [--repeat N] [--profile] [--no-cli] [--no-stateless]`:
 * the benchmarks of issue #7. Not part of the test suite: they take minutes and measure the machine.
 *
 * For each size a realistic log (of the shape `--shape`, shapes.ts; default `standard`) is generated
 * once into `.bench/` (gitignored; reused while its sidecar exists), then measured in separate child
 * processes so that each has its own peak RSS:
 *
 * - `cli`: `msp-billing ledger --events F --format json > /dev/null`, wall time and peak RSS
 *   (`/usr/bin/time`), the number a user sees;
 * - `baseline`: a plain loop that parses and sums without rules (see baseline.ts);
 * - `engine`: `foldNdjson` + `ledger.entries()` in-process, with the heap retained after a full GC
 *   (per work entry), and the incremental latency of one `WorkLogged` + draft invoice read;
 * - `stateless`: the smallest log plus 4× its size in repeated alert acknowledgements (which keep no
 *   state: retained memory must not grow with them), and again in HA heartbeats (which do, 9 bytes
 *   each).
 *
 * A shape other than `standard` has probes: kinds of event left out of a copy of each log, which the
 * engine folds again, so that (CPU with − CPU without) ÷ events left out is their marginal cost.
 *
 * `--profile` also writes a CPU profile of the engine on the 1m log (or the largest size below it)
 * and prints its top functions by self time. Results go to stdout as a Markdown table and to
 * `.bench/results-<sizes>.json`.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { cpus, freemem, totalmem } from 'node:os';
import { summarizeProfile, type CpuProfile } from './profile.js';
import { benchDir, here, label, opt, parseSize, root } from './args.js';
import { isBuildFresh } from '../../cli/bin/fresh.js';
import { SHAPES, probed, type Probe } from './shapes.js';

const argv = process.argv.slice(2);
const sizes = (opt('--sizes') ?? '100k,1m,3m').split(',').map(parseSize);
const seed = Number(opt('--seed') ?? 1);
const ops = Number(opt('--ops') ?? 2000);
const withCli = !argv.includes('--no-cli');
const withStateless = !argv.includes('--no-stateless');
const withProfile = argv.includes('--profile');
const shapeName = opt('--shape') ?? 'standard';
const shape = SHAPES[shapeName];
if (shape === undefined)
  throw new RangeError(`unknown --shape ${shapeName} (one of ${Object.keys(SHAPES).join(', ')})`);
// Each size measured this many times (baseline, engine, CLI in turn): the table shows medians, and
// the ratio's spread, because one run on a shared machine varies by ±10 %.
const repeat = Number(opt('--repeat') ?? 1);
if (!Number.isInteger(repeat) || repeat < 1) throw new RangeError(`--repeat must be a whole number ≥ 1`);
// Whether `msp-billing` will run compiled (packages/cli/dist) or from its sources through tsx.
const cliCompiled = isBuildFresh(resolve(root, 'packages/cli/dist'));

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Run a child to completion; stdout to a file descriptor if given (e.g. /dev/null), else captured. */
const run = async (cmd: string, args: readonly string[], stdoutFd?: number): Promise<ChildResult> => {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr, ms: performance.now() - started };
};

const json = <T>(r: ChildResult, what: string): T => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as T;
};

interface Meta {
  readonly events: number;
  readonly bytes: number;
  readonly contracts: number;
  readonly months: number;
  readonly types: Readonly<Record<string, number>>;
}
interface Baseline {
  readonly ms: number;
  readonly cpuMs?: number;
  /** A second pass in the same process (the JIT warm). */
  readonly warmCpuMs?: number | null;
  readonly events: number;
  readonly maxRssKb: number;
}
interface Engine {
  readonly foldMs: number;
  readonly entriesMs: number;
  readonly cpuMs?: number;
  readonly events: number;
  readonly invalid: number;
  readonly entries: number;
  readonly retainedBytes: number;
  readonly maxRssKb: number;
  readonly incremental: { p50: number; p99: number; max: number; mean: number } | null;
  /** The fold and walk again in the same process, on a new Ledger (the JIT warm). */
  readonly warmCpuMs?: number | null;
}
interface Cli {
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}
/** One measurement of a size: baseline, engine and CLI run one after the other. */
interface Rep {
  readonly baseline: Baseline;
  readonly engine: Engine;
  readonly cli?: Cli;
}
/** A size's row: the medians of its repetitions, the engine ÷ baseline ratio of each, and each run. */
interface Row extends Rep {
  readonly size: string;
  readonly meta: Meta;
  readonly ratios: readonly number[];
  /** The same with the JIT warm in both processes (a second pass each). */
  readonly warmRatios: readonly number[];
  readonly reps: readonly Rep[];
}

const median = (xs: readonly number[]): number => {
  const s = xs.toSorted((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Field by field, the median of the numbers (and of nested objects of numbers) of `items`. */
const medianOf = <T>(items: readonly T[]): T => {
  const first = items[0] as T;
  if (typeof first === 'number') return median(items as readonly number[]) as T;
  if (typeof first !== 'object' || first === null) return first;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(first)) {
    const values = items.map((i) => (i as Record<string, unknown>)[k]);
    out[k] = values.some((v) => v === null || v === undefined) ? (values[0] ?? null) : medianOf(values);
  }
  return out as T;
};

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Where the log of `events` events of this shape and seed is kept. */
const logFile = (events: number): string =>
  resolve(benchDir, `${shapeName === 'standard' ? 'scenario' : shapeName}-${label(events)}-s${seed}.ndjson`);

/** The log of `events` events for this shape and seed, generated unless already there. */
const ensureLog = async (events: number): Promise<{ file: string; meta: Meta }> => {
  const file = logFile(events);
  if (!existsSync(`${file}.meta.json`)) {
    log(`generating ${label(events)} events → ${file}`);
    json(
      await run(process.execPath, [
        '--import',
        'tsx',
        here('generate.ts'),
        file,
        String(events),
        String(seed),
        shapeName,
      ]),
      'generate',
    );
  }
  return { file, meta: JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as Meta };
};

/**
 * Events added to the smallest log to see what memory they keep:
 * - `acks`: acknowledgements of alerts the log already had acknowledged, after the first one. Only
 *   the first acknowledgement counts (4.2), so they hold no state: retained memory must stay flat.
 * - `heartbeats`: restored HA heartbeats of the log's VMs. They do hold state: a restart recorded
 *   later with an earlier instant is counted against them (docs/decisions.md, "HA heartbeats").
 */
type Padding = 'acks' | 'heartbeats';

/** The log `file` plus `extra` padding events of kind `kind`, written once next to it. */
const paddedVariant = async (file: string, extra: number, kind: Padding): Promise<string> => {
  const suffix = kind === 'heartbeats' ? 'stateless' : kind;
  const out = file.replace(/\.ndjson$/, `.plus-${label(extra)}-${suffix}.ndjson`);
  if (existsSync(out)) return out;
  const vms: { contractId: string; vmId: string }[] = [];
  const acknowledged = new Set<string>();
  let last = '2099-01-01T00:00:00Z';
  const w = createWriteStream(`${out}.partial`);
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const event = JSON.parse(line) as { type: string; occurredAt: string; data: Record<string, string> };
    if (event.type === 'MSPBooked')
      vms.push({ contractId: event.data['contractId'] as string, vmId: event.data['vmId'] as string });
    if (event.type === 'AlertAcknowledged') acknowledged.add(event.data['alertId'] as string);
    if (!w.write(`${line}\n`)) await once(w, 'drain');
    last = event.occurredAt;
  }
  const alerts = [...acknowledged];
  if (kind === 'acks' && alerts.length === 0) throw new Error(`${file} has no acknowledged alert to repeat`);
  for (let i = 0; i < extra; i++) {
    const v = vms[i % vms.length] as { contractId: string; vmId: string };
    // At the log's last instant: after every first acknowledgement, so each repeat changes nothing.
    const event =
      kind === 'heartbeats'
        ? { id: `hb-${i}`, type: 'VmHeartbeatRestored', occurredAt: last, data: v }
        : {
            id: `ack-${i}`,
            type: 'AlertAcknowledged',
            occurredAt: last,
            data: { alertId: alerts[i % alerts.length], by: 'ops-bench@example.com' },
          };
    if (!w.write(`${JSON.stringify(event)}\n`)) await once(w, 'drain');
  }
  w.end();
  await once(w, 'finish');
  await rename(`${out}.partial`, out);
  return out;
};

/** The log `file` without the events `probe` leaves out, written next to it; and how many those are. */
const withoutVariant = async (file: string, probe: Probe): Promise<{ file: string; removed: number }> => {
  const out = file.replace(/\.ndjson$/, `.without-${probe.type}${probe.addedOnly ? '-added' : ''}.ndjson`);
  const w = createWriteStream(`${out}.partial`);
  let removed = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (probed(probe, line)) removed += 1;
    else if (!w.write(`${line}\n`)) await once(w, 'drain');
  }
  w.end();
  await once(w, 'finish');
  await rename(`${out}.partial`, out);
  return { file: out, removed };
};

/** The engine on `file` (in a child); with `warm`, the fold and walk again with the JIT warm. */
const engine = async (file: string, incOps: number, profileDir?: string, warm = true): Promise<Engine> => {
  const flags = ['--expose-gc', '--max-old-space-size=16384'];
  if (profileDir !== undefined) {
    await rm(profileDir, { recursive: true, force: true });
    flags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  return json<Engine>(
    await run(process.execPath, [
      ...flags,
      '--import',
      'tsx',
      here('engine.ts'),
      file,
      String(incOps),
      ...(warm ? ['warm'] : []),
    ]),
    'engine',
  );
};

const cli = async (file: string): Promise<Cli> => {
  const timeFile = resolve(benchDir, `time-${process.pid}.out`);
  const devNull = openSync('/dev/null', 'w');
  try {
    const r = await run(
      '/usr/bin/time',
      [
        '-f',
        '%e %M %U %S',
        '-o',
        timeFile,
        process.execPath,
        '--max-old-space-size=16384',
        // The package bin, as a user runs it: the compiled command while it matches the sources.
        'packages/cli/bin/msp-billing.js',
        'ledger',
        '--events',
        file,
        '--format',
        'json',
      ],
      devNull,
    );
    if (r.code !== 0)
      throw new Error(`msp-billing ledger failed (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
    const [, rss, user, sys] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()?.split(' ') ?? [];
    await rm(timeFile, { force: true });
    return { ms: r.ms, cpuMs: (Number(user) + Number(sys)) * 1000, maxRssKb: Number(rss) };
  } finally {
    closeSync(devNull);
  }
};

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const perSec = (events: number, ms: number): string =>
  `${Math.round(events / (ms / 1000)).toLocaleString('en-US')}/s`;
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

await mkdir(benchDir, { recursive: true });
log(
  `machine: ${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}`,
);
if (withCli)
  log(
    cliCompiled
      ? 'cli: the compiled command (packages/cli/dist matches the sources)'
      : 'cli: from the sources through tsx (packages/cli/dist missing or stale: `pnpm build` compiles it)',
  );
const rows: Row[] = [];
/** Each row's log, by its size label. */
const files = new Map<string, string>();
// --profile: the 1m log, or the largest size below it.
const profileTarget = sizes.filter((n) => n <= 1_000_000).toSorted((a, b) => b - a)[0];
const profileDir = (n: number): string => resolve(benchDir, `profile-${label(n)}`);
for (const n of sizes) {
  const { file, meta } = await ensureLog(n);
  files.set(label(n), file);
  const reps: Rep[] = [];
  for (let r = 1; r <= repeat; r++) {
    const of = repeat > 1 ? ` (${r}/${repeat})` : '';
    log(`${label(n)}${of}: baseline…`);
    const baseline = json<Baseline>(
      await run(process.execPath, ['--import', 'tsx', here('baseline.ts'), file, 'warm']),
      'baseline',
    );
    log(`${label(n)}${of}: baseline ${fmtMs(baseline.ms)}; engine…`);
    // The profiled run is the measured run itself: a second pass would double the longest step.
    const profiled = withProfile && n === profileTarget && r === 1;
    const eng = await engine(file, ops, profiled ? profileDir(n) : undefined);
    log(
      `${label(n)}${of}: engine fold ${fmtMs(eng.foldMs)} + entries ${fmtMs(eng.entriesMs)}${withCli ? '; cli…' : ''}`,
    );
    const c = withCli ? await cli(file) : undefined;
    if (c !== undefined) log(`${label(n)}${of}: cli ${fmtMs(c.ms)}, ${mb(c.maxRssKb)}`);
    reps.push({ baseline, engine: eng, ...(c === undefined ? {} : { cli: c }) });
  }
  const ratios = reps.map((r) => (r.engine.cpuMs ?? 0) / (r.baseline.cpuMs ?? 1));
  const warmRatios = reps.map((r) => (r.engine.warmCpuMs ?? 0) / (r.baseline.warmCpuMs ?? 1));
  const clis = reps.flatMap((r) => (r.cli === undefined ? [] : [r.cli]));
  rows.push({
    size: label(n),
    meta,
    baseline: medianOf(reps.map((r) => r.baseline)),
    engine: medianOf(reps.map((r) => r.engine)),
    ...(clis.length === 0 ? {} : { cli: medianOf(clis) }),
    ratios,
    warmRatios,
    reps,
  });
}

const lines: string[] = [];
/** The median ratio, and with several runs their range: `4.1× (3.6–4.4×, 3 runs)`. */
const ratioText = (ratios: readonly number[]): string =>
  ratios.length === 1
    ? `${(ratios[0] as number).toFixed(1)}×`
    : `${median(ratios).toFixed(1)}× (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}×, ${ratios.length} runs)`;
if (repeat > 1) lines.push(`Medians of ${repeat} runs per size; the ratio is taken within each run.`, '');
const cpuOf = (ms: number, cpuMs: number | undefined): string =>
  cpuMs === undefined ? fmtMs(ms) : `${fmtMs(ms)} / ${fmtMs(cpuMs)}`;
lines.push(
  '| log | events | work entries | baseline wall / CPU | engine fold+entries wall / CPU | engine ÷ baseline (CPU) | the same, JIT warm (CPU) | `msp-billing ledger` wall / CPU | peak RSS baseline / engine / CLI | retained per work entry | incremental p50 / p99 |',
);
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const engMs = r.engine.foldMs + r.engine.entriesMs;
  const engCpu = r.engine.cpuMs ?? engMs;
  const baseCpu = r.baseline.cpuMs ?? r.baseline.ms;
  const work = r.meta.types['WorkLogged'] ?? 0;
  const inc = r.engine.incremental;
  lines.push(
    `| ${r.size} (${(r.meta.bytes / 1e6).toFixed(0)} MB) | ${r.meta.events} | ${work} | ` +
      `${cpuOf(r.baseline.ms, r.baseline.cpuMs)} (${perSec(r.meta.events, baseCpu)} CPU) | ` +
      `${cpuOf(engMs, r.engine.cpuMs)} (${perSec(r.meta.events, engCpu)} CPU) | ${ratioText(r.ratios)} | ` +
      `${ratioText(r.warmRatios)} (${fmtMs(r.engine.warmCpuMs ?? 0)} / ${fmtMs(r.baseline.warmCpuMs ?? 0)}) | ` +
      `${r.cli === undefined ? '—' : cpuOf(r.cli.ms, r.cli.cpuMs)} | ` +
      `${mb(r.baseline.maxRssKb)} / ${mb(r.engine.maxRssKb)} / ${r.cli === undefined ? '—' : mb(r.cli.maxRssKb)} | ` +
      `${Math.round(r.engine.retainedBytes / Math.max(1, r.engine.entries))} B | ` +
      `${inc === null ? '—' : `${inc.p50.toFixed(2)} / ${inc.p99.toFixed(2)} ms`} |`,
  );
}
for (const r of rows)
  if (r.engine.invalid > 0) lines.push('', `${r.size}: **${r.engine.invalid} invalid events** in the log.`);
const results: Record<string, unknown> = { shape: shapeName, seed, repeat, cliCompiled, rows };

if (shape.probes.length > 0) {
  const probes: unknown[] = [];
  lines.push(
    '',
    `Marginal cost of the probed events (${shapeName}): the engine's CPU on the log and on a copy without them, run in turn ${repeat} time(s); medians, the marginal cost taken within each pair; cold (the process's first fold, which also compiles the code only those events run) and warm (a second fold in the same process).`,
    '',
    '| log | left out | events left out | engine CPU with / without | marginal per event | average event | marginal ÷ average | warm: CPU with / without | marginal | average | marginal ÷ average |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    for (const probe of shape.probes) {
      const file = files.get(r.size) as string;
      const variant = await withoutVariant(file, probe);
      // With and without in turn, so that both see the same load on a shared machine.
      const withRuns: Engine[] = [];
      const withoutRuns: Engine[] = [];
      for (let k = 1; k <= repeat; k++) {
        log(`${r.size} with and without ${probe.type}${probe.addedOnly ? ' (added)' : ''} (${k}/${repeat})…`);
        withRuns.push(await engine(file, 0));
        withoutRuns.push(await engine(variant.file, 0));
      }
      /** Median CPU with and without, the average event, and the median marginal cost of a pair. */
      const costs = (cpu: (e: Engine) => number): [number, number, number, number] => {
        const withCpus = withRuns.map(cpu);
        const withoutCpus = withoutRuns.map(cpu);
        const marginal = median(
          withCpus.map((w, k) => (w - (withoutCpus[k] as number)) / Math.max(1, variant.removed)),
        );
        return [median(withCpus), median(withoutCpus), median(withCpus) / r.meta.events, marginal];
      };
      const [withCpu, without, average, marginal] = costs((e) => e.cpuMs ?? 0);
      const [warmWith, warmWithout, warmAverage, warmMarginal] = costs((e) => e.warmCpuMs ?? 0);
      const withCpus = withRuns.map((e) => e.cpuMs ?? 0);
      const withoutCpus = withoutRuns.map((e) => e.cpuMs ?? 0);
      probes.push({
        size: r.size,
        probe,
        removed: variant.removed,
        withCpus,
        withoutCpus,
        marginal,
        average,
        warm: {
          withCpus: withRuns.map((e) => e.warmCpuMs),
          withoutCpus: withoutRuns.map((e) => e.warmCpuMs),
          marginal: warmMarginal,
          average: warmAverage,
        },
      });
      lines.push(
        `| ${r.size} | ${probe.type}${probe.addedOnly ? ' (added)' : ''} | ${variant.removed} | ` +
          `${fmtMs(withCpu)} / ${fmtMs(without)} | ${(marginal * 1000).toFixed(0)} µs | ` +
          `${(average * 1000).toFixed(1)} µs | ${(marginal / average).toFixed(1)}× | ` +
          `${fmtMs(warmWith)} / ${fmtMs(warmWithout)} | ${(warmMarginal * 1000).toFixed(0)} µs | ` +
          `${(warmAverage * 1000).toFixed(1)} µs | ${(warmMarginal / warmAverage).toFixed(1)}× |`,
      );
    }
  }
  results['probes'] = probes;
}

const smallest = rows.toSorted((a, b) => a.meta.events - b.meta.events)[0];
if (withStateless && smallest !== undefined) {
  const base = files.get(smallest.size) as string;
  const extra = smallest.meta.events * 4;
  results['stateless'] = { extra };
  lines.push('');
  for (const kind of ['acks', 'heartbeats'] as const) {
    log(`stateless: ${smallest.size} + ${label(extra)} ${kind}…`);
    const padded = await engine(await paddedVariant(base, extra, kind), 0, undefined, false);
    results['stateless'] = { ...(results['stateless'] as object), [kind]: padded };
    lines.push(
      `${smallest.size} log + ${label(extra)} ${kind === 'acks' ? 'repeated alert acknowledgements' : 'HA heartbeats'}: ` +
        `retains ${(padded.retainedBytes / 1e6).toFixed(1)} MB against ${(smallest.engine.retainedBytes / 1e6).toFixed(1)} MB ` +
        `(${((padded.retainedBytes - smallest.engine.retainedBytes) / extra).toFixed(1)} B per extra event); ` +
        `fold ${fmtMs(padded.foldMs)}, peak RSS ${mb(padded.maxRssKb)}.`,
    );
  }
}

if (withProfile && profileTarget !== undefined) {
  const dir = profileDir(profileTarget);
  // tsx runs its loader in a worker thread, which writes a second (idle) profile: keep the busiest.
  let prof: string | undefined;
  let top: ReturnType<typeof summarizeProfile> = [];
  let busiest = -1;
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.cpuprofile'))) {
    const summary = summarizeProfile(JSON.parse(await readFile(resolve(dir, f), 'utf8')) as CpuProfile, 30);
    const busy = summary.filter((l) => l.name !== '(idle)').reduce((a, l) => a + l.selfMs, 0);
    if (busy > busiest) [prof, top, busiest] = [f, summary, busy];
  }
  if (prof !== undefined) {
    results['profile'] = { file: resolve(dir, prof), top };
    lines.push(
      '',
      `CPU profile of the engine on ${label(profileTarget)} (${resolve(dir, prof)}), top self time:`,
      '',
    );
    lines.push('| self | % | function |', '|---:|---:|---|');
    for (const t of top) lines.push(`| ${fmtMs(t.selfMs)} | ${t.percent.toFixed(1)} | \`${t.name}\` |`);
  }
}

await writeFile(
  resolve(
    benchDir,
    `results-${shapeName === 'standard' ? '' : `${shapeName}-`}${sizes.map(label).join('-')}.json`,
  ),
  JSON.stringify(results, null, 1),
);
process.stdout.write(`${lines.join('\n')}\n`);
