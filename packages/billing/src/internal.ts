/**
 * @msp-billing/billing/internal — what the other packages of this repository (the test generators,
 * the benchmarks) share beyond the public API: the Ledger's tables and books, the settlement steps of
 * an invoice. Not for applications: it changes whenever those packages need it to.
 *
 * @internal
 * @packageDocumentation
 */
export * from './index.js';
export * from './money.js';
export * from './invoice.js';
export { LINE_KINDS } from './state.js';
export type { ContractBook, FactGroup, IssuedInvoice, PricedEntry } from './state.js';
export type { BasisTable, EntryTable } from './entryTable.js';
export { TicketTable } from './ticketTable.js';
export { keepReaderIds, readSnapshotInPlace } from './snapshot.js';
