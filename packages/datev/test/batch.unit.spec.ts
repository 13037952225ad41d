import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { datevBatch, datevSettings, type DatevInvoice, type DatevSettings } from '../src/index.js';
import { bookingsOf, readBatch } from './readBatch.js';

const settings = (o: Partial<Parameters<typeof datevSettings>[0]> = {}): DatevSettings => {
  const s = datevSettings({ month: '2026-10', consultant: '29098', client: '55003', ...o });
  if (E.isLeft(s)) throw new Error(s.left.reason);
  return s.right;
};

const invoice = (o: Partial<DatevInvoice>): DatevInvoice => ({
  contractId: 'msp-4711',
  period: '2026-09',
  invoiceNumber: 'RE-2026-0917',
  currency: 'EUR',
  gross: '499.80',
  issuedOn: '2026-10-01',
  customerId: 'acme-gmbh',
  debtorAccount: 10001,
  reverseCharge: false,
  ...o,
});

// 2026-11-02 08:15:30.250 UTC is 09:15:30.250 in Berlin (CET, UTC+1, after the DST change of 25 Oct).
const CREATED = Date.UTC(2026, 10, 2, 8, 15, 30, 250);

/** The 125 column names of format version 13 as one line, typed from DATEV's sample file. */
const COLUMN_LINE =
  'Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Kurs;Basis-Umsatz;WKZ Basis-Umsatz;Konto;' +
  'Gegenkonto (ohne BU-Schlüssel);BU-Schlüssel;Belegdatum;Belegfeld 1;Belegfeld 2;Skonto;Buchungstext;' +
  'Postensperre;Diverse Adressnummer;Geschäftspartnerbank;Sachverhalt;Zinssperre;Beleglink;' +
  'Beleginfo - Art 1;Beleginfo - Inhalt 1;Beleginfo - Art 2;Beleginfo - Inhalt 2;Beleginfo - Art 3;' +
  'Beleginfo - Inhalt 3;Beleginfo - Art 4;Beleginfo - Inhalt 4;Beleginfo - Art 5;Beleginfo - Inhalt 5;' +
  'Beleginfo - Art 6;Beleginfo - Inhalt 6;Beleginfo - Art 7;Beleginfo - Inhalt 7;Beleginfo - Art 8;' +
  'Beleginfo - Inhalt 8;KOST1 - Kostenstelle;KOST2 - Kostenstelle;Kost-Menge;EU-Land u. UStID (Bestimmung);' +
  'EU-Steuersatz (Bestimmung);Abw. Versteuerungsart;Sachverhalt L+L;Funktionsergänzung L+L;' +
  'BU 49 Hauptfunktionstyp;BU 49 Hauptfunktionsnummer;BU 49 Funktionsergänzung;' +
  'Zusatzinformation - Art 1;Zusatzinformation- Inhalt 1;Zusatzinformation - Art 2;Zusatzinformation- Inhalt 2;' +
  'Zusatzinformation - Art 3;Zusatzinformation- Inhalt 3;Zusatzinformation - Art 4;Zusatzinformation- Inhalt 4;' +
  'Zusatzinformation - Art 5;Zusatzinformation- Inhalt 5;Zusatzinformation - Art 6;Zusatzinformation- Inhalt 6;' +
  'Zusatzinformation - Art 7;Zusatzinformation- Inhalt 7;Zusatzinformation - Art 8;Zusatzinformation- Inhalt 8;' +
  'Zusatzinformation - Art 9;Zusatzinformation- Inhalt 9;Zusatzinformation - Art 10;Zusatzinformation- Inhalt 10;' +
  'Zusatzinformation - Art 11;Zusatzinformation- Inhalt 11;Zusatzinformation - Art 12;Zusatzinformation- Inhalt 12;' +
  'Zusatzinformation - Art 13;Zusatzinformation- Inhalt 13;Zusatzinformation - Art 14;Zusatzinformation- Inhalt 14;' +
  'Zusatzinformation - Art 15;Zusatzinformation- Inhalt 15;Zusatzinformation - Art 16;Zusatzinformation- Inhalt 16;' +
  'Zusatzinformation - Art 17;Zusatzinformation- Inhalt 17;Zusatzinformation - Art 18;Zusatzinformation- Inhalt 18;' +
  'Zusatzinformation - Art 19;Zusatzinformation- Inhalt 19;Zusatzinformation - Art 20;Zusatzinformation- Inhalt 20;' +
  'Stück;Gewicht;Zahlweise;Forderungsart;Veranlagungsjahr;Zugeordnete Fälligkeit;Skontotyp;Auftragsnummer;' +
  'Buchungstyp;USt-Schlüssel (Anzahlungen);EU-Land (Anzahlungen);Sachverhalt L+L (Anzahlungen);' +
  'EU-Steuersatz (Anzahlungen);Erlöskonto (Anzahlungen);Herkunft-Kz;Buchungs GUID;KOST-Datum;' +
  'SEPA-Mandatsreferenz;Skontosperre;Gesellschaftername;Beteiligtennummer;Identifikationsnummer;' +
  'Zeichnernummer;Postensperre bis;Bezeichnung SoBil-Sachverhalt;Kennzeichen SoBil-Buchung;Festschreibung;' +
  'Leistungsdatum;Datum Zuord. Steuerperiode;Fälligkeit;Generalumkehr (GU);Steuersatz;Land;' +
  'Abrechnungsreferenz;BVV-Position;EU-Land u. UStID (Ursprung);EU-Steuersatz (Ursprung);Abw. Skontokonto';

