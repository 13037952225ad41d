/**
 * The month-end run on a two-contract log (fixtures/month-end.ndjson): `contracts`, `invoices` in
 * every format, its CSV fed back to `reconcile` (also as a semicolon, decimal-comma copy with a
 * byte-order mark), and `check` on a log that reuses an invoice number and issues early.
 *
 * The log, worked by hand (rate 100.00/h, 15-minute increments, VAT 19 %):
 * - c-1 (cust-a, Standard, booked 2026-08-01): w-1 2026-09-02 60 min = 100.00, invoiced on RE-1
 *   (2026-09, issued 2026-10-01 06:00 Berlin). In October: w-3 (started 2026-09-28, logged late)
 *   15 min = 25.00 late-work; w-4 45 min = 75.00 work; w-1 corrected to 30 min: reversal -100.00 and
 *   correction 50.00. October draft: net 50.00, VAT 9.50, gross 59.50, 4 lines, late work 25.00,
 *   adjustments -50.00.
 * - c-2 (cust-b, Basic, booked 2026-10-01): w-2 30 min = 50.00. October draft: 50.00 / 9.50 / 59.50.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runIn } from './helpers.js';

const log = fixture('month-end.ndjson');
const dir = mkdtempSync(join(tmpdir(), 'msp-month-end-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** The month-end log with more lines appended. */
const logWith = (name: string, ...lines: object[]): string =>
  write(name, readFileSync(log, 'utf8') + lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
const issued = (id: string, at: string, contractId: string, period: string, invoiceNumber: string) => ({
  id,
  type: 'InvoiceIssued',
  occurredAt: at,
  data: { contractId, period, invoiceNumber },
});

describe('contracts', () => {
  it('lists every contract with customer, SLA, status and last issued period', async () => {
    const r = await runIn(['contracts', '--events', log, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      contracts: [
        {
          contractId: 'c-1',
          customerId: 'cust-a',
          vmId: 'vm-1',
          sla: 'Standard',
          status: 'active',
          bookedAt: '2026-08-01T07:00:00.000Z',
          cancelledAt: null,
          timeZone: 'Europe/Berlin',
          currency: 'EUR',
          lastIssuedPeriod: '2026-09',
          lastInvoiceNumber: 'RE-1',
        },
        {
          contractId: 'c-2',
          customerId: 'cust-b',
          vmId: 'vm-2',
          sla: 'Basic',
          status: 'active',
          bookedAt: '2026-10-01T07:00:00.000Z',
          cancelledAt: null,
          timeZone: 'Europe/Berlin',
          currency: 'EUR',
          lastIssuedPeriod: null,
          lastInvoiceNumber: null,
        },
      ],
      invalidEvents: [],
    });
    const table = await runIn(['contracts', '--events', log]);
    expect(table.stdout).toMatch(/^Contracts: 2 contracts\n/);
    expect(table.stdout).toMatch(
      /c-1 +cust-a +vm-1 +Standard +active +2026-08-01 Europe\/Berlin +2026-09 +RE-1/,
    );
  });
});

describe('invoices', () => {
  it('prints every contract of the month as CSV with the header of spec §7', async () => {
    const r = await runIn(['invoices', '--events', log, '--period', '2026-10', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'contractId,customerId,period,status,invoiceNumber,issuedOn,currency,net,vat,gross,lines',
        'c-1,cust-a,2026-10,draft,,,EUR,50.00,9.50,59.50,4',
        'c-2,cust-b,2026-10,draft,,,EUR,50.00,9.50,59.50,1',
        '',
      ].join('\r\n'),
    );
  });

  it('says how much is late work and adjustments, with totals per status and currency (JSON)', async () => {
    const r = await runIn(['invoices', '--events', log, '--period', '2026-10', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { invoices: unknown[]; totals: unknown[] };
    expect(json.invoices).toEqual([
      expect.objectContaining({ contractId: 'c-1', lateWork: '25.00', adjustments: '-50.00', lines: 4 }),
      expect.objectContaining({ contractId: 'c-2', lateWork: '0.00', adjustments: '0.00', lines: 1 }),
    ]);
    expect(json.totals).toEqual([
      { status: 'draft', currency: 'EUR', invoices: 2, net: '100.00', vat: '19.00', gross: '119.00' },
    ]);
  });

  it('shows an issued invoice with its number and issue date, and a month before a booking as no contract yet', async () => {
    const r = await runIn(['invoices', '--events', log, '--period', '2026-09']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /c-1 +cust-a +issued +RE-1 +2026-10-01 +EUR +100\.00 +19\.00 +119\.00 +1 +0\.00 +0\.00/,
    );
    expect(r.stdout).toMatch(/c-2 +cust-b +no contract yet +— +— +EUR +0\.00 +0\.00 +0\.00 +0/);
    expect(r.stdout).toMatch(/issued +EUR +1 +100\.00 +19\.00 +119\.00/);
    const draft = await runIn(['invoices', '--events', log, '--period', '2026-10']);
    expect(draft.stdout).toContain(
      'A draft holds all unbilled work of its contract up to this month; issuing it freezes these lines.',
    );
  });
});

describe('invoices --format csv into reconcile', () => {
  // Both October invoices issued: c-1 on 2026-11-02 as RE-2, c-2 as RE-3.
  const october = logWith(
    'october.ndjson',
    issued('e-14', '2026-11-02T08:00:00+01:00', 'c-1', '2026-10', 'RE-2'),
    issued('e-15', '2026-11-02T08:05:00+01:00', 'c-2', '2026-10', 'RE-3'),
  );

  it('reconciles with itself for its month, and a ;-separated decimal-comma copy with a BOM does too', async () => {
    const csv = await runIn(['invoices', '--events', october, '--period', '2026-10', '--format', 'csv']);
    expect(csv.stdout.split('\r\n').slice(1, 3)).toEqual([
      'c-1,cust-a,2026-10,issued,RE-2,2026-11-02,EUR,50.00,9.50,59.50,4',
      'c-2,cust-b,2026-10,issued,RE-3,2026-11-02,EUR,50.00,9.50,59.50,1',
    ]);
    const file = write('october.csv', csv.stdout);
    const ok = await runIn(['reconcile', '--events', october, '--invoices', file, '--period', '2026-10']);
    expect([ok.code, ok.stdout]).toEqual([
      0,
      'reconcile: 2 invoices in the export, 2 issued in the log for 2026-10; all agree\n',
    ]);
    // Without --period the September invoice RE-1 is issued in the log but not in this export.
    const all = await runIn(['reconcile', '--events', october, '--invoices', file]);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^c-1 2026-09: missing in the export — the log issued invoice RE-1/);

    const german =
      '\uFEFF' +
      csv.stdout
        .replaceAll(',', ';')
        .replace(/(\d)\.(\d\d)(?=;|\r)/g, '$1,$2')
        .replace('59,50;4', '"59,50";4');
    expect(german.split('\r\n')[1]).toBe(
      'c-1;cust-a;2026-10;issued;RE-2;2026-11-02;EUR;50,00;9,50;"59,50";4',
    );
    const de = await runIn([
      'reconcile',
      '--events',
      october,
      '--invoices',
      write('october-de.csv', german),
      '--period',
      '2026-10',
    ]);
    expect([de.code, de.stdout]).toEqual([
      0,
      'reconcile: 2 invoices in the export, 2 issued in the log for 2026-10; all agree\n',
    ]);
  });

  it('finds a difference in a decimal-comma file with thousands points', async () => {
    const file = write(
      'differ-de.csv',
      'contractId;period;invoiceNumber;net;vat;gross\nc-1;2026-10;RE-2;1.050,00;9,50;59,50\n',
    );
    const r = await runIn(['reconcile', '--events', october, '--invoices', file, '--period', '2026-10']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('c-1 2026-10 (CSV line 2): net differs — export 1050.00, log 50.00');
  });

  it('a wrong header names what it found', async () => {
    const file = write(
      'wrong.csv',
      'Vertrag;Monat;Rechnungsnummer;Netto;USt;Brutto\nc-1;2026-10;RE-2;50,00;9,50;59,50\n',
    );
    const r = await runIn(['reconcile', '--events', october, '--invoices', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `msp-billing: --invoices "${file}" line 1 — the header has no column contractId (needs contractId,period,invoiceNumber,net,vat,gross; found "Vertrag";"Monat";"Rechnungsnummer";"Netto";"USt";"Brutto", read as semicolon-separated)\n`,
    );
  });
});

describe('check: the integrity rules of invoices (spec §2)', () => {
  it('names exactly the line that reuses a number and the line that issues early; exit 2', async () => {
    // Line 14 reuses RE-1 (c-1's September invoice) for c-2; line 15 issues November on 2026-11-20.
    const bad = logWith(
      'bad.ndjson',
      issued('e-14', '2026-11-02T08:00:00+01:00', 'c-2', '2026-10', 'RE-1'),
      issued('e-15', '2026-11-20T08:00:00+01:00', 'c-1', '2026-11', 'RE-9'),
    );
    const r = await runIn(['check', '--events', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'line 14: contract c-2: invoice number RE-1 is already used by the invoice of contract c-1 for 2026-09; an invoice number is used once (§ 14 UStG)',
      'line 15: contract c-1: period 2026-11 is not over at 2026-11-20T07:00:00.000Z; it ends at 2026-11-30T23:00:00.000Z (the first instant of the next month in Europe/Berlin), and an invoice is issued after its period (5)',
      expect.stringMatching(/^check: 15 lines, 15 events, .*2 invalid events, 0 warnings/),
    ]);
  });
});

describe('saying what a finance person asks', () => {
  it('explain lists the issued invoices that billed an entry, and what the draft will change', async () => {
    const r = await runIn(['explain', '--events', log, '--work', 'w-1', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { billing: unknown; pending: unknown };
    // w-1 was billed at 100.00 on RE-1; corrected to 30 min, the October draft reverses and corrects it.
    expect(json.billing).toEqual([
      {
        invoiceNumber: 'RE-1',
        period: '2026-09',
        issuedAt: '2026-10-01T04:00:00.000Z',
        kind: 'work',
        amount: '100.00',
      },
    ]);
    expect(json.pending).toEqual([
      { period: '2026-10', kind: 'reversal', amount: '-100.00' },
      { period: '2026-10', kind: 'correction', amount: '50.00' },
    ]);
    const text = await runIn(['explain', '--events', log, '--work', 'w-1']);
    expect(text.stdout).toContain(
      '  RE-1 (2026-09, issued 2026-10-01 06:00 Europe/Berlin): work 100.00 EUR\n',
    );
    expect(text.stdout).toContain(
      '  not yet issued: the draft of 2026-10 has a reversal line of -100.00 EUR\n',
    );
  });

  it('explain of a voided entry names the invoices that billed and reversed it', async () => {
    const voided = logWith(
      'voided.ndjson',
      {
        id: 'e-14',
        type: 'WorkLogVoided',
        occurredAt: '2026-10-09T09:00:00+02:00',
        data: { workId: 'w-1', reason: 'wrong contract' },
      },
      issued('e-15', '2026-11-02T08:00:00+01:00', 'c-1', '2026-10', 'RE-2'),
    );
    const r = await runIn(['explain', '--events', voided, '--work', 'w-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'msp-billing: --work "w-1" — work entry "w-1" is voided; work 100.00 on RE-1 (2026-09), reversal -100.00 on RE-2 (2026-10)\n',
    );
  });

  it('a month before the booking is no contract yet; a draft says what issuing it does', async () => {
    const before = await runIn(['invoice', '--events', log, '--contract', 'c-2', '--period', '2026-09']);
    expect(before.stdout).toMatch(/^ {2}Status +no contract yet$/m);
    expect(before.stdout).toContain('No lines: the contract was booked after 2026-09.');
    const draft = await runIn(['invoice', '--events', log, '--contract', 'c-1', '--period', '2026-12']);
    expect(draft.stdout).toContain(
      'This draft holds all unbilled work of c-1 up to 2026-12; issuing it freezes these lines',
    );
  });

  it('check on a log with no events says so', async () => {
    const r = await runIn(['check', '--events', write('empty.ndjson', '')]);
    expect([r.code, r.stdout]).toEqual([
      0,
      'check: 0 lines, 0 events, 0 duplicates ignored; 0 invalid events, 0 warnings — the log has no events: nothing to check\n',
    ]);
  });
});
