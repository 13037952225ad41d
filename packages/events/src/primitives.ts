/**
 * Value types of the wire format (spec §2): ids, instants, money, percentages, minutes, e-mail
 * addresses, IANA time zones, billing periods and wall-clock times. Each codec refuses bad input
 * with a one-line reason; the decoded types are branded so that an unchecked string cannot pass
 * for a checked one.
 */
import * as t from 'io-ts';
import { leaf, oneOf, refineWith, str } from './codec.js';
import { NOT_FAST, withFast } from './fast.js';

/** Brand helper: a value of `A` that has passed the check named `B`. */
export type Branded<A, B extends string> = A & { readonly __brand: B };

const MAX_ID = 200;
const idReason = (s: string): string | undefined =>
  s.length === 0
    ? 'expected a non-empty id'
    : s.length > MAX_ID
      ? `id is longer than ${MAX_ID} characters`
      : undefined;

const id = <B extends string>(name: B) => refineWith<string, string, Branded<string, B>>(str, name, idReason);

/** Ids: non-empty strings of at most 200 characters. An event id. */
export const EventId = id('EventId');
export type EventId = t.TypeOf<typeof EventId>;
/** A contract id (one MSP booking). */
export const ContractId = id('ContractId');
export type ContractId = t.TypeOf<typeof ContractId>;
/** A customer id. */
export const CustomerId = id('CustomerId');
export type CustomerId = t.TypeOf<typeof CustomerId>;
/** A VM id. */
export const VmId = id('VmId');
export type VmId = t.TypeOf<typeof VmId>;
/** A rate card id. */
export const RateCardId = id('RateCardId');
export type RateCardId = t.TypeOf<typeof RateCardId>;
/** A ticket id. */
export const TicketId = id('TicketId');
export type TicketId = t.TypeOf<typeof TicketId>;
/** A work entry id. */
export const WorkId = id('WorkId');
export type WorkId = t.TypeOf<typeof WorkId>;
/** An alert id. */
export const AlertId = id('AlertId');
export type AlertId = t.TypeOf<typeof AlertId>;
/** A backup NAS share id. */
export const ShareId = id('ShareId');
export type ShareId = t.TypeOf<typeof ShareId>;
/** An invoice number, unique across contracts. */
export const InvoiceNumber = id('InvoiceNumber');
export type InvoiceNumber = t.TypeOf<typeof InvoiceNumber>;
/** A technician id. */
export const TechnicianId = id('TechnicianId');
export type TechnicianId = t.TypeOf<typeof TechnicianId>;

/** Free text (subject, reason, description): a string of at most 10 000 characters. */
export const Text = refineWith<string, string, Branded<string, 'Text'>>(str, 'Text', (s) =>
  s.length > 10_000 ? 'text is longer than 10000 characters' : undefined,
);
export type Text = t.TypeOf<typeof Text>;

// ---------------------------------------------------------------------------------------------
// Instant

/** Milliseconds since the epoch of an RFC 3339 timestamp that carried an explicit offset. */
export type Instant = Branded<number, 'Instant'>;

/** Earliest and latest accepted instants: years 1970 through 9999 (UTC). */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The value of the ASCII digits of `s` from `from` (inclusive) to `to` (exclusive), or -1. */
const digitsAt = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

/** The value of the two ASCII digits of `s` at `i`, or -1. */
const twoDigitsAt = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 0x30;
  const b = s.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days from 1970-01-01 to the given date of the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil), for years from 1970: what Date.UTC counts, in integer arithmetic.
 */
const daysFromEpoch = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
};
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

// Why {@link scanInstant} refused a text: negative, so that any instant (≥ 0) is not one of them.
const NOT_A_TIMESTAMP = -1;
const YEAR = -2;
const MONTH = -3;
const DAY = -4;
const HOUR = -5;
const MINUTE = -6;
const SECOND = -7;
const OFFSET = -8;
const OUT_OF_RANGE = -9;

/**
 * The rule of the wire format's instants, written once: the instant of a valid timestamp, or why it
 * is not one (a negative code that {@link parseInstant} turns into a reason). It checks the shape of
 * the text first, then its fields in order (year, month, day, hour, minute, second, offset), then
 * the range of the instant; it uses no regular expression and allocates nothing, since the decoder
 * meets one or two instants per event. The fraction n/10^k is the double Number("0.<digits>") gives
 * (both are correctly rounded), truncated to milliseconds; months and days are those of the
 * proleptic Gregorian calendar that Date uses.
 */
