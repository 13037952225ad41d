/**
 * `pnpm demo`: the engine end to end on a believable month. A seeded scenario (four contracts, one
 * per SLA, September and October 2026) is generated, appended to the embedded in-memory event store
 * with the bulk importer, read back in global order with `readAll`, folded into a Ledger, and printed
 * the way a hosting provider's back office reads it: per contract the issued September invoice and
 * the October draft (lines, net / VAT / gross), the held and flagged entries with their clauses, and a
 * ledger summary. Same seed, same output: nothing here reads the clock or the machine's zone.
 *
 * Usage: `pnpm demo [-- --seed N]` (default seed 42).
 */
import { pathToFileURL } from 'node:url';
import { decodeEvent, type DomainEvent } from '@msp-billing/events';
import { InMemoryEventStore, importEvents } from '@msp-billing/store';
import { createLedger, Dec, ZERO, formatMoney, type Invoice, type Ledger } from '@msp-billing/billing';
import { demoScenarioOptions, generateScenario, type ScenarioOptions } from '@msp-billing/testing';

/** The seed the README's output was printed with. */
export const DEFAULT_DEMO_SEED = 42;

/** What the demo built: the ledger it printed and the counts it reported. */
export interface DemoRun {
  readonly seed: number;
  readonly options: ScenarioOptions;
  readonly ledger: Ledger;
  readonly events: number;
  readonly streams: number;
  readonly text: string;
}

const WIDTH = 108;
const rule = (ch: string): string => ch.repeat(WIDTH);
const left = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const right = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** Decoded events of the scenario; a generator bug would surface here, not as a wrong invoice. */
function* decoded(options: ScenarioOptions): Generator<DomainEvent> {
  let line = 0;
  for (const wire of generateScenario(options)) {
    line += 1;
    const r = decodeEvent(wire);
    if (r._tag === 'Left') throw new Error(`generated event ${line} does not decode: ${r.left.message}`);
    yield r.right;
  }
}

/** Append the scenario to an in-memory store, then fold the store's global order into a Ledger. */
const buildLedger = async (
  options: ScenarioOptions,
): Promise<{ ledger: Ledger; events: number; streams: number }> => {
  const store = new InMemoryEventStore();
  const streams = new Set<string>();
  const counts = await importEvents(store, decoded(options));
  const ledger = createLedger();
  let from: bigint | undefined;
  for (;;) {
    const page = await store.readAll({
      batchSize: 500,
      ...(from === undefined ? {} : { fromPosition: from }),
    });
    if (page.length === 0) break;
    for (const rec of page) {
      streams.add(rec.stream);
      ledger.apply(rec.event);
      from = rec.position;
    }
  }
  await store.close();
  return { ledger, events: counts.appended, streams: streams.size };
};

const invoiceText = (inv: Invoice, out: string[]): void => {
  const head =
    inv.status === 'issued'
      ? `Invoice ${inv.invoiceNumber ?? ''} · period ${inv.period} · issued`
      : `Draft invoice · period ${inv.period} · ${inv.status}`;
  out.push(`  ${head}`);
  if (inv.lines.length === 0) out.push('    (no lines)');
  else {
    out.push(
      `    ${left('kind', 11)}${left('work', 8)}${left('ticket', 8)}${left('started UTC', 13)}${left('service', 24)}` +
        `${right('min', 5)}${right('billed', 8)}${right('rate/h', 10)}${right('amount', 12)}  clause`,
    );
    for (const l of inv.lines) {
      out.push(
        `    ${left(l.kind, 11)}${left(l.workId, 8)}${left(l.ticketId, 8)}` +
          `${left(l.startedAt.slice(5, 16).replace('T', ' '), 13)}${left(l.service, 24)}` +
          `${right(String(l.minutes), 5)}${right(String(l.billedMinutes), 8)}${right(l.hourlyRate, 10)}` +
          `${right(l.amount, 12)}  ${l.clause}`,
      );
    }
  }
  const money = (label: string, amount: string): string =>
    `    ${right(label, 79)}${right(amount, 12)} ${inv.currency}`;
  out.push(money('net', inv.net));
  out.push(money(`VAT ${inv.vatRatePercent} %`, inv.vat));
  out.push(money('gross', inv.gross));
  out.push(`    included: ${inv.included.entries} entries, ${inv.included.minutes} min (no charge)`);
  if (inv.held.length > 0) {
    out.push(`    held — awaiting an authorised requester's confirmation (3):`);
    for (const h of inv.held) out.push(`      ${left(h.workId, 8)}${left(h.ticketId, 8)}${h.reason}`);
  }
  if (inv.flagged.length > 0) {
    out.push('    flagged — not billed, not included; needs a human:');
    for (const f of inv.flagged)
      out.push(`      ${left(f.workId, 8)}${left(f.ticketId, 8)}${left(f.clause, 5)}${f.reason}`);
  }
  out.push('');
};

