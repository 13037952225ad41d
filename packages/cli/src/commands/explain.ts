/**
 * `msp-billing explain --events F --work W`: how entry W was classified and priced — the entry as
 * corrected, each rule of spec §4 that was evaluated (clause, question, the facts it read, whether it
 * decided), the result, then the pricing of spec §5 spelled out. This is what support reads out when a
 * customer disputes a line, so it says everything in words and cites every clause.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Explanation } from '@msp-billing/billing';
import { required } from '../args.js';
import { SKIP_INVALID, fromQueryError, loadGated, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { localTime, renderPairs } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, printSkipped } from '../source.js';

/** The explanation as text lines. */
export const explainText = (x: Explanation): string[] => {
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
  return out;
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const work = required('explain', args, 'work', 'the work id, e.g. W-6');
  if (E.isLeft(work)) return work;
  const loaded = await loadGated('explain', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const x = ledger.explain(work.right);
  if (E.isLeft(x)) return E.left(fromQueryError(x.left, ledger));
  for (const l of explainText(x.right)) await out.line(l);
  const invalid = ledger.invalidEvents();
  await printSkipped(out, invalid);
  return E.right(EXIT.ok);
};

/** The `explain` command. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'show how one work entry was classified and priced, rule by rule',
  options: [...SOURCE_OPTIONS, { name: 'work', kind: 'string' }, SKIP_INVALID],
  help: `Usage: msp-billing explain (--events F | --store URL) --work W [--skip-invalid]

Show how work entry W was classified: every rule of the classification evaluated, with its clause,
the facts it looked at and whether it decided; then the pricing: the rate in force and since when,
the billing increment, billed minutes and amount = rate × billed minutes / 60.

Options:
  --events F      the event log (NDJSON); - reads standard input
  --store URL     an event store instead (postgres://…, esdb://…), read in global order
  --work W        the work id
  --skip-invalid  go on despite invalid events (listed at the end)
  --help          this text

Exit status: 0 printed; 2 user error (unknown or voided work id) or invalid events.
`,
  run,
};
