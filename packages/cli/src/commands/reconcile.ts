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
import { isPeriod, required } from '../args.js';
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

/** Read the export: header by name, one invoice per record; a malformed record names its line. */
export const parseInvoicesCsv = (text: string, name: string): E.Either<UserError, ExportedInvoice[]> => {
  const bad = (line: number, why: string): E.Either<UserError, never> =>
    E.left(userError('BadInvoicesCsv', `--invoices ${JSON.stringify(name)} line ${line}`, why));
  const parsed = parseCsv(text);
  if ('error' in parsed) return bad(parsed.error.line, parsed.error.reason);
  const [header, ...rows] = parsed.records;
  if (header === undefined) return bad(1, `no header row (expected ${RECONCILE_COLUMNS.join(',')})`);
  const names = header.fields.map((f) => f.trim());
  const index = new Map<string, number>();
  for (const col of RECONCILE_COLUMNS) {
    const i = names.indexOf(col);
    if (i === -1)
      return bad(header.line, `the header has no column ${col} (needs ${RECONCILE_COLUMNS.join(',')})`);
    index.set(col, i);
  }
  const out: ExportedInvoice[] = [];
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      return bad(row.line, `${row.fields.length} fields, but the header has ${names.length}`);
    }
    const get = (col: (typeof RECONCILE_COLUMNS)[number]): string =>
      (row.fields[index.get(col) as number] as string).trim();
    for (const col of RECONCILE_COLUMNS) if (get(col) === '') return bad(row.line, `${col} is empty`);
    if (!isPeriod(get('period')))
      return bad(row.line, `period ${JSON.stringify(get('period'))} is not YYYY-MM`);
    for (const col of ['net', 'vat', 'gross'] as const) {
      if (!DECIMAL.test(get(col)))
        return bad(row.line, `${col} ${JSON.stringify(get(col))} is not a decimal number`);
    }
    out.push({
      line: row.line,
      contractId: get('contractId'),
      period: get('period'),
      invoiceNumber: get('invoiceNumber'),
      net: get('net'),
      vat: get('vat'),
      gross: get('gross'),
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
  const exported = parseInvoicesCsv(text, file.right);
  if (E.isLeft(exported)) return exported;
  const loaded = await loadGated('reconcile', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  for (const e of ledger.invalidEvents()) io.stderr.write(`${invalidLine(e)}\n`);
  const issued = ledger.issuedInvoices();
  const diffs = reconcile(exported.right, issued);
  for (const d of diffs) await out.line(d);
  await out.line(
    `reconcile: ${plural(exported.right.length, 'invoice', 'invoices')} in the export, ${issued.length} issued in the log; ` +
      (diffs.length === 0 ? 'all agree' : plural(diffs.length, 'difference', 'differences')),
  );
  return E.right(diffs.length === 0 ? EXIT.ok : EXIT.findings);
};

/** The `reconcile` command. */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'compare a finance export of issued invoices with the log; exit 1 on any difference',
  options: [...SOURCE_OPTIONS, { name: 'invoices', kind: 'string' }, SKIP_INVALID],
  help: `Usage: msp-billing reconcile (--events F | --store URL) --invoices FILE.csv [--skip-invalid]

Compare each invoice of the CSV export with the invoice the log issued for the same contract and
period: invoice number, net, vat and gross (compared as decimals: 95 equals 95.00). An invoice in the
export that the log has not issued is "missing in log"; an issued invoice absent from the export is
"missing in the export". Prints one difference per line, then a summary.

The CSV needs a header row with contractId,period,invoiceNumber,net,vat,gross (any order; other
columns are ignored). Fields may be quoted (RFC 4180); blank lines are ignored.

Options:
  --events F          the event log (NDJSON); - reads standard input
  --store URL         an event store instead (postgres://…, esdb://…), read in global order
  --invoices FILE     the export (CSV)
  --skip-invalid      go on despite invalid events (listed on stderr)
  --help              this text

Exit status: 0 all agree; 1 differences; 2 user error (also a malformed CSV row) or invalid events.
`,
  run,
};
