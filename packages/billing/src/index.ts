/**
 * @msp-billing/billing — rate cards, pricing with decimal money, billing periods in the contract's
 * time zone, the Ledger projection and the invoice difference model (spec §5).
 *
 * @packageDocumentation
 */
export * from './money.js';
export * from './period.js';
export * from './invoice.js';
export * from './ledger.js';
export * from './fold.js';
export { LINE_KINDS } from './state.js';
export type { ContractBook, FactGroup, IssuedInvoice, PricedEntry } from './state.js';
export type { BasisTable, EntryTable } from './entryTable.js';
export { TicketTable } from './ticketTable.js';
export * from './reconcile.js';
