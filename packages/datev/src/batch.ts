/**
 * The DATEV booking batch of a month (spec §8): "EXTF" header version 700, format category 21
 * `Buchungsstapel`, format version 13. One booking per invoice issued in the month (by BT-2, its
 * issue date in the contract's time zone): the gross amount on the customer's personal account
 * against the revenue account. Pure: invoices and settings in, Windows-1252 bytes out, or every
 * reason the batch cannot be written — a half batch in the accountant's books is worse than none.
 *
 * Where each header field and column comes from is listed in docs/decisions.md.
 */
import { TZDate } from '@date-fns/tz';
import * as E from 'fp-ts/lib/Either.js';
import { Dec } from '@msp-billing/billing';
import { COL, COLUMNS } from './columns.js';
import { encodeWindows1252, firstNotWindows1252 } from './windows1252.js';

/** The options of a batch as a person gives them (digits as text, as DATEV numbers are). */
export interface DatevOptions {
  /** The month, `YYYY-MM`. */
  readonly month: string;
  /** Beraternummer: 1001..9999999. */
  readonly consultant: string;
  /** Mandantennummer: 1..99999. */
  readonly client: string;
  /** First day of the fiscal year, `MM-DD`; default `01-01`. */
  readonly fiscalYearStart?: string;
  /** G/L account of the revenue, 4 to 8 digits; default `8400`. Its length is the batch's Sachkontenlänge. */
  readonly revenueAccount?: string;
  /** G/L account of reverse-charge revenue; required when the month has a reverse-charge invoice. */
  readonly reverseChargeAccount?: string;
}

/** Checked options: what the header and the bookings need. */
export interface DatevSettings {
  readonly month: string;
  readonly consultant: string;
  readonly client: string;
  /** WJ-Beginn, `YYYYMMDD`: the start of the fiscal year the month lies in. */
  readonly fiscalYearBegins: string;
  readonly revenueAccount: string;
  readonly reverseChargeAccount: string | undefined;
}

/** A wrong option: which one, its value and why. */
export interface DatevOptionError {
  readonly option:
    'month' | 'consultant' | 'client' | 'fiscal-year-start' | 'revenue-account' | 'reverse-charge-account';
  readonly value: string;
  readonly reason: string;
}

/** An issued invoice as the batch needs it. */
export interface DatevInvoice {
  readonly contractId: string;
  readonly period: string;
  readonly invoiceNumber: string;
  readonly currency: string;
  /** The §5 gross amount, e.g. `"499.80"` or `"-35.70"`. */
  readonly gross: string;
  /** BT-2: the calendar date of its `InvoiceIssued` in the contract's time zone, `YYYY-MM-DD`. */
  readonly issuedOn: string;
  readonly customerId: string;
  /** The customer's `debtorAccount` from the profile in force for this invoice; undefined when it has none. */
  readonly debtorAccount: number | undefined;
  /** The customer's `reverseCharge` from that profile. */
  readonly reverseCharge: boolean;
}

/** Why a batch is refused; one case per value, its message a single line. */
export interface DatevRefusal {
  readonly _tag:
    | 'NoDebtorAccount'
    | 'DebtorAccountLength'
    | 'InvoiceNumberTooLong'
    | 'InvoiceNumberCharacters'
    | 'NotEur'
    | 'NoReverseChargeAccount'
    | 'TextNotWritable'
    | 'AmountTooLarge';
  readonly message: string;
}

/** A written batch. */
export interface DatevBatch {
  /** The file: Windows-1252, `;`-separated, CRLF line ends. */
  readonly bytes: Uint8Array;
  /** The invoices booked, in the order given. */
  readonly booked: readonly DatevInvoice[];
  /** Invoices of the month with gross 0.00: DATEV refuses a booking of 0,00, and nothing is owed. */
  readonly leftOut: readonly DatevInvoice[];
}

