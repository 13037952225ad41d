/**
 * The finance-reconciliation example on the sample month (examples/data/example-month.ndjson, the
 * repository's worked sample): its log issued one invoice, RE-2026-0917 for msp-4711 2026-09, with net 420.00
 * (W-2 90.00 + W-6 270.00 + W-7 60.00), VAT 79.80 (19 %) and gross 499.80 — the sample's README works
 * these out by hand. The expected differences below follow from that and from the CSVs' contents.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { foldNdjson } from '@msp-billing/billing';
import { openEventSource } from '@msp-billing/cli/event-file';
import {
  parseAccountingCsv,
  reconcileFiles,
  reconcileInvoices,
  describe as sentence,
} from '../src/reconcile.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const eventsPath = fileURLToPath(new URL('../../data/example-month.ndjson', import.meta.url));

describe('reconcileFiles on the sample month', () => {
  it('finds nothing to report when the export agrees with the issued September invoice', async () => {
    const report = await reconcileFiles({ eventsPath, invoicesPath: fixture('invoices-agree.csv') });
    expect(report).toEqual({ differences: [], booked: 1, issued: 1, invalidEvents: [] });
  });

  it('reports the typo in net and the invoice the log never issued, and nothing else', async () => {
    // invoices-typo.csv: line 2 books September with net 402.00 (digits swapped; vat and gross are
    // right), line 3 books an October invoice, but October is still a draft in the log.
    const report = await reconcileFiles({ eventsPath, invoicesPath: fixture('invoices-typo.csv') });
    expect(report.differences).toEqual([
      {
        kind: 'amount-differs',
        contractId: 'msp-4711',
        period: '2026-09',
        line: 2,
        field: 'net',
        booked: '402.00',
        logged: '420.00',
      },
      {
        kind: 'missing-in-log',
        contractId: 'msp-4711',
        period: '2026-10',
        line: 3,
        invoiceNumber: 'RE-2026-1017',
      },
    ]);
    expect(report.differences.map(sentence)).toEqual([
      'msp-4711 2026-09 (CSV line 2): net booked 402.00, the log says 420.00',
      'msp-4711 2026-10 (CSV line 3): invoice RE-2026-1017 is booked, but the log issued no invoice for this period',
    ]);
    expect(report.invalidEvents).toEqual([]);
  });
});

describe('reconcileInvoices', () => {
  it('reports an issued invoice the export lacks, with its amounts', async () => {
    const { ledger } = await foldNdjson(openEventSource(eventsPath));
    expect(reconcileInvoices([], ledger.issuedInvoices())).toEqual([
      {
        kind: 'missing-in-export',
        contractId: 'msp-4711',
        period: '2026-09',
        invoiceNumber: 'RE-2026-0917',
        net: '420.00',
        vat: '79.80',
        gross: '499.80',
      },
    ]);
  });
});

describe('parseAccountingCsv', () => {
  it('reads a spreadsheet export: BOM, CRLF, columns in any order, quoted commas, extra columns', () => {
    const text =
      '\uFEFFperiod,contractId,note,invoiceNumber,net,vat,gross\r\n' +
      '2026-09,msp-4711,"paid, thanks",RE-2026-0917,420,79.8,499.80\r\n\r\n';
    expect(parseAccountingCsv(text)).toEqual([
      {
        line: 2,
        contractId: 'msp-4711',
        period: '2026-09',
        invoiceNumber: 'RE-2026-0917',
        net: '420',
        vat: '79.8',
        gross: '499.80',
      },
    ]);
  });

  it('compares amounts as decimals: 420 equals 420.00', () => {
    const booked = parseAccountingCsv(
      'contractId,period,invoiceNumber,net,vat,gross\nc,2026-09,N-1,420,79.8,499.80\n',
    );
    const invoice = {
      contractId: 'c',
      period: '2026-09',
      status: 'issued',
      invoiceNumber: 'N-1',
      currency: 'EUR',
      lines: [],
      net: '420.00',
      vatRatePercent: '19',
      vat: '79.80',
      gross: '499.80',
      included: { entries: 0, minutes: 0 },
      held: [],
      flagged: [],
    } as const;
    expect(reconcileInvoices(booked, [invoice])).toEqual([]);
  });

  it('names the line of a malformed row', () => {
    expect(() =>
      parseAccountingCsv(
        'contractId,period,invoiceNumber,net,vat,gross\nc,2026-09,N-1,420.00,79.80,499.80\nc,2026-10,N-2,"31,25",5.94,37.19\n',
      ),
    ).toThrow('CSV line 3: net "31,25" is not a decimal like 420.00');
    expect(() => parseAccountingCsv('contractId,period,net,vat,gross\n')).toThrow(
      'CSV line 1: the header has no column invoiceNumber',
    );
  });
});