const invoiceOf = (ledger: Ledger, contractId: string, period: string): Invoice => {
  const r = ledger.invoice(contractId, period);
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
};

/** The months of a scenario, `YYYY-MM`. */
const periodsOf = (o: ScenarioOptions): string[] => {
  const [y, m] = o.from.split('-').map(Number) as [number, number];
  return Array.from({ length: o.months }, (_, i) => {
    const k = m - 1 + i;
    return `${y + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
};

/** Run the demo for `seed` and return what it printed (and the ledger, for tests). */
export const runDemo = async (seed: number = DEFAULT_DEMO_SEED): Promise<DemoRun> => {
  const options = demoScenarioOptions(seed);
  const { ledger, events, streams } = await buildLedger(options);
  const periods = periodsOf(options);
  const out: string[] = [];
  out.push(`msp-billing demo — Managed Service Package billing, seed ${seed}`);
  out.push(
    `${options.contracts} contracts, ${periods.join(' and ')}: ${events} events generated, appended to the ` +
      `in-memory event store (${streams} streams), folded from readAll into the Ledger`,
  );
  out.push('');

  const entries = ledger.entries();
  const contractIds = ledger.contractIds().toSorted();
  contractIds.forEach((contractId, i) => {
    const mine = entries.filter((e) => e.contractId === contractId);
    const first = invoiceOf(ledger, contractId, periods[0] as string);
    const ex = mine[0] === undefined ? undefined : ledger.explain(mine[0].workId);
    const zone = ex !== undefined && ex._tag === 'Right' ? ex.right.timeZone : '';
    // The scenario books its contracts in id order, one per SLA of `slas`.
    const sla = options.slas?.[i % options.slas.length] ?? '';
    out.push(rule('═'));
    out.push(
      `Contract ${contractId} · SLA ${sla} · ${zone} · ${first.currency} · ${mine.length} work entries`,
    );
    out.push(rule('─'));
    for (const p of periods) invoiceText(invoiceOf(ledger, contractId, p), out);
  });

  // The ledger summary: every current entry by status, and what is billable per currency.
  out.push(rule('═'));
  out.push('Ledger summary (all contracts, all periods)');
  const byStatus = new Map<string, { count: number; minutes: number }>();
  const billable = new Map<string, Dec>();
  const currencyOf = new Map(
    ledger.contractIds().map((c) => [c, invoiceOf(ledger, c, periods[0] as string).currency]),
  );
  for (const e of entries) {
    const s = byStatus.get(e.status) ?? { count: 0, minutes: 0 };
    s.count += 1;
    s.minutes += e.minutes;
    byStatus.set(e.status, s);
    if (e.status === 'billable' && e.amount !== null) {
      const cur = currencyOf.get(e.contractId) ?? '?';
      billable.set(cur, (billable.get(cur) ?? ZERO).plus(new Dec(e.amount)));
    }
  }
  for (const status of ['included', 'billable', 'held', 'flagged']) {
    const s = byStatus.get(status) ?? { count: 0, minutes: 0 };
    out.push(`  ${left(status, 10)}${right(String(s.count), 6)} entries ${right(String(s.minutes), 7)} min`);
  }
  const totals = [...billable].map(([cur, d]) => `${formatMoney(d)} ${cur}`).join(', ');
  out.push(`  billable total (net, current amounts): ${totals === '' ? '0.00' : totals}`);
  const issued = ledger.issuedInvoices();
  out.push(
    `  issued invoices: ${issued.length} · invalid events: ${ledger.invalidEvents().length}` +
      ` · warnings (facts a command would have refused): ${ledger.warnings().length}`,
  );
  return { seed, options, ledger, events, streams, text: `${out.join('\n')}\n` };
};

/** `--seed N` from argv, else the default. */
const seedFromArgs = (argv: readonly string[]): number => {
  const i = argv.indexOf('--seed');
  const raw = i >= 0 ? argv[i + 1] : undefined;
  const n = raw === undefined ? DEFAULT_DEMO_SEED : Number(raw);
  if (!Number.isSafeInteger(n)) throw new RangeError(`--seed must be an integer (got ${String(raw)})`);
  return n;
};

// Run only as a program, so that tests can import runDemo without printing.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { text } = await runDemo(seedFromArgs(process.argv.slice(2)));
    process.stdout.write(text);
  } catch (err) {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
