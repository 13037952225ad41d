/**
 * `msp-billing reconcile --events F --invoices FILE.csv`: compare the invoices a finance system says
 * were issued with the invoices the log issued (`InvoiceIssued`), by (contractId, period): invoice
 * number and net, VAT and gross compared as decimals ("95" equals "95.00"); an invoice on one side
 * only is a difference too. One difference per line, a summary, exit 1 on any difference.
 */
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import {
  describeDifference,
  reconcileInvoices,
  type BookedInvoice,
  type Invoice,
} from '@msp-billing/billing';
import { checkPeriod, isPeriod, required } from '../args.js';
import { SKIP_INVALID, loadGated, type Command } from '../command.js';
import { EXIT, userError, type UserError } from '../errors.js';
import { parseCsv } from '../format/csv.js';
import { plural } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidLine } from '../source.js';

/** The columns `reconcile` needs in the CSV header (others are ignored). */
export const RECONCILE_COLUMNS = ['contractId', 'period', 'invoiceNumber', 'net', 'vat', 'gross'] as const;

/** One invoice of the export, with the CSV line it starts on. */
export type ExportedInvoice = BookedInvoice;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/** A decimal comma, optionally with points grouping thousands: `420,00`, `1.234,5`, `-0,75`. */
const DECIMAL_COMMA = /^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$/;

/**
 * An amount of the export as a decimal with a point, or undefined when it is none. With `;` as the
 * separator a comma is the decimal mark (points may group thousands: `1.234,56`); a plain `420.00`
 * or `420` reads the same in either kind of file.
 */
export const readAmount = (text: string, delimiter: ',' | ';'): string | undefined => {
  if (DECIMAL.test(text)) return text;
  if (delimiter === ';' && DECIMAL_COMMA.test(text)) return text.replaceAll('.', '').replace(',', '.');
  return undefined;
};

/** Read the export: header by name, one invoice per record; a malformed record names its line. */
export const parseInvoicesCsv = (text: string, name: string): E.Either<UserError, ExportedInvoice[]> => {
  const bad = (line: number, why: string): E.Either<UserError, never> =>
    E.left(userError('BadInvoicesCsv', `--invoices ${JSON.stringify(name)} line ${line}`, why));
  const parsed = parseCsv(text);
  if ('error' in parsed) return bad(parsed.error.line, parsed.error.reason);
  const { delimiter } = parsed;
  const [header, ...rows] = parsed.records;
  if (header === undefined) return bad(1, `no header row (expected ${RECONCILE_COLUMNS.join(',')})`);
  const names = header.fields.map((f) => f.trim());
  const index = new Map<string, number>();
  for (const col of RECONCILE_COLUMNS) {
    const i = names.indexOf(col);
    if (i === -1)
      return bad(
        header.line,
        `the header has no column ${col} (needs ${RECONCILE_COLUMNS.join(',')}; found ${names.map((n) => JSON.stringify(n)).join(delimiter)}, read as ${delimiter === ';' ? 'semicolon' : 'comma'}-separated)`,
      );
    index.set(col, i);
  }
  // An `invoices --format csv` file lists drafts too: only its issued rows are booked invoices.
  const status = names.indexOf('status');
  const out: ExportedInvoice[] = [];
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      return bad(row.line, `${row.fields.length} fields, but the header has ${names.length}`);
    }
    if (status !== -1 && (row.fields[status] as string).trim() !== 'issued') continue;
    const get = (col: (typeof RECONCILE_COLUMNS)[number]): string =>
      (row.fields[index.get(col) as number] as string).trim();
    for (const col of RECONCILE_COLUMNS) if (get(col) === '') return bad(row.line, `${col} is empty`);
    if (!isPeriod(get('period')))
      return bad(row.line, `period ${JSON.stringify(get('period'))} is not YYYY-MM`);
    const amounts: Partial<Record<'net' | 'vat' | 'gross', string>> = {};
    for (const col of ['net', 'vat', 'gross'] as const) {
      const amount = readAmount(get(col), delimiter);
      if (amount === undefined)
        return bad(
          row.line,
          `${col} ${JSON.stringify(get(col))} is not a decimal number${delimiter === ';' ? ' (decimal comma or point)' : ''}`,
        );
      amounts[col] = amount;
    }
    out.push({
      line: row.line,
      contractId: get('contractId'),
      period: get('period'),
      invoiceNumber: get('invoiceNumber'),
      net: amounts.net as string,
      vat: amounts.vat as string,
      gross: amounts.gross as string,
    });
  }
  return E.right(out);
};

