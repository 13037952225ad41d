/**
 * Reconcile an exported event log with the accounting system's list of invoices, using the library
 * directly: fold the NDJSON into a Ledger (`foldNdjson`), take the invoices the log issued
 * (`issuedInvoices`), and compare them (`reconcileInvoices`) by (contractId, period) with the CSV rows
 * `contractId,period,invoiceNumber,net,vat,gross` (extra columns ignored).
 *
 * Differences are data, not text, so a finance script can sort, filter or export them; `describe`
 * turns one into a sentence. Amounts are compared as decimals ("420" equals "420.00").
 */
import { readFile } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse/sync';
import {
  foldNdjson,
  reconcileInvoices,
  type BookedInvoice,
  type InvalidEvent,
  type InvoiceDifference,
} from '@msp-billing/billing';
import { openEventSource } from '@msp-billing/cli/event-file';

/** One invoice as the accounting export lists it (the library's type). */
export type { BookedInvoice, AmountField } from '@msp-billing/billing';
/** One way the export and the log disagree (the library's comparison). */
export type Difference = InvoiceDifference;
export { reconcileInvoices };

/** What a reconciliation found. */
export interface ReconciliationReport {
  readonly differences: readonly Difference[];
  /** Invoices in the export and issued in the log. */
  readonly booked: number;
  readonly issued: number;
  /**
   * Events the Ledger refused (spec §2). Non-empty means the log itself is damaged: its invoices
   * may not be what was really issued, so do not trust an "all agree" on such a log.
   */
  readonly invalidEvents: readonly InvalidEvent[];
}

/** The export could not be read as the expected CSV; names the line. */
export class AccountingCsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`CSV line ${line}: ${reason}`);
    this.name = 'AccountingCsvError';
  }
}

const COLUMNS = ['contractId', 'period', 'invoiceNumber', 'net', 'vat', 'gross'] as const;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Split CSV text into records of fields with csv-parse (RFC 4180: quoted fields may hold commas,
 * quotes as "", and line breaks), with the line each record starts on. Spreadsheet exports often
 * start with a byte-order mark and end lines with CRLF; both are accepted.
 */
const csvRecords = (text: string): { line: number; fields: string[] }[] => {
  try {
    const rows = parse(text, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    // `lines` counts to the end of a record; a quoted field may span lines, and the raw text may
    // begin with skipped blank lines.
    return rows.map(({ record, info, raw }) => {
      const body = raw.replace(/^(\r\n|\r|\n)+/, '').replace(/(\r\n|\r|\n)$/, '');
      return { line: info.lines - (body.match(/\r\n|\r|\n/g)?.length ?? 0), fields: record };
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? 1;
    throw new AccountingCsvError(
      line,
      err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed' : err.message,
    );
  }
};

/** Read the accounting export: a header naming the six columns (any order), then one invoice per row. */
export const parseAccountingCsv = (text: string): BookedInvoice[] => {
  const [header, ...rows] = csvRecords(text);
  if (header === undefined) throw new AccountingCsvError(1, `no header row (expected ${COLUMNS.join(',')})`);
  const names = header.fields.map((f) => f.trim());
  const index = (col: (typeof COLUMNS)[number]): number => {
    const i = names.indexOf(col);
    if (i === -1) throw new AccountingCsvError(header.line, `the header has no column ${col}`);
    return i;
  };
  const at = Object.fromEntries(COLUMNS.map((c) => [c, index(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  return rows.map(({ line, fields }) => {
    if (fields.length !== names.length)
      throw new AccountingCsvError(line, `${fields.length} fields, but the header has ${names.length}`);
    const get = (col: (typeof COLUMNS)[number]): string => {
      const v = (fields[at[col]] as string).trim();
      if (v === '') throw new AccountingCsvError(line, `${col} is empty`);
      return v;
    };
    const row: BookedInvoice = {
      line,
      contractId: get('contractId'),
      period: get('period'),
      invoiceNumber: get('invoiceNumber'),
      net: get('net'),
      vat: get('vat'),
      gross: get('gross'),
    };
    if (!PERIOD.test(row.period)) throw new AccountingCsvError(line, `period ${row.period} is not YYYY-MM`);
    for (const f of ['net', 'vat', 'gross'] as const) {
      // A decimal comma ("420,00") would have split the row; anything else non-numeric is a typo.
      if (!DECIMAL.test(row[f]))
        throw new AccountingCsvError(line, `${f} ${JSON.stringify(row[f])} is not a decimal like 420.00`);
    }
    return row;
  });
};

/** One difference as a sentence for a person. */
export const describe = (d: Difference): string => {
  const where = `${d.contractId} ${d.period}`;
  switch (d.kind) {
    case 'amount-differs':
      return `${where} (CSV line ${d.line}): ${d.field} booked ${d.booked}, the log says ${d.logged}`;
    case 'invoice-number-differs':
      return `${where} (CSV line ${d.line}): invoice number booked ${d.booked}, the log issued ${d.logged}`;
    case 'missing-in-log':
      return `${where} (CSV line ${d.line}): invoice ${d.invoiceNumber} is booked, but the log issued no invoice for this period`;
    case 'missing-in-export':
      return `${where}: the log issued invoice ${d.invoiceNumber} (net ${d.net}, vat ${d.vat}, gross ${d.gross}), but it is not booked`;
    case 'booked-twice':
      return `${where} (CSV line ${d.line}): booked twice (also CSV line ${d.firstLine})`;
  }
};

/** Reconcile the event log at `eventsPath` (NDJSON, `-` for stdin) with the CSV at `invoicesPath`. */
export const reconcileFiles = async (paths: {
  readonly eventsPath: string;
  readonly invoicesPath: string;
}): Promise<ReconciliationReport> => {
  // The export is small and checked first: a malformed CSV should not wait for a big log to be read.
  const booked = parseAccountingCsv(await readFile(paths.invoicesPath, 'utf8'));
  const { ledger } = await foldNdjson(openEventSource(paths.eventsPath));
  const issued = ledger.issuedInvoices();
  return {
    differences: reconcileInvoices(booked, issued),
    booked: booked.length,
    issued: issued.length,
    invalidEvents: ledger.invalidEvents(),
  };
};
