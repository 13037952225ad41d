/** The read model's SQL: its tables and views, and the rows the worker writes to them. */
import type { Pool, PoolClient } from 'pg';
import type { Invoice, LedgerEntry } from '@msp-billing/billing';
import { formatInstant, type Instant } from '@msp-billing/events';
import { withClient } from '../connection.js';
import { migrate } from '../migrations.js';

// ---------------------------------------------------------------------------------------------------
// Schema

/** Advisory-lock key of `prepareReadModel` ("msp-rdmd" as eight ASCII bytes). */
const READ_MODEL_LOCK_KEY = 0x6d73702d72646d64n;

/**
 * The read model's tables and views. Derived data, rebuilt from the log at any time, so they live
 * beside the store's migrations rather than among them: `CREATE … IF NOT EXISTS` and
 * `CREATE OR REPLACE VIEW`.
 */
const READ_MODEL_SQL = `
  CREATE TABLE IF NOT EXISTS billing_entries (
    work_id        text          PRIMARY KEY,
    contract_id    text          NOT NULL,
    ticket_id      text          NOT NULL,
    period         text          NOT NULL,
    service        text          NOT NULL,
    status         text          NOT NULL,
    clause         text          NOT NULL,
    minutes        integer       NOT NULL,
    billed_minutes integer,
    hourly_rate    numeric(14,4),
    amount         numeric(14,2)
  );
  CREATE INDEX IF NOT EXISTS billing_entries_contract_period ON billing_entries (contract_id, period);
  CREATE INDEX IF NOT EXISTS billing_entries_period ON billing_entries (period);
  CREATE TABLE IF NOT EXISTS billing_invoices (
    contract_id    text          NOT NULL,
    period         text          NOT NULL,
    status         text          NOT NULL,
    invoice_number text,
    issued_at      timestamptz,
    currency       text          NOT NULL,
    net            numeric(14,2) NOT NULL,
    vat            numeric(14,2) NOT NULL,
    gross          numeric(14,2) NOT NULL,
    PRIMARY KEY (contract_id, period)
  );
  CREATE INDEX IF NOT EXISTS billing_invoices_period ON billing_invoices (period);
  CREATE TABLE IF NOT EXISTS billing_invoice_lines (
    contract_id    text          NOT NULL,
    period         text          NOT NULL,
    line_no        integer       NOT NULL,
    kind           text          NOT NULL,
    work_id        text          NOT NULL,
    minutes        integer       NOT NULL,
    billed_minutes integer       NOT NULL,
    hourly_rate    numeric(14,4) NOT NULL,
    amount         numeric(14,2) NOT NULL,
    clause         text          NOT NULL,
    PRIMARY KEY (contract_id, period, line_no)
  );
  CREATE OR REPLACE VIEW billing_month_summary AS
    SELECT period, status, currency, count(*) AS invoices,
           sum(net) AS net, sum(vat) AS vat, sum(gross) AS gross
      FROM billing_invoices
     GROUP BY period, status, currency;
  CREATE OR REPLACE VIEW billing_work_summary AS
    SELECT period, status, count(*) AS entries, sum(minutes) AS minutes,
           sum(billed_minutes) AS billed_minutes, sum(amount) AS amount
      FROM billing_entries
     GROUP BY period, status;
`;

/** Create the store's schema and the read model's tables and views where missing (idempotent). */
export const prepareReadModel = async (pool: Pool): Promise<void> => {
  await migrate(pool);
  await withClient(pool, async (client) => {
    // Serialised: two workers starting together would race on CREATE … IF NOT EXISTS.
    await client.query('SELECT pg_advisory_lock($1)', [READ_MODEL_LOCK_KEY.toString()]);
    try {
      await client.query(READ_MODEL_SQL);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [READ_MODEL_LOCK_KEY.toString()]);
    }
  });
};

// ---------------------------------------------------------------------------------------------------
// Rows

export type EntryRow = readonly [
  workId: string,
  contractId: string,
  ticketId: string,
  period: string,
  service: string,
  status: string,
  clause: string,
  minutes: number,
  billedMinutes: number | null,
  hourlyRate: string | null,
  amount: string | null,
];