const DEFAULT_REVENUE_ACCOUNT = '8400';
/** DATEV's text fields allow no control characters (line breaks, tabs). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Characters DATEV accepts in Belegfeld 1 (invoice numbers): letters, digits and `$ & % * + - /`. */
const BELEGFELD1 = /^[A-Za-z0-9$&%*+\-/]*$/;
const BELEGFELD1_MAX = 36;
const BUCHUNGSTEXT_MAX = 60;
/** The time zone of the header's creation timestamp (DATEV is read in Germany). */
const CREATED_ZONE = 'Europe/Berlin';

const isMonth = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const numberIn = (
  option: DatevOptionError['option'],
  value: string,
  min: number,
  max: number,
  what: string,
): E.Either<DatevOptionError, string> =>
  /^[0-9]+$/.test(value) && Number(value) >= min && Number(value) <= max
    ? E.right(String(Number(value)))
    : E.left({ option, value, reason: `must be ${what}, a number from ${min} to ${max}` });

const account = (option: DatevOptionError['option'], value: string): E.Either<DatevOptionError, string> =>
  /^[1-9][0-9]{3,7}$/.test(value)
    ? E.right(value)
    : E.left({ option, value, reason: 'must be a G/L account of 4 to 8 digits, e.g. 8400' });

/** Check the options of a batch before any log is read. */
export const datevSettings = (o: DatevOptions): E.Either<DatevOptionError, DatevSettings> => {
  if (!isMonth(o.month))
    return E.left({ option: 'month', value: o.month, reason: 'must be a month YYYY-MM, e.g. 2026-10' });
  const consultant = numberIn('consultant', o.consultant, 1001, 9_999_999, 'the Beraternummer');
  if (E.isLeft(consultant)) return consultant;
  const client = numberIn('client', o.client, 1, 99_999, 'the Mandantennummer');
  if (E.isLeft(client)) return client;
  const revenue = account('revenue-account', o.revenueAccount ?? DEFAULT_REVENUE_ACCOUNT);
  if (E.isLeft(revenue)) return revenue;
  let reverseCharge: string | undefined;
  if (o.reverseChargeAccount !== undefined) {
    const rc = account('reverse-charge-account', o.reverseChargeAccount);
    if (E.isLeft(rc)) return rc;
    if (rc.right.length !== revenue.right.length)
      return E.left({
        option: 'reverse-charge-account',
        value: rc.right,
        reason: `must have as many digits as the revenue account ${revenue.right} (one Sachkontenlänge per batch)`,
      });
    reverseCharge = rc.right;
  }
  const fy = o.fiscalYearStart ?? '01-01';
  const m = /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/.exec(fy);
  // 29 February is refused too: the fiscal year would start on a different day in three years of four.
  if (m === null || Number(m[2]) > daysIn(2025, Number(m[1])))
    return E.left({
      option: 'fiscal-year-start',
      value: fy,
      reason: 'must be a day MM-DD, e.g. 01-01 or 07-01',
    });
  const fyMonth = Number(m[1]);
  const fyDay = Number(m[2]);
  const year = Number(o.month.slice(0, 4));
  const month = Number(o.month.slice(5, 7));
  if (fyMonth === month && fyDay !== 1)
    return E.left({
      option: 'fiscal-year-start',
      value: fy,
      reason: `starts a fiscal year inside ${o.month}; a DATEV batch must lie within one fiscal year`,
    });
  const fyYear = month > fyMonth || (month === fyMonth && fyDay === 1) ? year : year - 1;
  return E.right({
    month: o.month,
    consultant: consultant.right,
    client: client.right,
    fiscalYearBegins: `${pad(fyYear, 4)}${pad(fyMonth)}${pad(fyDay)}`,
    revenueAccount: revenue.right,
    reverseChargeAccount: reverseCharge,
  });
};

