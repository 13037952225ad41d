/**
 * Billing periods (spec §5): the calendar month of an instant in the contract's time zone. Months
 * change only at local midnight on the 1st, so per zone we compute, with @date-fns/tz (never the
 * machine's zone), the instants at which each month of a year begins, and find an instant's month by
 * comparing against them: exact for every offset, half-hour zones and DST days alike, and no date
 * arithmetic per entry.
 */
import { TZDate } from '@date-fns/tz';

/**
 * Per zone and year: the instants at which months 1..12 of that year and January of the next begin.
 * A pure memo (as is `PERIODS` below): each value is a function of its key alone.
 */
const starts = new Map<string, Map<number, Float64Array>>();

const monthStartsOf = (timeZone: string, year: number): Float64Array => {
  let byYear = starts.get(timeZone);
  if (byYear === undefined) {
    byYear = new Map();
    starts.set(timeZone, byYear);
  }
  let table = byYear.get(year);
  if (table === undefined) {
    table = new Float64Array(13);
    for (let m = 0; m <= 12; m++) table[m] = new TZDate(year, m, 1, 0, 0, 0, 0, timeZone).getTime();
    byYear.set(year, table);
  }
  return table;
};

const PERIODS: string[] = [];
const periodName = (year: number, month: number): string => {
  const key = year * 12 + month;
  let name = PERIODS[key];
  if (name === undefined) {
    name = `${String(year).padStart(4, '0')}-${month < 9 ? '0' : ''}${month + 1}`;
    PERIODS[key] = name;
  }
  return name;
};

/** The period `YYYY-MM` an instant belongs to in `timeZone`. */
export const periodOf = (instant: number, timeZone: string): string => {
  // The local year is the UTC year, or one off near New Year (offsets are under ±15 h).
  let year = new Date(instant).getUTCFullYear();
  let table = monthStartsOf(timeZone, year);
  if (instant < (table[0] as number)) {
    year -= 1;
    table = monthStartsOf(timeZone, year);
  } else if (instant >= (table[12] as number)) {
    year += 1;
    table = monthStartsOf(timeZone, year);
  }
  let month = 0;
  while (month < 11 && instant >= (table[month + 1] as number)) month += 1;
  return periodName(year, month);
};

/** Whether `s` is a well-formed period `YYYY-MM`. */
export const isPeriod = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/**
 * The calendar date `YYYY-MM-DD` of an instant in `timeZone`: an issued invoice's issue date (BT-2,
 * spec §8) is this of its `InvoiceIssued`'s `occurredAt` in the contract's zone.
 */
export const calendarDateOf = (instant: number, timeZone: string): string => {
  const d = new TZDate(instant, timeZone);
  const mm = d.getMonth() + 1;
  const dd = d.getDate();
  return `${String(d.getFullYear()).padStart(4, '0')}-${mm < 10 ? '0' : ''}${mm}-${dd < 10 ? '0' : ''}${dd}`;
};