/** Latin-1 text as bytes (every character here is below U+0100, where Windows-1252 equals Latin-1). */
const latin1 = (s: string): Buffer => {
  expect([...s].every((c) => (c.codePointAt(0) as number) < 0x100)).toBe(true);
  return Buffer.from(s, 'latin1');
};

const written = (s: DatevSettings, invs: DatevInvoice[]) => {
  const r = datevBatch(s, invs, CREATED);
  if (E.isLeft(r)) throw new Error(r.left.map((x) => x.message).join('\n'));
  return r.right;
};

describe('datevBatch: the bytes', () => {
  it('writes a small month exactly: header, column line, bookings; decimal comma, quotes doubled, Windows-1252, CRLF', () => {
    const invs = [
      invoice({}),
      // Another month: not in the October batch.
      invoice({ invoiceNumber: 'RE-2026-0899', issuedOn: '2026-09-30', gross: '10.00' }),
      // A credit (negative gross): booked as H; a name with umlauts and quotes.
      invoice({
        contractId: 'Müller "Süd"',
        invoiceNumber: 'RE-2026-0918',
        gross: '-35.70',
        issuedOn: '2026-10-31',
        customerId: 'mueller',
        debtorAccount: 10002,
      }),
      // Reverse charge, with € in the contract id (byte 0x80).
      invoice({
        contractId: 'eu-€-7',
        invoiceNumber: 'RE-2026-0919',
        gross: '1200.00',
        issuedOn: '2026-10-15',
        customerId: 'nl-bv',
        debtorAccount: 10003,
        reverseCharge: true,
      }),
    ];
    const b = written(settings({ reverseChargeAccount: '8336' }), invs);
    const rest = ';'.repeat(125 - 14); // the 111 empty columns after Buchungstext
    const expected = Buffer.concat([
      latin1(
        '"EXTF";700;21;"Buchungsstapel";13;20261102091530250;;"RE";"";"";29098;55003;20260101;4;20261001;20261031;' +
          '"Rechnungsausgang 2026-10";"";1;0;0;"EUR";;"";;;"";;;"";""\r\n',
      ),
      latin1(`${COLUMN_LINE}\r\n`),
      latin1(`499,80;"S";;;;;10001;8400;;0110;"RE-2026-0917";;;"MSP msp-4711 2026-09"${rest}\r\n`),
      latin1(`35,70;"H";;;;;10002;8400;;3110;"RE-2026-0918";;;"MSP Müller ""Süd"" 2026-09"${rest}\r\n`),
      latin1(`1200,00;"S";;;;;10003;8336;;1510;"RE-2026-0919";;;"MSP eu-`),
      Buffer.from([0x80]),
      latin1(`-7 2026-09"${rest}\r\n`),
    ]);
    expect(Buffer.from(b.bytes).equals(expected)).toBe(true);
    // The umlauts are single bytes: ü = 0xFC; the column line's "Schlüssel", "Geschäftspartnerbank".
    expect(Buffer.from(b.bytes).includes(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]))).toBe(true); // Müller
    expect(Buffer.from(b.bytes).includes(Buffer.from('Gesch\u00e4ftspartnerbank', 'latin1'))).toBe(true);
    expect(Buffer.from(b.bytes).includes(Buffer.from('Müller', 'utf8'))).toBe(false);
    expect(b.booked.map((i) => i.invoiceNumber)).toEqual(['RE-2026-0917', 'RE-2026-0918', 'RE-2026-0919']);
    // Read back: the texts are the contract ids, quotes and € included.
    expect(bookingsOf(readBatch(b.bytes)).map((x) => x.buchungstext)).toEqual([
      'MSP msp-4711 2026-09',
      'MSP Müller "Süd" 2026-09',
      'MSP eu-€-7 2026-09',
    ]);
  });

  it('has 31 header fields and 125 columns in every row', () => {
    const b = readBatch(written(settings(), [invoice({})]).bytes);
    expect(b.header).toHaveLength(31);
    expect(b.columns).toHaveLength(125);
    expect(b.rows.every((r) => r.length === 125)).toBe(true);
    expect(b.header.map((f) => f.value).slice(0, 6)).toEqual([
      'EXTF',
      '700',
      '21',
      'Buchungsstapel',
      '13',
      '20261102091530250',
    ]);
  });

  it('the worked sample: one booking 499,80 S, debtor account, 8400, Belegdatum 0110, Belegfeld 1 RE-2026-0917', () => {
    const [only, ...more] = bookingsOf(
      readBatch(written(settings(), [invoice({ debtorAccount: 12345 })]).bytes),
    );
    expect(more).toEqual([]);
    expect(only?.amount.toFixed(2)).toBe('499.80');
    expect(only).toMatchObject({
      sollHaben: 'S',
      konto: '12345',
      gegenkonto: '8400',
      belegdatum: '0110',
      belegfeld1: 'RE-2026-0917',
      buchungstext: 'MSP msp-4711 2026-09',
      others: [],
    });
  });

  it('a month without issued invoices is the header and the column line only', () => {
    const r = datevBatch(settings({ month: '2026-12' }), [invoice({})], CREATED);
    expect(E.isRight(r) && r.right.booked).toEqual([]);
    const b = readBatch((E.isRight(r) ? r.right : undefined)?.bytes ?? new Uint8Array());
    expect(b.rows).toEqual([]);
    expect(b.header[14]?.value).toBe('20261201');
    expect(b.header[15]?.value).toBe('20261231');
  });

  it('leaves out an invoice with gross 0.00 (DATEV refuses an amount of 0,00) and says so', () => {
    const zero = invoice({ invoiceNumber: 'RE-0', gross: '0.00' });
    const b = written(settings(), [invoice({}), zero]);
    expect(b.leftOut).toEqual([zero]);
    expect(readBatch(b.bytes).rows).toHaveLength(1);
  });

  it('cuts the Buchungstext at 60 characters', () => {
    const long = 'c'.repeat(70);
    const [only] = bookingsOf(readBatch(written(settings(), [invoice({ contractId: long })]).bytes));
    expect(only?.buchungstext).toBe(`MSP ${'c'.repeat(56)}`);
  });

  it('the header: creation time in Berlin summer time, fiscal year start, Datum vom/bis of February', () => {
    const s = settings({ month: '2028-02', fiscalYearStart: '07-01' });
    const r = datevBatch(s, [], Date.UTC(2028, 6, 1, 22, 0, 0, 5)); // 2 July 00:00:00.005 CEST
    const h = readBatch(E.isRight(r) ? r.right.bytes : new Uint8Array()).header.map((f) => f.value);
    expect(h[5]).toBe('20280702000000005');
    expect(h[12]).toBe('20270701'); // February 2028 lies in the fiscal year that began on 1 July 2027
    expect([h[14], h[15]]).toEqual(['20280201', '20280229']); // a leap year
  });
});

