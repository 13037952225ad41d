/**
 * For the read-model tests: the three tables as the Ledger answers them (the reference), the tables
 * as PostgreSQL holds them, both in one comparable form, and a database of a test's own.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import * as E from 'fp-ts/lib/Either.js';
import { createLedger, periodOf, type Invoice } from '@msp-billing/billing';
import { formatInstant, type DomainEvent, type Instant } from '@msp-billing/events';
import { PostgresEventStore, prepareReadModel } from '../../src/index.js';
import { testDatabaseUrl } from './database.js';

/** The three tables, each row as a list of values, rows sorted. */
export interface Tables {
  readonly entries: readonly (readonly unknown[])[];
  readonly invoices: readonly (readonly unknown[])[];
  readonly lines: readonly (readonly unknown[])[];
}

/**
 * A decimal in one spelling: PostgreSQL prints numeric(14,4) as `95.5000`, the Ledger as `95.50`;
 * both become `95.5`.
 */
const dec = (s: string | null): string | null =>
  s === null ? null : s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;

const sorted = (rows: (readonly unknown[])[]): (readonly unknown[])[] =>
  rows
    .map((r) => ({ r, k: JSON.stringify(r) }))
    .toSorted((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);

/** The month after `YYYY-MM`, by the calendar. */
const monthAfter = (period: string): string => {
  const d = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * What the read model must hold after `events`: the Ledger's current entries; every issued invoice;
 * for every contract, the draft of the month after its last issued invoice, or of its booking month
 * when none is issued. `only` keeps the rows of some contracts (one partition's).
 */
export const expectedTables = (
  events: readonly DomainEvent[],
  only: (contractId: string) => boolean = () => true,
): Tables => {
  const ledger = createLedger();
  const booked = new Map<string, string>();
  const lastIssued = new Map<string, string>();
  const issuedAt = new Map<string, number>();
  for (const e of events) {
    if (ledger.apply(e)._tag !== 'Applied') continue;
    if (e.type === 'MSPBooked') booked.set(e.data.contractId, periodOf(e.occurredAt, e.data.timeZone));
    if (e.type === 'InvoiceIssued') {
      lastIssued.set(e.data.contractId, e.data.period);
      issuedAt.set(`${e.data.contractId} ${e.data.period}`, e.occurredAt);
    }
  }
  const entries = ledger
    .entries()
    .filter((e) => only(e.contractId))
    .map((e) => [
      e.workId,
      e.contractId,
      e.ticketId,
      e.period,
      e.service,
      e.status,
      e.clause,
      e.minutes,
      e.billedMinutes,
      dec(e.hourlyRate),
      dec(e.amount),
    ]);
  const invoices: (readonly unknown[])[] = [];
  const lines: (readonly unknown[])[] = [];
  const add = (v: Invoice): void => {
    const at = issuedAt.get(`${v.contractId} ${v.period}`);
    invoices.push([
      v.contractId,
      v.period,
      v.status,
      v.invoiceNumber,
      v.status === 'issued' && at !== undefined ? formatInstant(at as Instant) : null,
      v.currency,
      dec(v.net),
      dec(v.vat),
      dec(v.gross),
    ]);
    v.lines.forEach((l, i) =>
      lines.push([
        v.contractId,
        v.period,
        i + 1,
        l.kind,
        l.workId,
        l.minutes,
        l.billedMinutes,
        dec(l.hourlyRate),
        dec(l.amount),
        l.clause,
      ]),
    );
  };
  for (const v of ledger.issuedInvoices()) if (only(v.contractId)) add(v);
  for (const contractId of ledger.contractIds()) {
    if (!only(contractId)) continue;
    const last = lastIssued.get(contractId);
    const next = last === undefined ? (booked.get(contractId) as string) : monthAfter(last);
    const draft = ledger.invoice(contractId, next);
    if (E.isLeft(draft)) throw new Error(draft.left.message);
    add(draft.right);
  }
  return { entries: sorted(entries), invoices: sorted(invoices), lines: sorted(lines) };
};

/** The read model's tables as PostgreSQL holds them. */
export const readTables = async (pool: Pool): Promise<Tables> => {
  const q = async (sql: string): Promise<(readonly unknown[])[]> =>
    (await pool.query<unknown[]>({ text: sql, rowMode: 'array' })).rows;
  const entries = await q(
    `SELECT work_id, contract_id, ticket_id, period, service, status, clause, minutes, billed_minutes,
            hourly_rate::text, amount::text FROM billing_entries`,
  );
  const invoices = await q(
    `SELECT contract_id, period, status, invoice_number,
            to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            currency, net::text, vat::text, gross::text FROM billing_invoices`,
  );
  const lines = await q(
    `SELECT contract_id, period, line_no, kind, work_id, minutes, billed_minutes, hourly_rate::text,
            amount::text, clause FROM billing_invoice_lines`,
  );
  const decAt = (rows: (readonly unknown[])[], at: readonly number[]) =>
    sorted(rows.map((r) => r.map((v, i) => (at.includes(i) ? dec(v as string | null) : v))));
  return {
    entries: decAt(entries, [9, 10]),
    invoices: decAt(invoices, [6, 7, 8]),
    lines: decAt(lines, [7, 8]),
  };
};

/** A fresh database on the server of `url` and its URL; `drop` removes it. */
export const freshDatabase = async (url: string): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `msp_rm_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  // The database is the URL's path: postgresql://user@host/db?… (a unix socket has an empty host).
  const own = url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*\/)[^?#]*/i, `$1${name}`);
  return {
    url: own,
    drop: async () => {
      const a = new Pool({ connectionString: url, max: 1 });
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
};

/**
 * A fresh database (see {@link freshDatabase}) with the read model's tables, and a store on it;
 * `close` closes the store and drops the database.
 */
export const readModelDatabase = async (): Promise<{
  readonly store: PostgresEventStore;
  readonly close: () => Promise<void>;
}> => {
  const db = await freshDatabase(await testDatabaseUrl());
  const store = await PostgresEventStore.create({ connectionString: db.url, maxConnections: 6 });
  await prepareReadModel(store.pool);
  return {
    store,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
};

/** Empty the read model and forget every read-model checkpoint and snapshot (a rebuild from the start). */
export const resetReadModel = async (pool: Pool): Promise<void> => {
  await pool.query('TRUNCATE billing_entries, billing_invoices, billing_invoice_lines');
  await pool.query(`DELETE FROM msp_checkpoints WHERE name LIKE 'billing-read-model%'`);
  await pool.query(`DELETE FROM msp_snapshots WHERE partition LIKE 'billing-read-model%'`);
};
