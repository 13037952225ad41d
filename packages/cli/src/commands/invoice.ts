/**
 * `msp-billing invoice --events F --contract C --period YYYY-MM [--format table|json|csv]
 * [--skip-invalid]`: the invoice (C, P) of spec §5 — draft, issued or skipped — in one of three shapes.
 * JSON is the public contract of spec §7; CSV holds the lines only (totals are derivable, and a
 * spreadsheet should import the file without a footer to strip); the table is for people.
 */
import * as E from 'fp-ts/lib/Either.js';
import { periodOf, type Invoice, type Ledger } from '@msp-billing/billing';
import { checkPeriod, required } from '../args.js';
import { formatOption, SKIP_INVALID, fromQueryError, loadGated, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { csvRow } from '../format/csv.js';
import { invoiceJson } from '../format/json.js';
import { localTime, plural, renderPairs, renderTable } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidJson, invalidLine, printSkipped } from '../source.js';

/**
 * The CSV header of `invoice --format csv`: one row per invoice line follows. Each row names its
 * invoice first, so the files of several contracts and months can be concatenated.
 */
export const INVOICE_CSV_HEADER = [
  'contractId',
  'period',
  'invoiceNumber',
  'kind',
  'workId',
  'ticketId',
  'service',
  'startedAt',
  'minutes',
  'billedMinutes',
  'hourlyRate',
  'amount',
  'clause',
] as const;

/** The contract's time zone, read off any line's entry (the Invoice itself does not carry it). */
const zoneOf = (inv: Invoice, ledger: Ledger): string | undefined => {
  for (const l of inv.lines) {
    const x = ledger.explain(l.workId);
    if (E.isRight(x)) return x.right.timeZone;
  }
  return undefined;
};

