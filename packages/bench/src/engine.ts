/**
 * Child process: the engine on one log, measured from inside (run with `--expose-gc`).
 *
 * 1. `foldNdjson` of the file, then every entry through `ledger.eachEntry()` (what `msp-billing
 *    ledger --format json` computes and writes one at a time), timed;
 * 2. retained memory: heap used plus memory outside the heap (typed arrays' buffers) after a full GC
 *    with the Ledger alive, minus the same before the fold;
 * 3. incremental latency: append one `WorkLogged` to a random contract (`ledger.apply`) and read that
 *    contract's draft invoice, many times; p50 / p99 / max;
 * 4. with `warm` as the third argument, step 1 again on a new Ledger (`warmCpuMs`): the same work with
 *    the JIT warm, so what step 1 spent compiling the engine (a one-off, on V8's helper threads) is
 *    not in it.
 *
 * Prints one JSON object; `maxRssKb` is the peak resident set of this process before step 4.
 */
import { openEventSource, decodeEvent, foldNdjson, type DomainEvent, type Ledger } from './deps.js';

const file = process.argv[2];
const incrementalOps = Number(process.argv[3] ?? 0);
const warm = process.argv[4] === 'warm';
if (file === undefined) throw new Error('usage: engine.ts <file> [incremental-ops] [warm]');
const gc = (globalThis as { gc?: () => void }).gc;
const settle = (): number => {
  gc?.();
  gc?.();
  // Typed arrays keep their contents outside the JavaScript heap: `external` counts them.
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const heapBefore = settle();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// Let go of before step 4, so that its fold does not run beside this Ledger.
let folded: Awaited<ReturnType<typeof foldNdjson>> | undefined = await foldNdjson(openEventSource(file));
const { stats } = folded;
const foldMs = performance.now() - t0;
const t1 = performance.now();
// Every entry, one at a time, as `msp-billing ledger --format json` writes them (Ledger.eachEntry);
// what the incremental step needs is noted on the way.
let entryCount = 0;
// The last period any entry belongs to: the incremental appends go to the month after it (a draft).
let lastPeriod = '0000-00';
const ticketOf = new Map<string, string>();
for (const e of folded.ledger.eachEntry()) {
  entryCount += 1;
  if (e.period > lastPeriod) lastPeriod = e.period;
  if (!ticketOf.has(e.contractId)) ticketOf.set(e.contractId, e.ticketId);
}
const entriesMs = performance.now() - t1;
// CPU time as well as wall time: on a shared machine the wall clock measures the neighbours too.
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const heapAfter = settle();

const percentile = (xs: readonly number[], p: number): number => {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/** Apply one new WorkLogged and read the contract's draft, `ops` times; latencies in ms. */
const incremental = (
  l: Ledger,
  ops: number,
): { p50: number; p99: number; max: number; mean: number } | undefined => {
  const contracts = [...ticketOf.keys()];
  if (ops <= 0 || contracts.length === 0) return undefined;
  const [y, m] = lastPeriod.split('-').map(Number) as [number, number];
  const draftY = m === 12 ? y + 1 : y;
  const draftM = m === 12 ? 1 : m + 1;
  const draft = `${draftY}-${String(draftM).padStart(2, '0')}`;
  // Events are decoded up front: the latency asked for is apply + query, not JSON decoding.
  const prepared: { event: DomainEvent; contractId: string }[] = [];
  let seed = 12345;
  for (let i = 0; i < ops; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const contractId = contracts[seed % contracts.length] as string;
    const day = 2 + (i % 25);
    const wire = {
      id: `bench-inc-${i}`,
      type: 'WorkLogged',
      occurredAt: `${draft}-${String(day).padStart(2, '0')}T11:00:00+01:00`,
      data: {
        workId: `bench-W-${i}`,
        ticketId: ticketOf.get(contractId),
        technician: 'j.weber',
        startedAt: `${draft}-${String(day).padStart(2, '0')}T10:00:00+01:00`,
        minutes: 15 + (i % 60),
      },
    };
    const r = decodeEvent(wire);
    if (r._tag === 'Left') throw new Error(r.left.message);
    prepared.push({ event: r.right, contractId });
  }
  const lat: number[] = [];
  for (const { event, contractId } of prepared) {
    const s = performance.now();
    const applied = l.apply(event);
    const inv = l.invoice(contractId, draft);
    lat.push(performance.now() - s);
    if (applied._tag !== 'Applied' || inv._tag === 'Left') throw new Error('incremental append failed');
  }
  // The first tenth warms the JIT and the per-contract caches; report the steady state.
  const steady = lat.slice(Math.floor(lat.length / 10));
  return {
    p50: percentile(steady, 50),
    p99: percentile(steady, 99),
    max: Math.max(...steady),
    mean: steady.reduce((a, b) => a + b, 0) / steady.length,
  };
};

// The full GCs above leave the whole heap to be swept; V8 does that on helper threads, and the
// main thread sweeps on demand when it allocates meanwhile. A service starts answering after its
// start-up work has settled, so the latencies are taken after a short idle pause.
await new Promise((resolve) => setTimeout(resolve, Number(process.env.MSP_BENCH_IDLE_MS ?? 1000)));
const inc = incremental(folded.ledger, incrementalOps);
const maxRssKb = process.resourceUsage().maxRSS;
folded = undefined;

/** Step 4: CPU ms of fold + every entry again, on a new Ledger. */
const warmPass = async (): Promise<number> => {
  const c0 = process.cpuUsage();
  const again = await foldNdjson(openEventSource(file));
  let n = 0;
  for (const _ of again.ledger.eachEntry()) n += 1;
  const c = process.cpuUsage(c0);
  if (n !== entryCount) throw new Error('the warm pass found other entries');
  return (c.user + c.system) / 1000;
};
const warmCpuMs = warm ? await warmPass() : null;
process.stdout.write(
  `${JSON.stringify({
    foldMs,
    entriesMs,
    cpuMs,
    events: stats.events,
    invalid: stats.invalid,
    entries: entryCount,
    retainedBytes: heapAfter - heapBefore,
    maxRssKb,
    incremental: inc ?? null,
    warmCpuMs,
  })}\n`,
);