const scanInstant = (s: string): number => {
  const len = s.length;
  if (len < 20 || len > 35) return NOT_A_TIMESTAMP;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(13) !== 0x3a)
    return NOT_A_TIMESTAMP;
  if (s.charCodeAt(16) !== 0x3a || (s.charCodeAt(10) | 0x20) !== 0x74) return NOT_A_TIMESTAMP; // T or t
  const century = twoDigitsAt(s, 0);
  const yearOf = twoDigitsAt(s, 2);
  const mo = twoDigitsAt(s, 5);
  const d = twoDigitsAt(s, 8);
  const h = twoDigitsAt(s, 11);
  const mi = twoDigitsAt(s, 14);
  const se = twoDigitsAt(s, 17);
  if (century < 0 || yearOf < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return NOT_A_TIMESTAMP;
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 0x2e) {
    let end = i + 1;
    while (end < len && end - i <= 9 && s.charCodeAt(end) >= 0x30 && s.charCodeAt(end) <= 0x39) end++;
    const k = end - i - 1;
    if (k < 1) return NOT_A_TIMESTAMP;
    frac = Math.floor((digitsAt(s, i + 1, end) / (POW10[k] as number)) * 1000);
    i = end;
  }
  const c = s.charCodeAt(i);
  const zulu = c === 0x5a || c === 0x7a;
  if (zulu ? len !== i + 1 : (c !== 0x2b && c !== 0x2d) || len !== i + 6 || s.charCodeAt(i + 3) !== 0x3a)
    return NOT_A_TIMESTAMP;
  const oh = zulu ? 0 : twoDigitsAt(s, i + 1);
  const om = zulu ? 0 : twoDigitsAt(s, i + 4);
  if (oh < 0 || om < 0) return NOT_A_TIMESTAMP;
  const y = century * 100 + yearOf;
  if (y < 1970) return YEAR;
  if (mo < 1 || mo > 12) return MONTH;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d < 1 || d > (DAYS_IN_MONTH[mo - 1] as number) + (leap ? 1 : 0)) return DAY;
  if (h > 23) return HOUR;
  if (mi > 59) return MINUTE;
  if (se > 59) return SECOND;
  if (oh > 23 || om > 59) return OFFSET;
  const offsetMin = (c === 0x2d ? -1 : 1) * (oh * 60 + om);
  const ms = daysFromEpoch(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + se) * 1000 + frac;
  const at = ms - offsetMin * 60_000;
  return at < MIN_INSTANT_MS || at > MAX_INSTANT_MS ? OUT_OF_RANGE : at;
};

/** The reason for a code of {@link scanInstant}, naming the field (its place in the text is fixed). */
const instantReason = (s: string, code: number): string => {
  switch (code) {
    case YEAR:
      return `year ${s.slice(0, 4)} is outside 1970..9999`;
    case MONTH:
      return `month ${s.slice(5, 7)} is not 01..12`;
    case DAY:
      return `day ${s.slice(8, 10)} does not exist in ${s.slice(0, 7)}`;
    case HOUR:
      return `hour ${s.slice(11, 13)} is not 00..23`;
    case MINUTE:
      return `minute ${s.slice(14, 16)} is not 00..59`;
    case SECOND:
      return `second ${s.slice(17, 19)} is not 00..59 (leap seconds are not supported)`;
    case OFFSET:
      return `offset ${s.slice(-6)} is out of range`;
    case OUT_OF_RANGE:
      return 'instant is outside 1970..9999 UTC';
    default:
      return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)
        ? 'timestamp has no offset (add Z or ±hh:mm)'
        : 'expected an RFC 3339 timestamp with offset, like 2026-10-05T09:00:00+02:00';
  }
};

/**
 * Parse an RFC 3339 timestamp with offset. Returns the instant, or a reason. Fractions beyond
 * milliseconds are truncated (billing works in minutes); leap seconds are refused.
 */
export const parseInstant = (s: string): Instant | string => {
  const ms = scanInstant(s);
  return ms >= 0 ? (ms as Instant) : instantReason(s, ms);
};

/** The character code of the digit 0; digit n is DIGIT_0 + n. */
const DIGIT_0 = 0x30;