describe('datevBatch: refusals name every case', () => {
  const messages = (s: DatevSettings, invs: DatevInvoice[]): string[] => {
    const r = datevBatch(s, invs, CREATED);
    return E.isLeft(r) ? r.left.map((x) => x.message) : [];
  };

  it('a customer without debtorAccount: one line per customer, naming it and its invoices', () => {
    expect(
      messages(settings(), [
        invoice({ debtorAccount: undefined }),
        invoice({ invoiceNumber: 'RE-2', debtorAccount: undefined }),
        invoice({ invoiceNumber: 'RE-3', customerId: 'other', debtorAccount: undefined }),
        invoice({ invoiceNumber: 'RE-4', customerId: 'fine' }),
      ]),
    ).toEqual([
      'customer acme-gmbh has no debtorAccount (a CustomerProfileSet with debtorAccount is needed for invoices RE-2026-0917, RE-2)',
      'customer other has no debtorAccount (a CustomerProfileSet with debtorAccount is needed for invoice RE-3)',
    ]);
  });

  it('only the month counts: a customer without account in another month is not refused', () => {
    expect(messages(settings(), [invoice({ issuedOn: '2026-11-01', debtorAccount: undefined })])).toEqual([]);
  });

  it('an invoice number over 36 characters, other characters, a currency other than EUR, reverse charge without account', () => {
    const long = `RE-${'9'.repeat(34)}`; // 37 characters
    expect(
      messages(settings(), [
        invoice({ invoiceNumber: long }),
        invoice({ invoiceNumber: 'RE 2026.1' }),
        invoice({ invoiceNumber: 'RE-USD', currency: 'USD' }),
        invoice({ invoiceNumber: 'RE-RC', reverseCharge: true }),
      ]),
    ).toEqual([
      `invoice ${long} (msp-4711 2026-09): the invoice number has 37 characters; DATEV's Belegfeld 1 holds at most 36`,
      "invoice RE 2026.1 (msp-4711 2026-09): DATEV's Belegfeld 1 allows only letters A-Z, digits and $ & % * + - / in an invoice number",
      'invoice RE-USD (msp-4711 2026-09): currency USD; the batch books EUR only',
      'invoice RE-RC (msp-4711 2026-09): customer acme-gmbh is reverse charge; give --reverse-charge-account',
    ]);
  });

  it('an invoice number of exactly 36 characters is booked', () => {
    expect(messages(settings(), [invoice({ invoiceNumber: `RE-${'9'.repeat(33)}` })])).toEqual([]);
  });

  it('a character Windows-1252 cannot hold, or a control character, is refused, not replaced', () => {
    expect(
      messages(settings(), [
        invoice({ contractId: 'c-✓' }),
        invoice({ invoiceNumber: 'RE-2', contractId: 'a\nb' }),
      ]),
    ).toEqual([
      'invoice RE-2026-0917 (c-✓ 2026-09): the Buchungstext "MSP c-✓ 2026-09" has "✓", which Windows-1252 cannot hold',
      'invoice RE-2 (a\nb 2026-09): the Buchungstext "MSP a\\nb 2026-09" has a control character, which DATEV does not allow in a text field',
    ]);
  });

  it('a debtor account one digit longer than the G/L accounts is the only length DATEV reads as a personal account', () => {
    expect(messages(settings(), [invoice({ debtorAccount: 1234567 })])).toEqual([
      "customer acme-gmbh: debtorAccount 1234567 has 7 digits, but with 4-digit G/L accounts (revenue account 8400) DATEV's personal accounts have 5 (invoice RE-2026-0917)",
    ]);
    expect(messages(settings({ revenueAccount: '840000' }), [invoice({ debtorAccount: 1234567 })])).toEqual(
      [],
    );
  });
});