/** The differences between the export and the log's issued invoices, one readable line each. */
export const reconcile = (exported: readonly ExportedInvoice[], issued: readonly Invoice[]): string[] =>
  reconcileInvoices(exported, issued).map(describeDifference);

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const file = required('reconcile', args, 'invoices', 'the finance export, a CSV file');
  if (E.isLeft(file)) return file;
  // The export is small and read whole; it is checked before the (possibly big) log is read.
  let text: string;
  try {
    text = await readFile(file.right, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(err);
    return E.left(userError('SourceUnreadable', `--invoices ${JSON.stringify(file.right)}`, why));
  }
  const periodArg = args.values.get('period');
  const period = periodArg === undefined ? undefined : checkPeriod(periodArg);
  if (period !== undefined && E.isLeft(period)) return period;
  const month = period?.right;
  const parsedExport = parseInvoicesCsv(text, file.right);
  if (E.isLeft(parsedExport)) return parsedExport;
  const exported = parsedExport.right.filter((b) => month === undefined || b.period === month);
  const loaded = await loadGated('reconcile', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  for (const e of ledger.invalidEvents()) io.stderr.write(`${invalidLine(e)}\n`);
  const issued = ledger.issuedInvoices().filter((i) => month === undefined || i.period === month);
  const diffs = reconcile(exported, issued);
  for (const d of diffs) await out.line(d);
  await out.line(
    `reconcile: ${plural(exported.length, 'invoice', 'invoices')} in the export, ${issued.length} issued in the log${month === undefined ? '' : ` for ${month}`}; ` +
      (diffs.length === 0 ? 'all agree' : plural(diffs.length, 'difference', 'differences')),
  );
  return E.right(diffs.length === 0 ? EXIT.ok : EXIT.findings);
};

/** The `reconcile` command. */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'compare a finance export of issued invoices with the log; exit 1 on any difference',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'invoices', kind: 'string' },
    { name: 'period', kind: 'string' },
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing reconcile (--events F | --store URL) --invoices FILE.csv [--period YYYY-MM] [--skip-invalid]

Compare each invoice of the CSV export with the invoice the log issued for the same contract and
period: invoice number, net, vat and gross (compared as decimals: 95 equals 95.00). An invoice in the
export that the log has not issued is "missing in log"; an issued invoice absent from the export is
"missing in the export". Prints one difference per line, then a summary.

The CSV needs a header row with contractId,period,invoiceNumber,net,vat,gross (any order; other
columns are ignored). It may be comma- or semicolon-separated (told apart by the header); with
semicolons, amounts may have a decimal comma (420,00 or 1.234,56). Fields may be quoted (RFC 4180);
a UTF-8 byte-order mark and blank lines are ignored. With a status column (the CSV of
msp-billing invoices), only rows with status issued are compared: drafts are not booked.

Options:
  --events F          the event log (NDJSON); - reads standard input
  --store URL         an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot       with --store: read every event, not from the store's latest snapshot
  --invoices FILE     the export (CSV)
  --period YYYY-MM    compare only the invoices of this month, on both sides (a month-end export)
  --skip-invalid      go on despite invalid events (listed on stderr)
  --help              this text

Exit status: 0 all agree; 1 differences; 2 user error (also a malformed CSV row) or invalid events.
`,
  run,
};