/** `2026-10-05T07:00:00.000Z`: the length of every text {@link instantCodes} writes. */
export const INSTANT_TEXT_LENGTH = 24;

// Scratch for the text: written and read back within one `formatInstant`, never carried over.
const CODES = new Uint16Array(INSTANT_TEXT_LENGTH);

/**
 * Render an instant as RFC 3339 in UTC with milliseconds (`2026-10-05T07:00:00.000Z`), exactly as
 * Date#toISOString does. Within MIN_INSTANT_MS..MAX_INSTANT_MS (integer ms) the date comes from H.
 * Hinnant's civil_from_days in integer arithmetic (`instantCodes`) and the text from one
 * String.fromCharCode (a flat string, no Date: this runs once or more per invoice line, ledger entry
 * and explanation); anything
 * else goes through Date as before.
 */
export const formatInstant = (i: Instant): string => {
  if (!instantCodes(i, CODES)) return new Date(i).toISOString();
  const c = CODES;
  // prettier-ignore
  return String.fromCharCode(
    c[0] as number, c[1] as number, c[2] as number, c[3] as number, c[4] as number, c[5] as number,
    c[6] as number, c[7] as number, c[8] as number, c[9] as number, c[10] as number, c[11] as number,
    c[12] as number, c[13] as number, c[14] as number, c[15] as number, c[16] as number,
    c[17] as number, c[18] as number, c[19] as number, c[20] as number, c[21] as number,
    c[22] as number, c[23] as number,
  );
};

/**
 * The UTF-16 code units of {@link formatInstant}'s text for `i`, written to `out` (24 of them), when
 * `i` is an integer within MIN_INSTANT_MS..MAX_INSTANT_MS; false (and nothing written) otherwise. The
 * id rule's fingerprint hashes these without making the string.
 */
