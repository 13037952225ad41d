/**
 * @msp-billing/einvoice — an issued invoice (spec §5) and what it was issued with, as an XRechnung
 * 3.0 e-invoice (EN 16931, spec §8) in UBL 2.1 or CII D16B. Pure functions: no I/O, no clock.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Invoice, IssuedWith } from '@msp-billing/billing';
import { eInvoiceDocument, type EInvoiceRefusal } from './document.js';
import { toCii } from './cii.js';
import { toUbl } from './ubl.js';

export {
  eInvoiceDocument,
  PEPPOL_BILLING,
  XRECHNUNG_3_0,
  type DocumentLine,
  type EInvoiceDocument,
  type EInvoiceRefusal,
  type VatCategory,
} from './document.js';

/** The two syntaxes of an e-invoice: UBL 2.1 (the default) and UN/CEFACT CII D16B. */
export const EINVOICE_SYNTAXES = ['ubl', 'cii'] as const;
export type EInvoiceSyntax = (typeof EINVOICE_SYNTAXES)[number];

/**
 * The XML of the e-invoice of an issued invoice in `syntax`, or why it has none (one line naming the
 * invoice and every reason). `issued` is what the Ledger's `issuedWith` answers for the invoice.
 */
export const eInvoiceXml = (
  invoice: Invoice,
  issued: IssuedWith | undefined,
  syntax: EInvoiceSyntax = 'ubl',
): E.Either<EInvoiceRefusal, string> =>
  E.map(syntax === 'cii' ? toCii : toUbl)(eInvoiceDocument(invoice, issued));