describe('datevSettings', () => {
  const reason = (o: Partial<Parameters<typeof datevSettings>[0]>): string | undefined => {
    const s = datevSettings({ month: '2026-10', consultant: '29098', client: '55003', ...o });
    return E.isLeft(s) ? `${s.left.option} ${s.left.value}: ${s.left.reason}` : undefined;
  };

  it('checks every option with a reason', () => {
    expect(reason({})).toBeUndefined();
    expect(reason({ month: '2026-13' })).toBe('month 2026-13: must be a month YYYY-MM, e.g. 2026-10');
    expect(reason({ consultant: '1000' })).toBe(
      'consultant 1000: must be the Beraternummer, a number from 1001 to 9999999',
    );
    expect(reason({ client: '0' })).toBe('client 0: must be the Mandantennummer, a number from 1 to 99999');
    expect(reason({ client: '100000' })).toBe(
      'client 100000: must be the Mandantennummer, a number from 1 to 99999',
    );
    expect(reason({ revenueAccount: '840' })).toBe(
      'revenue-account 840: must be a G/L account of 4 to 8 digits, e.g. 8400',
    );
    expect(reason({ reverseChargeAccount: '83360' })).toBe(
      'reverse-charge-account 83360: must have as many digits as the revenue account 8400 (one Sachkontenlänge per batch)',
    );
    expect(reason({ fiscalYearStart: '02-29' })).toBe(
      'fiscal-year-start 02-29: must be a day MM-DD, e.g. 01-01 or 07-01',
    );
    expect(reason({ fiscalYearStart: '10-15' })).toBe(
      'fiscal-year-start 10-15: starts a fiscal year inside 2026-10; a DATEV batch must lie within one fiscal year',
    );
  });

  it('the fiscal year the month lies in', () => {
    const wj = (month: string, fiscalYearStart: string): string | undefined => {
      const s = datevSettings({ month, consultant: '1001', client: '1', fiscalYearStart });
      return E.isRight(s) ? s.right.fiscalYearBegins : undefined;
    };
    expect(wj('2026-10', '01-01')).toBe('20260101');
    expect(wj('2026-06', '07-01')).toBe('20250701');
    expect(wj('2026-07', '07-01')).toBe('20260701');
    expect(wj('2026-10', '09-15')).toBe('20260915');
    expect(wj('2026-09', '09-15')).toBeUndefined();
  });
});
