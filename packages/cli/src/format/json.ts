/**
 * JSON output shapes of spec §7, built key by key so that the field order on the wire is the
 * contract's, whatever order the library objects happen to have.
 */
import type { Invoice, InvoiceLine, LedgerEntry } from '@msp-billing/billing';

/** An invalid event as listed in `invalidEvents`. */
export interface InvalidEventJson {
  readonly line: number | null;
  readonly eventId?: string;
  readonly code: string;
  readonly reason: string;
}

const lineJson = (l: InvoiceLine) => ({
  kind: l.kind,
  workId: l.workId,
  ticketId: l.ticketId,
  service: l.service,
  startedAt: l.startedAt,
  minutes: l.minutes,
  billedMinutes: l.billedMinutes,
  hourlyRate: l.hourlyRate,
  amount: l.amount,
  clause: l.clause,
});

/** The `invoice --format json` object (spec §7), `invalidEvents` last. */
export const invoiceJson = (inv: Invoice, invalidEvents: readonly InvalidEventJson[]) => ({
  contractId: inv.contractId,
  period: inv.period,
  status: inv.status,
  invoiceNumber: inv.invoiceNumber,
  currency: inv.currency,
  lines: inv.lines.map(lineJson),
  net: inv.net,
  vatRatePercent: inv.vatRatePercent,
  vat: inv.vat,
  gross: inv.gross,
  included: { entries: inv.included.entries, minutes: inv.included.minutes },
  held: inv.held.map((h) => ({ workId: h.workId, ticketId: h.ticketId, reason: h.reason })),
  flagged: inv.flagged.map((f) => ({
    workId: f.workId,
    ticketId: f.ticketId,
    clause: f.clause,
    reason: f.reason,
  })),
  invalidEvents,
});

/** One element of `ledger --format json` (spec §7): exactly these keys, in this order. */
export const ledgerEntryJson = (e: LedgerEntry) => {
  // The last three are null unless billable (spec §7), whatever the library computed.
  const billable = e.status === 'billable';
  return {
    workId: e.workId,
    ticketId: e.ticketId,
    contractId: e.contractId,
    period: e.period,
    service: e.service,
    status: e.status,
    clause: e.clause,
    reason: e.reason,
    minutes: e.minutes,
    billedMinutes: billable ? e.billedMinutes : null,
    hourlyRate: billable ? e.hourlyRate : null,
    amount: billable ? e.amount : null,
  };
};
