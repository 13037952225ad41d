/**
 * `msp-billing invoices --events F --period YYYY-MM [--format table|json|csv] [--skip-invalid]`:
 * the month-end view — every contract's invoice (C, P) for the month, issued, draft or skipped, with
 * how much of it is late work (entries of earlier months billed now) and adjustments (reversals and
 * corrections of earlier invoices), and totals per status and currency. The CSV (spec §7 header) is
 * what `reconcile` reads back.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  Dec,
  ZERO,
  calendarDateOf,
  formatMoney,
  periodOf,
  type ContractSummary,
  type Invoice,
} from '@msp-billing/billing';
import { checkPeriod, required } from '../args.js';
import { formatOption, SKIP_INVALID, loadGated, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { csvRow } from '../format/csv.js';
import { plural, renderTable } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidJson, invalidLine, printSkipped } from '../source.js';

/** The CSV header of `invoices --format csv` (spec §7). */
export const INVOICES_CSV_HEADER = [
  'contractId',
  'customerId',
  'period',
  'status',
  'invoiceNumber',
  'issuedOn',
  'currency',
  'net',
  'vat',
  'gross',
  'lines',
] as const;

/** A month's row of one contract: `no-contract-yet` for a month before its booking. */
export interface MonthRow {
  readonly contractId: string;
  readonly customerId: string;
  readonly period: string;
  readonly status: Invoice['status'] | 'no-contract-yet';
  readonly invoiceNumber: string | null;
  /** The calendar date of the `InvoiceIssued` in the contract's time zone, YYYY-MM-DD. */
  readonly issuedOn: string | null;
  readonly currency: string;
  readonly net: string;
  readonly vat: string;
  readonly gross: string;
  readonly lines: number;
  /** Sum of the `late-work` lines: work of earlier months billed on this invoice. */
  readonly lateWork: string;
  /** Sum of the `reversal` and `correction` lines: changes to what earlier invoices billed. */
  readonly adjustments: string;
}

const sumOf = (inv: Invoice, kinds: readonly string[]): string =>
  formatMoney(inv.lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s.plus(l.amount), ZERO));

/** The row of contract `c` for the month, from its invoice (C, P). */
export const monthRow = (c: ContractSummary, inv: Invoice): MonthRow => {
  const before = inv.period < periodOf(Date.parse(c.bookedAt), c.timeZone);
  const issued = c.issued.find((i) => i.period === inv.period);
  return {
    contractId: c.contractId,
    customerId: c.customerId,
    period: inv.period,
    status: before ? 'no-contract-yet' : inv.status,
    invoiceNumber: inv.invoiceNumber,
    issuedOn: issued === undefined ? null : calendarDateOf(Date.parse(issued.issuedAt), c.timeZone),
    currency: inv.currency,
    net: inv.net,
    vat: inv.vat,
    gross: inv.gross,
    lines: inv.lines.length,
    lateWork: sumOf(inv, ['late-work']),
    adjustments: sumOf(inv, ['reversal', 'correction']),
  };
};

