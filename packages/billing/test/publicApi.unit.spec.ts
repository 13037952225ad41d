/**
 * The public API of @msp-billing/billing (the Ledger, invoices, pricing and reconciliation), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/billing/internal`.
 */
import { describePublicApi } from '../../testing/src/publicApi.js';

/** The values (functions, constants, codecs) of the public index. */
const VALUES = [
  'Dec',
  'SNAPSHOT_FORMAT',
  'ZERO',
  'amountOf',
  'billedMinutesOf',
  'calendarDateOf',
  'createLedger',
  'describeDifference',
  'foldNdjson',
  'formatMoney',
  'isPeriod',
  'periodOf',
  'readSnapshot',
  'reconcileInvoices',
  'vatOf',
  'writeSnapshot',
];

/** The names that are types only. */
const TYPES = [
  'AmountField',
  'ApplyResult',
  'BillingRecord',
  'BookedInvoice',
  'ContractSummary',
  'EventSource',
  'Explanation',
  'FlaggedEntry',
  'FoldStats',
  'HeldEntry',
  'InvalidEvent',
  'InvalidEventRefusal',
  'Invoice',
  'InvoiceDifference',
  'InvoiceLine',
  'InvoiceStatus',
  'IssuedWith',
  'Ledger',
  'LedgerEntry',
  'LedgerOptions',
  'LedgerQueryError',
  'LineKind',
  'SnapshotMeta',
  'SnapshotRead',
  'Warning',
];

describePublicApi({
  name: '@msp-billing/billing',
  src: new URL('../src/', import.meta.url),
  load: () => import('../src/index.js'),
  values: VALUES,
  types: TYPES,
  atMost: 62,
});
