/**
 * @msp-billing/datev — the month's issued invoices as a DATEV booking batch ("EXTF" 700,
 * `Buchungsstapel` 13, spec §8): pure, no I/O, Windows-1252 bytes out.
 *
 * @packageDocumentation
 */
export {
  datevBatch,
  datevSettings,
  issuedInMonth,
  type DatevBatch,
  type DatevInvoice,
  type DatevOptionError,
  type DatevOptions,
  type DatevRefusal,
  type DatevSettings,
} from './batch.js';