/** Totals of the rows per status and currency, in the order the pairs first occur. */
export const monthTotals = (rows: readonly MonthRow[]) => {
  const byKey = new Map<
    string,
    { status: string; currency: string; invoices: number; net: Dec; vat: Dec; gross: Dec }
  >();
  for (const r of rows) {
    const key = `${r.status} ${r.currency}`;
    const t = byKey.get(key) ?? {
      status: r.status,
      currency: r.currency,
      invoices: 0,
      net: ZERO,
      vat: ZERO,
      gross: ZERO,
    };
    byKey.set(key, {
      ...t,
      invoices: t.invoices + 1,
      net: t.net.plus(r.net),
      vat: t.vat.plus(r.vat),
      gross: t.gross.plus(r.gross),
    });
  }
  return [...byKey.values()].map((t) => ({
    status: t.status,
    currency: t.currency,
    invoices: t.invoices,
    net: formatMoney(t.net),
    vat: formatMoney(t.vat),
    gross: formatMoney(t.gross),
  }));
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const periodArg = required('invoices', args, 'period', 'the month, YYYY-MM');
  if (E.isLeft(periodArg)) return periodArg;
  const period = checkPeriod(periodArg.right);
  if (E.isLeft(period)) return period;
  const format = args.values.get('format') ?? 'table';

  const loaded = await loadGated('invoices', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const rows: MonthRow[] = [];
  for (const c of ledger.contracts().toSorted((a, b) => (a.contractId < b.contractId ? -1 : 1))) {
    const inv = ledger.invoice(c.contractId, period.right);
    // The period was checked and the contract comes from the Ledger: a query cannot fail.
    if (E.isRight(inv)) rows.push(monthRow(c, inv.right));
  }
  const totals = monthTotals(rows);
  const invalid = ledger.invalidEvents();

  if (format === 'json') {
    const json = {
      period: period.right,
      invoices: rows,
      totals,
      invalidEvents: invalid.map(invalidJson),
    };
    await out.line(JSON.stringify(json, null, 2));
  } else if (format === 'csv') {
    for (const e of invalid) io.stderr.write(`${invalidLine(e)}\n`);
    await out.write(csvRow(INVOICES_CSV_HEADER));
    for (const r of rows) await out.write(csvRow(INVOICES_CSV_HEADER.map((k) => r[k])));
  } else {
    await out.line(`Invoices for ${period.right}: ${plural(rows.length, 'contract', 'contracts')}`);
    await out.line('');
    if (rows.length > 0) {
      const table = renderTable(
        [
          { header: 'Contract' },
          { header: 'Customer' },
          { header: 'Status' },
          { header: 'Number' },
          { header: 'Issued on' },
          { header: 'Cur' },
          { header: 'Net', align: 'right' },
          { header: 'VAT', align: 'right' },
          { header: 'Gross', align: 'right' },
          { header: 'Lines', align: 'right' },
          { header: 'Late work', align: 'right' },
          { header: 'Adjustments', align: 'right' },
        ],
        rows.map((r) => [
          r.contractId,
          r.customerId,
          r.status === 'no-contract-yet' ? 'no contract yet' : r.status,
          r.invoiceNumber ?? '—',
          r.issuedOn ?? '—',
          r.currency,
          r.net,
          r.vat,
          r.gross,
          String(r.lines),
          r.lateWork,
          r.adjustments,
        ]),
      );
      for (const line of table) await out.line(line);
      await out.line('');
      await out.line('Totals');
      const tt = renderTable(
        [
          { header: 'Status' },
          { header: 'Cur' },
          { header: 'Invoices', align: 'right' },
          { header: 'Net', align: 'right' },
          { header: 'VAT', align: 'right' },
          { header: 'Gross', align: 'right' },
        ],
        totals.map((t) => [
          t.status === 'no-contract-yet' ? 'no contract yet' : t.status,
          t.currency,
          String(t.invoices),
          t.net,
          t.vat,
          t.gross,
        ]),
      );
      for (const line of tt) await out.line(`  ${line}`);
      if (rows.some((r) => r.status === 'draft')) {
        await out.line('');
        await out.line(
          'A draft holds all unbilled work of its contract up to this month; issuing it freezes these lines.',
        );
      }
    }
    await printSkipped(out, invalid);
  }
  return E.right(EXIT.ok);
};

/** The `invoices` command. */
export const invoicesCommand: Command = {
  name: 'invoices',
  summary: "print every contract's invoice for a month, with totals per status and currency",
  options: [
    ...SOURCE_OPTIONS,
    { name: 'period', kind: 'string' },
    formatOption(['table', 'json', 'csv']),
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing invoices (--events F | --store URL) [--snapshot S] --period YYYY-MM [--format table|json|csv] [--skip-invalid]

Print the invoice (C, P) of every contract for the month P: customer, status (issued, draft,
skipped, or no contract yet for a month before the contract's booking), invoice number, issue date
(in the contract's time zone), currency, net, VAT, gross, number of lines, and how much of the net
is late work (entries of earlier months billed now) and adjustments (reversals and corrections of
earlier invoices); then totals per status and currency.

Options:
  --events F        the event log (NDJSON); - reads standard input
  --snapshot S      start from this snapshot of F (msp-billing snapshot): read only the rest
  --store URL       an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot     with --store: read every event, not from the store's latest snapshot
  --period YYYY-MM  the billing month
  --format F        table (default); json; csv with the header
                    contractId,customerId,period,status,invoiceNumber,issuedOn,currency,net,vat,gross,lines
                    (what msp-billing reconcile reads: it compares the issued rows)
  --skip-invalid    go on despite invalid events and list them (default: print them, exit 2)
  --help            this text

Exit status: 0 printed; 2 user error or invalid events.
`,
  run,
};