export const instantCodes = (i: number, out: Uint16Array): boolean => {
  if (!(i >= MIN_INSTANT_MS && i <= MAX_INSTANT_MS && Number.isInteger(i))) return false;
  const msOfDay = i % 86_400_000;
  // Days since 0000-03-01; 0 ≤ z < 2^22, so each `| 0` below is an exact integer division.
  const z = (i - msOfDay) / 86_400_000 + 719_468;
  const era = (z / 146_097) | 0;
  const doe = z - era * 146_097;
  const yoe = ((doe - ((doe / 1_460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = era * 400 + yoe + (m <= 2 ? 1 : 0); // 1970..9999: always four digits
  const s = (msOfDay / 1000) | 0;
  const min = (s / 60) | 0;
  const h = (min / 60) | 0;
  const mi = min % 60;
  const se = s % 60;
  const ms = msOfDay % 1000;
  const cy = (y / 100) | 0;
  const yy = y % 100;
  out[0] = DIGIT_0 + ((cy / 10) | 0);
  out[1] = DIGIT_0 + (cy % 10);
  out[2] = DIGIT_0 + ((yy / 10) | 0);
  out[3] = DIGIT_0 + (yy % 10);
  out[4] = 0x2d; // -
  out[5] = DIGIT_0 + ((m / 10) | 0);
  out[6] = DIGIT_0 + (m % 10);
  out[7] = 0x2d; // -
  out[8] = DIGIT_0 + ((d / 10) | 0);
  out[9] = DIGIT_0 + (d % 10);
  out[10] = 0x54; // T
  out[11] = DIGIT_0 + ((h / 10) | 0);
  out[12] = DIGIT_0 + (h % 10);
  out[13] = 0x3a; // :
  out[14] = DIGIT_0 + ((mi / 10) | 0);
  out[15] = DIGIT_0 + (mi % 10);
  out[16] = 0x3a; // :
  out[17] = DIGIT_0 + ((se / 10) | 0);
  out[18] = DIGIT_0 + (se % 10);
  out[19] = 0x2e; // .
  out[20] = DIGIT_0 + ((ms / 100) | 0);
  out[21] = DIGIT_0 + (((ms / 10) | 0) % 10);
  out[22] = DIGIT_0 + (ms % 10);
  out[23] = 0x5a; // Z
  return true;
};

/**
 * RFC 3339 timestamp with offset (or a `Date`), decoded to epoch milliseconds, encoded back as UTC.
 */
export const InstantC = withFast(
  new t.Type<Instant, string, unknown>(
    'Instant',
    (u): u is Instant =>
      typeof u === 'number' && Number.isInteger(u) && u >= MIN_INSTANT_MS && u <= MAX_INSTANT_MS,
    (u, c) => {
      // A Date is taken where an instant is (an API caller's value; JSON never holds one).
      if (u instanceof Date) {
        const ms = u.getTime();
        return Number.isInteger(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS
          ? t.success(ms as Instant)
          : t.failure(u, c, 'expected a valid Date within 1970..9999 UTC');
      }
      if (typeof u !== 'string') return t.failure(u, c, 'expected an RFC 3339 timestamp string');
      const r = parseInstant(u);
      return typeof r === 'string' ? t.failure(u, c, r) : t.success(r);
    },
    formatInstant,
  ),
  (u) => {
    const ms = typeof u === 'string' ? scanInstant(u) : -1;
    return ms >= 0 ? ms : NOT_FAST;
  },
  { kind: 'instant' },
);

// ---------------------------------------------------------------------------------------------
// Money, Percent, minutes

/** A decimal string ≥ 0 with at most 4 fraction digits (`"95"`, `"97.50"`). */
export const Money = refineWith<string, string, Branded<string, 'Money'>>(str, 'Money', (s) => {
  if (!/^\d+(\.\d{1,4})?$/.test(s))
    return 'expected a decimal string ≥ 0 with at most 4 fraction digits, like "97.50"';
  if (s.length > 30) return 'amount has more than 30 characters';
  return undefined;
});
export type Money = t.TypeOf<typeof Money>;

/** A decimal string from 0 to 100 (`"19"`, `"7.7"`). */
export const Percent = refineWith<string, string, Branded<string, 'Percent'>>(str, 'Percent', (s) => {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(s))
    return 'expected a decimal string from 0 to 100 with at most 4 fraction digits';
  if (Number(s) > 100) return 'percentage is above 100';
  return undefined;
});
export type Percent = t.TypeOf<typeof Percent>;

const integerIn = <B extends string>(name: B, min: number, max: number): t.Type<Branded<number, B>, number> =>
  leaf(
    name,
    (u) =>
      typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max
        ? (u as Branded<number, B>)
        : NOT_FAST,
    `expected an integer ${min}..${max}`,
  );

/** Worked minutes of one entry: an integer 1..1440. */
export const Minutes = integerIn('Minutes', 1, 1440);
export type Minutes = t.TypeOf<typeof Minutes>;

/** Billing increment of a rate card: an integer 1..60 minutes. */
export const IncrementMinutes = integerIn('IncrementMinutes', 1, 60);
export type IncrementMinutes = t.TypeOf<typeof IncrementMinutes>;

/** schemaVersion of an event: an integer ≥ 1. */
export const SchemaVersion = integerIn('SchemaVersion', 1, 1_000_000);
export type SchemaVersion = t.TypeOf<typeof SchemaVersion>;

// ---------------------------------------------------------------------------------------------
// E-mail, time zone, currency, period, wall-clock time

/** An e-mail address. Compared case-insensitively: use {@link sameEmail} / {@link emailKey}. */
export const Email = refineWith<string, string, Branded<string, 'Email'>>(str, 'Email', (s) =>
  s.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(s)
    ? 'expected an e-mail address like it-lead@example.com'
    : undefined,
);
export type Email = t.TypeOf<typeof Email>;

/** The comparison key of an e-mail address (spec §2: addresses compare case-insensitively). */
export const emailKey = (e: string): string => e.toLowerCase();
/** Whether two e-mail addresses name the same mailbox. */
export const sameEmail = (a: string, b: string): boolean => emailKey(a) === emailKey(b);

// A pure memo (bounded below): whether a zone is known is a function of its name in this runtime.
const zoneCache = new Map<string, boolean>();
/** Whether `zone` is an IANA time zone name known to this runtime. */
export const isValidTimeZone = (zone: string): boolean => {
  const hit = zoneCache.get(zone);
  if (hit !== undefined) return hit;
  let ok = zone.length <= 64 && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  if (ok) {
    try {
      // Throws a RangeError for a zone this runtime does not know.
      ok = Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone !== '';
    } catch {
      ok = false;
    }
  }
  // Only short names are cached: a hostile log must not pin 10 000 megabyte-long strings in memory.
  if (zone.length <= 64 && zoneCache.size < 10_000) zoneCache.set(zone, ok);
  return ok;
};

/** An IANA time zone name (`Europe/Berlin`). */
export const TimeZone = refineWith<string, string, Branded<string, 'TimeZone'>>(str, 'TimeZone', (s) =>
  isValidTimeZone(s) ? undefined : `unknown IANA time zone ${JSON.stringify(s.slice(0, 64))}`,
);
export type TimeZone = t.TypeOf<typeof TimeZone>;

/** An ISO 4217 currency code (`EUR`). */
export const Currency = refineWith<string, string, Branded<string, 'Currency'>>(str, 'Currency', (s) =>
  /^[A-Z]{3}$/.test(s) ? undefined : 'expected an ISO 4217 currency code like "EUR"',
);
export type Currency = t.TypeOf<typeof Currency>;

/** A billing period: a calendar month `YYYY-MM`. */
export const Period = refineWith<string, string, Branded<string, 'Period'>>(str, 'Period', (s) =>
  /^\d{4}-(0[1-9]|1[0-2])$/.test(s) && s >= '1970-01' ? undefined : 'expected a period YYYY-MM, like 2026-10',
);
export type Period = t.TypeOf<typeof Period>;

/** Wall-clock time `HH:MM`, 00:00..24:00 (24:00 only makes sense as an end). */
export const WallTime = refineWith<string, string, Branded<string, 'WallTime'>>(str, 'WallTime', (s) =>
  /^([01]\d|2[0-3]):[0-5]\d$/.test(s) || s === '24:00' ? undefined : 'expected a time HH:MM, like 22:00',
);
export type WallTime = t.TypeOf<typeof WallTime>;

/** Minutes after local midnight of a {@link WallTime}. */
export const wallTimeMinutes = (w: WallTime): number => Number(w.slice(0, 2)) * 60 + Number(w.slice(3, 5));

// ---------------------------------------------------------------------------------------------
// Enumerations

export const Weekday = oneOf('Weekday', ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
export type Weekday = t.TypeOf<typeof Weekday>;

/** An SLA level of the catalog (spec §6). */
export const SlaLevel = oneOf('Sla', ['Basic', 'Standard', 'Professional', 'Premium']);
export type SlaLevel = t.TypeOf<typeof SlaLevel>;

/** Every channel a customer ticket can come in by (spec §2). */
export const TICKET_CHANNELS = ['helpdesk', 'email', 'phone', 'other'] as const;
/** The channel a customer ticket came in by. */
export const TicketChannel = oneOf('Channel', TICKET_CHANNELS);
export type TicketChannel = t.TypeOf<typeof TicketChannel>;

export const AlertChannel = oneOf('AlertChannel', ['email', 'sms']);
export type AlertChannel = t.TypeOf<typeof AlertChannel>;

export const AlertMetric = oneOf('Metric', ['cpu-load', 'ram', 'filesystem', 'host-down']);
export type AlertMetric = t.TypeOf<typeof AlertMetric>;

export const UpdateScope = oneOf('UpdateScope', ['os', 'preinstalled', 'customer-installed']);
export type UpdateScope = t.TypeOf<typeof UpdateScope>;

export const Justification = oneOf('Justification', [
  'no-response',
  'imminent-danger',
  'customer-instructed',
]);
export type Justification = t.TypeOf<typeof Justification>;

/** Every kind of service a work entry can be for (spec §2, ServiceKind). */
export const SERVICE_KINDS = [
  'os-setup',
  'network-setup',
  'certificate-installation',
  'backup-setup',
  'monitoring',
  'alerting',
  'certificate-renewal',
  'backup-run',
  'update-installation',
  'safety-measure',
  'incident',
  'support-request',
  'change-request',
  'customer-caused-fault',
  'ddos-mitigation',
  'security-review',
  'malware-cleanup',
  'software-installation',
  'source-build',
] as const;
/** The kind of service a ticket or work entry is for (spec §2). */
export const ServiceKind = oneOf('ServiceKind', SERVICE_KINDS);
export type ServiceKind = t.TypeOf<typeof ServiceKind>;

// ---------------------------------------------------------------------------------------------
// Invoicing profiles (spec §8)

/** Whitespace at either end of a profile text: refused, not trimmed away (nothing valid is altered). */
const UNTRIMMED = /^\s|\s$/;
/**
 * A control character, a non-character U+FFFE/U+FFFF or half of a surrogate pair: a name or an
 * address is one line of text, and an e-invoice (XML 1.0) could not carry these.
 */
const NOT_ONE_LINE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const profileText = <B extends string>(name: B, max: number) =>
  refineWith<string, string, Branded<string, B>>(str, name, (s) =>
    s.trim().length === 0
      ? 'expected a non-empty text'
      : s.length > max
        ? `text is longer than ${max} characters`
        : UNTRIMMED.test(s)
          ? 'text starts or ends with whitespace'
          : NOT_ONE_LINE.test(s)
            ? 'text contains a control character or an unpaired surrogate'
            : undefined,
  );

/**
 * A profile text (street, city, contact, references): one line, trimmed, non-empty, at most 200
 * characters.
 */
export const ProfileText = profileText('ProfileText', 200);
export type ProfileText = t.TypeOf<typeof ProfileText>;

/** A party's name in a profile: one line, trimmed, non-empty, at most 300 characters. */
export const PartyName = profileText('PartyName', 300);
export type PartyName = t.TypeOf<typeof PartyName>;

/**
 * The ISO 3166-1 alpha-2 codes, with `XI` (Northern Ireland), as the EN 16931 code list has them
 * (rule BR-CL-14 of the CEN validation 1.3.15): an e-invoice with another code is rejected.
 */
const COUNTRY_CODES: ReadonlySet<string> = new Set(
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW'.split(
    ' ',
  ),
);

/** An ISO 3166-1 alpha-2 country code, upper case (`DE`). */
export const CountryCode = refineWith<string, string, Branded<string, 'CountryCode'>>(
  str,
  'CountryCode',
  (s) =>
    COUNTRY_CODES.has(s)
      ? undefined
      : 'expected an ISO 3166-1 country code of two upper-case letters, like "DE"',
);
export type CountryCode = t.TypeOf<typeof CountryCode>;

/**
 * A VAT identifier: a country prefix (an ISO 3166-1 code, or `EL` for Greece: rule BR-CO-9 of EN
 * 16931) and 2–13 letters or digits (`DE123456789`).
 */
export const VatId = refineWith<string, string, Branded<string, 'VatId'>>(str, 'VatId', (s) =>
  /^[A-Z]{2}[A-Za-z0-9]{2,13}$/.test(s) && (COUNTRY_CODES.has(s.slice(0, 2)) || s.startsWith('EL'))
    ? undefined
    : 'expected a VAT id: a country prefix (ISO 3166-1, or EL) and 2 to 13 letters or digits, like "DE123456789"',
);
export type VatId = t.TypeOf<typeof VatId>;

/**
 * Why `s` is not an IBAN in electronic form (ISO 13616: country code, two check digits, up to 30
 * letters or digits, no spaces, and the whole mod 97 is 1), or undefined when it is one.
 */
const ibanRefusal = (s: string): string | undefined => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s))
    return 'expected an IBAN without spaces: two upper-case letters, two check digits and 11 to 30 letters or digits';
  // Move the first four characters to the end, letters to 10..35, and take the number mod 97 digit
  // by digit (the number has up to 68 digits).
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const v = c >= 0x41 ? c - 0x41 + 10 : c - 0x30;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1 ? undefined : 'IBAN check digits are wrong (ISO 13616 mod 97)';
};

/** An IBAN in electronic form with valid check digits (`DE89370400440532013000`). */
export const Iban = refineWith<string, string, Branded<string, 'Iban'>>(str, 'Iban', ibanRefusal);
export type Iban = t.TypeOf<typeof Iban>;

/** A BIC (ISO 9362): 8 or 11 letters and digits (`COBADEFFXXX`). */
export const Bic = refineWith<string, string, Branded<string, 'Bic'>>(str, 'Bic', (s) =>
  /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(s)
    ? undefined
    : 'expected a BIC of 8 or 11 upper-case letters and digits, like "COBADEFFXXX"',
);
export type Bic = t.TypeOf<typeof Bic>;

/** Payment terms in days after the invoice date: an integer 0..365. */
export const PaymentTermsDays = integerIn('PaymentTermsDays', 0, 365);
export type PaymentTermsDays = t.TypeOf<typeof PaymentTermsDays>;

/** A customer's personal account in the provider's books: an integer 10000..99999999. */
export const DebtorAccount = integerIn('DebtorAccount', 10_000, 99_999_999);
export type DebtorAccount = t.TypeOf<typeof DebtorAccount>;
