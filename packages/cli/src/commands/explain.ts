/**
 * `msp-billing explain --events F --work W`: how entry W was classified and priced — the entry as
 * corrected, each rule of spec §4 that was evaluated (clause, question, the facts it read, whether it
 * decided), the result, then the pricing of spec §5 spelled out. This is what support reads out when a
 * customer disputes a line, so it says everything in words and cites every clause.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Explanation, Ledger } from '@msp-billing/billing';
import { required } from '../args.js';
import { SKIP_INVALID, formatOption, fromQueryError, loadGated, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { localTime, renderPairs } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidJson, printSkipped } from '../source.js';

/** A line of the draft that will bill the entry next (its kind and amount), with the draft's period. */
export interface PendingLine {
  readonly period: string;
  readonly kind: string;
  readonly amount: string;
}

/**
 * What the next invoice of the entry's contract would bill for it: the lines of the draft for the
 * later of the entry's period and the month after the last issued one (a draft holds all unbilled
 * work up to its period, so that is the earliest draft that shows the entry's change).
 */
export const pendingLines = (ledger: Ledger, x: Explanation): PendingLine[] => {
  const contract = ledger.contracts().find((c) => c.contractId === x.entry.contractId);
  const last = contract?.issued.at(-1)?.period;
  const next =
    last === undefined
      ? undefined
      : (() => {
          const [y, m] = last.split('-').map(Number) as [number, number];
          return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
        })();
  const period = next !== undefined && next > x.entry.period ? next : x.entry.period;
  const draft = ledger.invoice(x.entry.contractId, period);
  if (E.isLeft(draft) || draft.right.status !== 'draft') return [];
  return draft.right.lines
    .filter((l) => l.workId === x.entry.workId)
    .map((l) => ({ period, kind: l.kind, amount: l.amount }));
};

/** The explanation as text lines. */
export const explainText = (x: Explanation, pending: readonly PendingLine[] = []): string[] => {
  const e = x.entry;
  const zone = x.timeZone;
  const out: string[] = [
    `Work entry ${e.workId} (ticket ${e.ticketId}, contract ${e.contractId})`,
    ...renderPairs(
      [
        ['started', `${localTime(e.startedAt, zone)} ${zone} (${e.startedAt})`],
        ['minutes', String(e.minutes)],
        ['technician', e.technician],
        ['service', e.service],
        ['period', `${e.period} (the calendar month of the start in ${zone}, spec §5)`],
        [
          'corrections',
          x.corrections === 0 ? 'none' : `${x.corrections} applied (values above are corrected)`,
        ],
      ],
      '  ',
    ),
    '',
    'Classification, rule by rule (spec §4; the first rule that decides wins):',
  ];
  for (const r of x.classification.trace) {
    out.push(`  rule ${r.rule} (clause ${r.clause}): ${r.question}`);
    const facts = Object.entries(r.facts);
    for (const [k, v] of facts) out.push(`      ${k}: ${v}`);
    out.push(
      r.outcome === 'decided'
        ? `      => decided: ${r.status ?? x.classification.status} — ${r.note}`
        : `      => passed — ${r.note}`,
    );
  }
  const c = x.classification;
  out.push('');
  out.push(`Result: ${c.status} (clause ${c.clause}) — ${c.reason}`);
  out.push('');
  const p = x.pricing;
  if (p === undefined) {
    out.push(`Pricing: none — only billable entries are priced (this one is ${c.status}).`);
  } else {
    out.push('Pricing (spec §5):');
    out.push(
      ...renderPairs(
        [
          [
            'rate in force',
            `${p.hourlyRate} ${p.currency}/h since ${localTime(p.rateEffectiveFrom, zone)} ${zone} (${p.rateEffectiveFrom}), the latest rate effective at the start`,
          ],
          ['increment', `${p.billingIncrementMinutes} min`],
          [
            'billed minutes',
            `${e.minutes} rounded up to a multiple of ${p.billingIncrementMinutes} = ${p.billedMinutes}`,
          ],
          [
            'amount',
            `${p.hourlyRate} × ${p.billedMinutes} / 60 = ${p.amount} ${p.currency} (rounded half-up to cents)`,
          ],
        ],
        '  ',
      ),
    );
  }
  out.push('');
  if (x.billing.length === 0) {
    out.push('Billing history: not on any issued invoice.');
  } else {
    out.push('Billing history (the issued invoices with a line for this entry):');
    for (const b of x.billing)
      out.push(
        `  ${b.invoiceNumber} (${b.period}, issued ${localTime(b.issuedAt, zone)} ${zone}): ${b.kind} ${b.amount}${p === undefined ? '' : ` ${p.currency}`}`,
      );
  }
  for (const l of pending)
    out.push(
      `  not yet issued: the draft of ${l.period} has a ${l.kind} line of ${l.amount}${p === undefined ? '' : ` ${p.currency}`}`,
    );
  return out;
};