/** The invoice as a person reads it: header, lines, totals, then what was not billed and why. */
export const invoiceTable = (inv: Invoice, ledger: Ledger): string[] => {
  const zone = zoneOf(inv, ledger);
  const contract = ledger.contracts().find((c) => c.contractId === inv.contractId);
  // A month before the booking has no invoice at all: `skipped` would suggest one was passed over.
  const beforeBooking =
    contract !== undefined && inv.period < periodOf(Date.parse(contract.bookedAt), contract.timeZone);
  const out: string[] = [
    `Invoice ${inv.contractId} ${inv.period}`,
    ...renderPairs(
      [
        ['Status', beforeBooking ? 'no contract yet' : inv.status],
        ['Invoice number', inv.invoiceNumber ?? '— (not issued)'],
        ['Currency', inv.currency],
        ...(zone === undefined ? [] : ([['Times in', zone]] as const)),
      ],
      '  ',
    ),
    '',
  ];
  if (inv.status === 'draft' && !beforeBooking)
    out.push(
      `This draft holds all unbilled work of ${inv.contractId} up to ${inv.period}; issuing it freezes these lines (the drafts of later months show the same lines until then).`,
      '',
    );
  if (inv.lines.length === 0) {
    out.push(
      beforeBooking
        ? `No lines: the contract was booked after ${inv.period}.`
        : inv.status === 'skipped'
          ? 'No lines: this period was skipped; its entries went onto the next issued invoice.'
          : 'No lines.',
    );
  } else {
    out.push(
      ...renderTable(
        [
          { header: 'Kind' },
          { header: 'Work' },
          { header: 'Ticket' },
          { header: 'Service' },
          { header: 'Started' },
          { header: 'Minutes', align: 'right' },
          { header: 'Billed', align: 'right' },
          { header: 'Rate/h', align: 'right' },
          { header: 'Clause' },
          { header: 'Amount', align: 'right' },
        ],
        inv.lines.map((l) => [
          l.kind,
          l.workId,
          l.ticketId,
          l.service,
          zone === undefined ? l.startedAt : localTime(l.startedAt, zone),
          String(l.minutes),
          String(l.billedMinutes),
          l.hourlyRate,
          l.clause,
          l.amount,
        ]),
      ),
    );
  }
  // Totals right-aligned under the Amount column, which is the table's last.
  const tableWidth = inv.lines.length === 0 ? 0 : [...(out[out.length - inv.lines.length - 1] ?? '')].length;
  const totals: [string, string][] = [
    ['Net', inv.net],
    [`VAT ${inv.vatRatePercent} %`, inv.vat],
    ['Gross', inv.gross],
  ];
  const labelWidth = Math.max(...totals.map(([k]) => k.length));
  const amountWidth = Math.max(...totals.map(([, v]) => v.length));
  out.push('');
  for (const [label, value] of totals) {
    const left = `${label.padEnd(labelWidth)}  ${value.padStart(amountWidth)}`;
    out.push(`${left.padStart(Math.max(tableWidth, left.length))} ${inv.currency}`);
  }
  out.push('');
  out.push(
    `Included (covered by the MSP): ${plural(inv.included.entries, 'entry', 'entries')}, ${inv.included.minutes} min`,
  );
  out.push(
    `Held until an authorised requester confirms (clause 3): ${inv.held.length === 0 ? 'none' : ''}`.trimEnd(),
  );
  for (const h of inv.held) out.push(`  ${h.workId}  ticket ${h.ticketId}  ${h.reason}`);
  out.push(`Flagged, not billed: ${inv.flagged.length === 0 ? 'none' : ''}`.trimEnd());
  for (const f of inv.flagged)
    out.push(`  ${f.workId}  ticket ${f.ticketId}  clause ${f.clause}  ${f.reason}`);
  return out;
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const contract = required('invoice', args, 'contract', 'the contract id, e.g. msp-4711');
  if (E.isLeft(contract)) return contract;
  const periodArg = required('invoice', args, 'period', 'the month, YYYY-MM');
  if (E.isLeft(periodArg)) return periodArg;
  const period = checkPeriod(periodArg.right);
  if (E.isLeft(period)) return period;
  const format = args.values.get('format') ?? 'table';

  const loaded = await loadGated('invoice', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const inv = ledger.invoice(contract.right, period.right);
  if (E.isLeft(inv)) return E.left(fromQueryError(inv.left, ledger));
  const invalid = ledger.invalidEvents();

  if (format === 'json') {
    await out.line(JSON.stringify(invoiceJson(inv.right, invalid.map(invalidJson)), null, 2));
  } else if (format === 'csv') {
    // The CSV is the lines only; invalid events skipped go to stderr so the file stays importable.
    for (const e of invalid) io.stderr.write(`${invalidLine(e)}\n`);
    await out.write(csvRow(INVOICE_CSV_HEADER));
    for (const l of inv.right.lines) {
      await out.write(
        csvRow([
          inv.right.contractId,
          inv.right.period,
          inv.right.invoiceNumber,
          l.kind,
          l.workId,
          l.ticketId,
          l.service,
          l.startedAt,
          l.minutes,
          l.billedMinutes,
          l.hourlyRate,
          l.amount,
          l.clause,
        ]),
      );
    }
  } else {
    for (const line of invoiceTable(inv.right, ledger)) await out.line(line);
    await printSkipped(out, invalid);
  }
  return E.right(EXIT.ok);
};

/** The `invoice` command. */
export const invoiceCommand: Command = {
  name: 'invoice',
  summary: 'print the invoice of a contract for a month (draft, issued or skipped)',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'contract', kind: 'string' },
    { name: 'period', kind: 'string' },
    formatOption(['table', 'json', 'csv']),
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing invoice (--events F | --store URL) [--snapshot S] --contract C --period YYYY-MM [--format table|json|csv] [--skip-invalid]

Print the invoice (C, P): what should be billed for C's entries up to P minus what earlier issued
invoices already billed (work, late-work, reversal, correction lines), with net, VAT and gross.

Options:
  --events F        the event log (NDJSON); - reads standard input
  --snapshot S      start from this snapshot of F (msp-billing snapshot): read only the rest
  --store URL       an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot     with --store: read every event, not from the store's latest snapshot
  --contract C      the contract id
  --period YYYY-MM  the billing month
  --format F        table (default), json (spec §7 object plus invalidEvents), csv (one row per line,
                    starting with contractId,period,invoiceNumber)
  --skip-invalid    go on despite invalid events and list them (default: print them, exit 2)
  --help            this text

Exit status: 0 printed; 2 user error or invalid events.
`,
  run,
};
