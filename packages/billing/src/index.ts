/**
 * @msp-billing/billing — rate cards, pricing with decimal money, billing periods in the contract's
 * time zone, the Ledger projection and the invoice difference model (spec §5).
 *
 * @packageDocumentation
 */
export { Dec, ZERO, amountOf, billedMinutesOf, formatMoney, vatOf } from './money.js';
export { calendarDateOf, isPeriod, periodOf } from './period.js';
export type { FlaggedEntry, HeldEntry, Invoice, InvoiceLine, InvoiceStatus, LineKind } from './invoice.js';
export {
  createLedger,
  type ApplyResult,
  type BillingRecord,
  type ContractSummary,
  type EventSource,
  type Explanation,
  type InvalidEvent,
  type InvalidEventRefusal,
  type IssuedWith,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
  type LedgerQueryError,
  type Warning,
} from './ledger.js';
export { foldNdjson, type FoldStats } from './fold.js';
export {
  SNAPSHOT_FORMAT,
  readSnapshot,
  writeSnapshot,
  type SnapshotMeta,
  type SnapshotRead,
} from './snapshot.js';
export {
  describeDifference,
  reconcileInvoices,
  type AmountField,
  type BookedInvoice,
  type InvoiceDifference,
} from './reconcile.js';
