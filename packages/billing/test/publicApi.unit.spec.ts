/**
 * The public API of @msp-billing/billing (the Ledger, invoices, pricing and reconciliation), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/billing/internal`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames, undocumented } from '../../testing/src/publicApi.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** The values (functions, constants, codecs) of the public index. */
const VALUES = [
  'Dec',
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
  'reconcileInvoices',
  'vatOf',
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
  'Warning',
];

describe('the public API of @msp-billing/billing', () => {
  it('exports exactly these values', async () => {
    expect(Object.keys(await import('../src/index.js')).toSorted()).toEqual(VALUES);
  });

  it('exports exactly these names, values and types', () => {
    expect(exportedNames(join(src, 'index.ts'))).toEqual([...VALUES, ...TYPES].toSorted());
  });

  it('documents every export with TSDoc', () => {
    expect(undocumented(src, [...VALUES, ...TYPES])).toEqual([]);
  });

  it('stays small', () => {
    expect(VALUES.length + TYPES.length).toBeLessThanOrEqual(62);
  });
});