export type InvoiceRow = readonly [
  contractId: string,
  period: string,
  status: string,
  invoiceNumber: string | null,
  issuedAt: string | null,
  currency: string,
  net: string,
  vat: string,
  gross: string,
];

export type LineRow = readonly [
  contractId: string,
  period: string,
  lineNo: number,
  kind: string,
  workId: string,
  minutes: number,
  billedMinutes: number,
  hourlyRate: string,
  amount: string,
  clause: string,
];

export const entryRow = (e: LedgerEntry): EntryRow => [
  e.workId,
  e.contractId,
  e.ticketId,
  e.period,
  e.service,
  e.status,
  e.clause,
  e.minutes,
  e.billedMinutes,
  e.hourlyRate,
  e.amount,
];

/** An invoice's row and its lines' rows. */
export interface InvoiceRows {
  readonly head: InvoiceRow;
  readonly lines: readonly LineRow[];
}

/** Whether two rows hold the same values (each value a string, a number or null). */
export const sameRow = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export const sameInvoice = (a: InvoiceRows, b: InvoiceRows): boolean =>
  sameRow(a.head, b.head) &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => sameRow(l, b.lines[i] as LineRow));

export const invoiceRows = (v: Invoice, issuedAt: number | undefined): InvoiceRows => ({
  head: [
    v.contractId,
    v.period,
    v.status,
    v.invoiceNumber,
    issuedAt === undefined ? null : formatInstant(issuedAt as Instant),
    v.currency,
    v.net,
    v.vat,
    v.gross,
  ],
  lines: v.lines.map((l, i) => [
    v.contractId,
    v.period,
    i + 1,
    l.kind,
    l.workId,
    l.minutes,
    l.billedMinutes,
    l.hourlyRate,
    l.amount,
    l.clause,
  ]),
});

/** The columns of a table in row order, with the array type `unnest` reads each one as. */
export const ENTRY_COLUMNS = [
  ['work_id', 'text'],
  ['contract_id', 'text'],
  ['ticket_id', 'text'],
  ['period', 'text'],
  ['service', 'text'],
  ['status', 'text'],
  ['clause', 'text'],
  ['minutes', 'int4'],
  ['billed_minutes', 'int4'],
  ['hourly_rate', 'numeric'],
  ['amount', 'numeric'],
] as const;
export const INVOICE_COLUMNS = [
  ['contract_id', 'text'],
  ['period', 'text'],
  ['status', 'text'],
  ['invoice_number', 'text'],
  ['issued_at', 'timestamptz'],
  ['currency', 'text'],
  ['net', 'numeric'],
  ['vat', 'numeric'],
  ['gross', 'numeric'],
] as const;
export const LINE_COLUMNS = [
  ['contract_id', 'text'],
  ['period', 'text'],
  ['line_no', 'int4'],
  ['kind', 'text'],
  ['work_id', 'text'],
  ['minutes', 'int4'],
  ['billed_minutes', 'int4'],
  ['hourly_rate', 'numeric'],
  ['amount', 'numeric'],
  ['clause', 'text'],
] as const;

/** Insert many rows in one statement: one array parameter per column, zipped by `unnest`. */
export const insertRows = async (
  client: PoolClient,
  table: string,
  columns: readonly (readonly [string, string])[],
  rows: readonly (readonly unknown[])[],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await client.query(
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`,
    columns.map((_, i) => rows.map((r) => r[i])),
  );
};

export const deleteInvoices = async (client: PoolClient, keys: readonly (readonly [string, string])[]) => {
  if (keys.length === 0) return;
  const params = [keys.map((k) => k[0]), keys.map((k) => k[1])];
  for (const table of ['billing_invoice_lines', 'billing_invoices'])
    await client.query(
      `DELETE FROM ${table} t USING unnest($1::text[], $2::text[]) AS k(contract_id, period)
        WHERE t.contract_id = k.contract_id AND t.period = k.period`,
      params,
    );
};