/** The explanation as JSON: instants RFC 3339, money as strings. */
export const explainJson = (x: Explanation, pending: readonly PendingLine[] = []) => ({
  entry: {
    workId: x.entry.workId,
    ticketId: x.entry.ticketId,
    contractId: x.entry.contractId,
    period: x.entry.period,
    service: x.entry.service,
    startedAt: x.entry.startedAt,
    minutes: x.entry.minutes,
    technician: x.entry.technician,
  },
  timeZone: x.timeZone,
  corrections: x.corrections,
  classification: {
    status: x.classification.status,
    clause: x.classification.clause,
    reason: x.classification.reason,
    rules: x.classification.trace.map((r) => ({
      rule: r.rule,
      clause: r.clause,
      question: r.question,
      facts: r.facts,
      outcome: r.outcome,
      note: r.note,
    })),
  },
  pricing: x.pricing ?? null,
  billing: x.billing,
  pending,
});

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const work = required('explain', args, 'work', 'the work id, e.g. W-6');
  if (E.isLeft(work)) return work;
  const loaded = await loadGated('explain', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const x = ledger.explain(work.right);
  if (E.isLeft(x)) return E.left(fromQueryError(x.left, ledger));
  const invalid = ledger.invalidEvents();
  if (args.values.get('format') === 'json') {
    await out.line(
      JSON.stringify(
        { ...explainJson(x.right, pendingLines(ledger, x.right)), invalidEvents: invalid.map(invalidJson) },
        null,
        2,
      ),
    );
    return E.right(EXIT.ok);
  }
  for (const l of explainText(x.right, pendingLines(ledger, x.right))) await out.line(l);
  await printSkipped(out, invalid);
  return E.right(EXIT.ok);
};

/** The `explain` command. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'show how one work entry was classified and priced, rule by rule',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'work', kind: 'string' },
    formatOption(['table', 'json']),
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing explain (--events F | --store URL) [--snapshot S] --work W [--format table|json] [--skip-invalid]

Show how work entry W was classified: every rule of the classification evaluated, with its clause,
the facts it looked at and whether it decided; then the pricing: the rate in force and since when,
the billing increment, billed minutes and amount = rate × billed minutes / 60; then its billing
history: each issued invoice with a line for it (work, late-work, reversal, correction), with the
invoice number and amount. For a voided entry the error names the invoices that billed and reversed it.

Options:
  --events F      the event log (NDJSON); - reads standard input
  --snapshot S    start from this snapshot of F (msp-billing snapshot): read only the rest
  --store URL     an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot   with --store: read every event, not from the store's latest snapshot
  --work W        the work id
  --format F      table (default) or json (instants RFC 3339)
  --skip-invalid  go on despite invalid events (listed at the end)
  --help          this text

Exit status: 0 printed; 2 user error (unknown or voided work id) or invalid events.
`,
  run,
};