/** A text field: in double quotes, a quote doubled. */
const text = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** `MSP <contractId> <period>`, at most 60 characters (DATEV's limit; the rest is cut off). */
export const buchungstextOf = (inv: Pick<DatevInvoice, 'contractId' | 'period'>): string =>
  [...`MSP ${inv.contractId} ${inv.period}`].slice(0, BUCHUNGSTEXT_MAX).join('');

const what = (inv: DatevInvoice): string => `invoice ${inv.invoiceNumber} (${inv.contractId} ${inv.period})`;

const listed = (invs: readonly DatevInvoice[]): string =>
  `${invs.length === 1 ? 'invoice' : 'invoices'} ${invs.map((i) => i.invoiceNumber).join(', ')}`;

/** Every reason the month's invoices cannot be booked, grouped per customer where the customer is the cause. */
const refusalsOf = (s: DatevSettings, month: readonly DatevInvoice[]): DatevRefusal[] => {
  const out: DatevRefusal[] = [];
  const personLength = s.revenueAccount.length + 1;
  const byCustomer = new Map<string, DatevInvoice[]>();
  for (const inv of month) {
    const list = byCustomer.get(inv.customerId);
    if (list === undefined) byCustomer.set(inv.customerId, [inv]);
    else list.push(inv);
  }
  for (const [customerId, invs] of byCustomer) {
    const missing = invs.filter((i) => i.debtorAccount === undefined);
    if (missing.length > 0)
      out.push({
        _tag: 'NoDebtorAccount',
        message: `customer ${customerId} has no debtorAccount (a CustomerProfileSet with debtorAccount is needed for ${listed(missing)})`,
      });
    const wrong = invs.filter(
      (i) => i.debtorAccount !== undefined && String(i.debtorAccount).length !== personLength,
    );
    for (const acc of new Set(wrong.map((i) => i.debtorAccount))) {
      const these = wrong.filter((i) => i.debtorAccount === acc);
      out.push({
        _tag: 'DebtorAccountLength',
        message: `customer ${customerId}: debtorAccount ${acc} has ${String(acc).length} digits, but with ${s.revenueAccount.length}-digit G/L accounts (revenue account ${s.revenueAccount}) DATEV's personal accounts have ${personLength} (${listed(these)})`,
      });
    }
  }
  for (const inv of month) {
    const n = [...inv.invoiceNumber].length;
    if (n > BELEGFELD1_MAX)
      out.push({
        _tag: 'InvoiceNumberTooLong',
        message: `${what(inv)}: the invoice number has ${n} characters; DATEV's Belegfeld 1 holds at most ${BELEGFELD1_MAX}`,
      });
    else if (!BELEGFELD1.test(inv.invoiceNumber))
      out.push({
        _tag: 'InvoiceNumberCharacters',
        message: `${what(inv)}: DATEV's Belegfeld 1 allows only letters A-Z, digits and $ & % * + - / in an invoice number`,
      });
    if (inv.currency !== 'EUR')
      out.push({
        _tag: 'NotEur',
        message: `${what(inv)}: currency ${inv.currency}; the batch books EUR only`,
      });
    if (inv.reverseCharge && s.reverseChargeAccount === undefined)
      out.push({
        _tag: 'NoReverseChargeAccount',
        message: `${what(inv)}: customer ${inv.customerId} is reverse charge; give --reverse-charge-account`,
      });
    const t = buchungstextOf(inv);
    const outside = firstNotWindows1252(t);
    const problem = CONTROL.test(t)
      ? 'a control character, which DATEV does not allow in a text field'
      : outside === undefined
        ? undefined
        : `${JSON.stringify(outside)}, which Windows-1252 cannot hold`;
    if (problem !== undefined)
      out.push({
        _tag: 'TextNotWritable',
        message: `${what(inv)}: the Buchungstext ${JSON.stringify(t)} has ${problem}`,
      });
    if (new Dec(inv.gross).abs().gte(1e10))
      out.push({
        _tag: 'AmountTooLarge',
        message: `${what(inv)}: gross ${inv.gross} has more than DATEV's 10 digits before the decimal comma`,
      });
  }
  return out;
};

/** `YYYYMMDDHHMMSSFFF` of an instant in Germany. */
const createdStamp = (at: number): string => {
  const d = new TZDate(at, CREATED_ZONE);
  return `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}${pad(d.getMilliseconds(), 3)}`;
};

/** Line 1: the 31 header fields of version 700, in DATEV's order. */
const headerLine = (s: DatevSettings, createdAt: number): string => {
  const year = Number(s.month.slice(0, 4));
  const month = Number(s.month.slice(5, 7));
  const first = `${s.month.replace('-', '')}01`;
  const last = `${s.month.replace('-', '')}${pad(daysIn(year, month))}`;
  return [
    text('EXTF'), // 1 Kennzeichen: written by a program other than DATEV's
    '700', // 2 Versionsnummer of the header
    '21', // 3 Formatkategorie: Buchungsstapel
    text('Buchungsstapel'), // 4 Formatname
    '13', // 5 Formatversion
    createdStamp(createdAt), // 6 Erzeugt am
    '', // 7 Importiert (set by DATEV)
    text('RE'), // 8 Herkunft
    text(''), // 9 Exportiert von
    text(''), // 10 Importiert von (set by DATEV)
    s.consultant, // 11 Beraternummer
    s.client, // 12 Mandantennummer
    s.fiscalYearBegins, // 13 WJ-Beginn
    String(s.revenueAccount.length), // 14 Sachkontenlänge
    first, // 15 Datum vom
    last, // 16 Datum bis
    text(`Rechnungsausgang ${s.month}`), // 17 Bezeichnung (at most 30)
    text(''), // 18 Diktatkürzel
    '1', // 19 Buchungstyp: Finanzbuchführung
    '0', // 20 Rechnungslegungszweck: independent of purpose
    '0', // 21 Festschreibung: not locked, the tax adviser reviews first
    text('EUR'), // 22 WKZ
    '', // 23 reserved
    text(''), // 24 Derivatskennzeichen
    '', // 25 reserved
    '', // 26 reserved
    text(''), // 27 Sachkontenrahmen (SKR): not known here
    '', // 28 Branchenlösungs-ID
    '', // 29 reserved
    text(''), // 30 reserved
    text(''), // 31 Anwendungsinformation
  ].join(';');
};

/** One booking: the 125 columns, empty where unused. */
const bookingLine = (s: DatevSettings, inv: DatevInvoice): string => {
  const gross = new Dec(inv.gross);
  const fields: string[] = Array.from({ length: COLUMNS.length }, () => '');
  fields[COL.umsatz] = gross.abs().toFixed(2).replace('.', ',');
  fields[COL.sollHaben] = text(gross.isNegative() ? 'H' : 'S');
  fields[COL.konto] = String(inv.debtorAccount);
  fields[COL.gegenkonto] = (inv.reverseCharge ? s.reverseChargeAccount : s.revenueAccount) as string;
  fields[COL.belegdatum] = `${inv.issuedOn.slice(8, 10)}${inv.issuedOn.slice(5, 7)}`;
  fields[COL.belegfeld1] = text(inv.invoiceNumber);
  fields[COL.buchungstext] = text(buchungstextOf(inv));
  return fields.join(';');
};

/** Whether an invoice belongs to the batch of `month`: issued in it by BT-2 (spec §8). */
export const issuedInMonth = (inv: Pick<DatevInvoice, 'issuedOn'>, month: string): boolean =>
  inv.issuedOn.slice(0, 7) === month;

/**
 * The batch of `settings.month` from the issued invoices (any months; those issued in the month are
 * booked, in the order given), created at `createdAt` (epoch ms, for the header). Refused with every
 * reason when one of the month's invoices cannot be booked; a month without invoices gives the
 * header and column lines only.
 */
export const datevBatch = (
  settings: DatevSettings,
  invoices: readonly DatevInvoice[],
  createdAt: number,
): E.Either<readonly DatevRefusal[], DatevBatch> => {
  const month = invoices.filter((inv) => issuedInMonth(inv, settings.month));
  const refusals = refusalsOf(settings, month);
  if (refusals.length > 0) return E.left(refusals);
  const booked = month.filter((inv) => !new Dec(inv.gross).isZero());
  const leftOut = month.filter((inv) => new Dec(inv.gross).isZero());
  const lines = [
    headerLine(settings, createdAt),
    COLUMNS.join(';'),
    ...booked.map((inv) => bookingLine(settings, inv)),
  ];
  return E.right({ bytes: encodeWindows1252(`${lines.join('\r\n')}\r\n`), booked, leftOut });
};
