/**
 * `msp-billing ledger --events F [--contract C] [--period YYYY-MM] [--format table|json|csv]
 * [--skip-invalid]`: every work entry (voided ones left out) with its status, clause, reason and, for
 * billable entries, its price (spec §7). Entries come in log order of their `WorkLogged`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { Dec, formatMoney, type LedgerEntry } from '@msp-billing/billing';
import { checkPeriod } from '../args.js';
import { formatOption, SKIP_INVALID, loadGated, unknownContract, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { csvRow } from '../format/csv.js';
import { ledgerEntryJson } from '../format/json.js';
import { plural, renderTable } from '../format/table.js';
import { writeAll, type CliIo, type Output } from '../io.js';
import { SOURCE_OPTIONS, invalidLine, printSkipped } from '../source.js';

/** The keys of one `ledger --format json` element, in order; also the CSV header. */
export const LEDGER_FIELDS = [
  'workId',
  'ticketId',
  'contractId',
  'period',
  'service',
  'status',
  'clause',
  'reason',
  'minutes',
  'billedMinutes',
  'hourlyRate',
  'amount',
] as const;

/** `8 entries: 3 included, 5 billable, 0 held, 0 flagged; billable amount 451.25`. */
export const ledgerSummary = (entries: readonly LedgerEntry[]): string => {
  const count = { included: 0, billable: 0, held: 0, flagged: 0 };
  let billable = new Dec(0);
  for (const e of entries) {
    count[e.status] += 1;
    if (e.status === 'billable' && e.amount !== null) billable = billable.plus(e.amount);
  }
  return (
    `${plural(entries.length, 'entry', 'entries')}: ${count.included} included, ${count.billable} billable, ` +
    `${count.held} held, ${count.flagged} flagged; billable amount ${formatMoney(billable)}`
  );
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const contract = args.values.get('contract');
  const periodArg = args.values.get('period');
  if (periodArg !== undefined) {
    const p = checkPeriod(periodArg);
    if (E.isLeft(p)) return p;
  }
  const format = args.values.get('format') ?? 'table';
  const loaded = await loadGated('ledger', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  if (contract !== undefined && !ledger.contractIds().includes(contract))
    return E.left(unknownContract(contract, ledger));
  const filter = {
    ...(contract === undefined ? {} : { contractId: contract }),
    ...(periodArg === undefined ? {} : { period: periodArg }),
  };
  const invalid = ledger.invalidEvents();

  if (format === 'json' || format === 'csv') {
    // The array (or file) holds entries only; skipped invalid events go to stderr.
    for (const e of invalid) io.stderr.write(`${invalidLine(e)}\n`);
  }
  // json and csv are written entry by entry as the Ledger yields them: a million entries are never
  // all in memory at once (the table needs them all for its column widths).
  if (format === 'json') {
    // One entry per line: valid JSON, and still greppable on a big ledger.
    await writeAll(
      out,
      (function* () {
        let first = true;
        for (const e of ledger.eachEntry(filter)) {
          yield `${first ? '[\n' : ',\n'}${JSON.stringify(ledgerEntryJson(e))}`;
          first = false;
        }
        yield first ? '[]\n' : '\n]\n';
      })(),
    );
  } else if (format === 'csv') {
    await writeAll(
      out,
      (function* () {
        yield csvRow(LEDGER_FIELDS);
        for (const e of ledger.eachEntry(filter)) {
          const j = ledgerEntryJson(e);
          yield csvRow(LEDGER_FIELDS.map((k) => j[k]));
        }
      })(),
    );
  } else {
    const entries = ledger.entries(filter);
    const lines = renderTable(
      [
        { header: 'Work' },
        { header: 'Ticket' },
        { header: 'Contract' },
        { header: 'Period' },
        { header: 'Service' },
        { header: 'Status' },
        { header: 'Clause' },
        { header: 'Minutes', align: 'right' },
        { header: 'Billed', align: 'right' },
        { header: 'Rate/h', align: 'right' },
        { header: 'Amount', align: 'right' },
        { header: 'Reason' },
      ],
      entries.map((e) => {
        const j = ledgerEntryJson(e);
        return [
          j.workId,
          j.ticketId,
          j.contractId,
          j.period,
          j.service,
          j.status,
          j.clause,
          String(j.minutes),
          j.billedMinutes === null ? '' : String(j.billedMinutes),
          j.hourlyRate ?? '',
          j.amount ?? '',
          j.reason,
        ];
      }),
    );
    await writeAll(
      out,
      lines.map((l) => `${l}\n`),
    );
    await out.line('');
    await out.line(ledgerSummary(entries));
    await printSkipped(out, invalid);
  }
  return E.right(EXIT.ok);
};

/** The `ledger` command. */
export const ledgerCommand: Command = {
  name: 'ledger',
  summary: 'list every work entry with its classification and price',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'contract', kind: 'string' },
    { name: 'period', kind: 'string' },
    formatOption(['table', 'json', 'csv']),
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing ledger (--events F | --store URL) [--snapshot S] [--contract C] [--period YYYY-MM] [--format table|json|csv] [--skip-invalid]

List every work entry (voided ones left out) with its status (included, billable, held, flagged),
the clause and reason, and for billable entries the billed minutes, hourly rate and amount.

Options:
  --events F        the event log (NDJSON); - reads standard input
  --snapshot S      start from this snapshot of F (msp-billing snapshot): read only the rest
  --store URL       an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot     with --store: read every event, not from the store's latest snapshot
  --contract C      only this contract's entries
  --period YYYY-MM  only entries of this month (in the contract's time zone)
  --format F        table (default), json (array, spec §7), csv (same columns as json)
  --skip-invalid    go on despite invalid events (listed under the table, or on stderr for json/csv)
  --help            this text

Exit status: 0 printed; 2 user error or invalid events.
`,
  run,
};
