/**
 * Billing periods (spec §5): the calendar month of an instant in the contract's time zone. Computed
 * with @date-fns/tz, never with the machine's zone. Months change only at local midnight, so the
 * result is cached per zone and quarter-hour bucket whenever both ends of the bucket fall in the
 * same month (exact for every offset, including half-hour zones and DST days).
 */
import { TZDate } from '@date-fns/tz';

const BUCKET_MS = 15 * 60_000;
const cache = new Map<string, Map<number, string>>();

const exactPeriod = (instant: number, timeZone: string): string => {
  const d = new TZDate(instant, timeZone);
  const m = d.getMonth() + 1;
  return `${String(d.getFullYear()).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
};

/** The period `YYYY-MM` an instant belongs to in `timeZone`. */
export const periodOf = (instant: number, timeZone: string): string => {
  let byBucket = cache.get(timeZone);
  if (byBucket === undefined) {
    byBucket = new Map();
    cache.set(timeZone, byBucket);
  }
  const bucket = Math.floor(instant / BUCKET_MS);
  const hit = byBucket.get(bucket);
  if (hit !== undefined) return hit;
  const first = exactPeriod(bucket * BUCKET_MS, timeZone);
  const last = exactPeriod(bucket * BUCKET_MS + BUCKET_MS - 1, timeZone);
  if (first !== last) return exactPeriod(instant, timeZone);
  if (byBucket.size > 200_000) byBucket.clear();
  byBucket.set(bucket, first);
  return first;
};

/** Whether `s` is a well-formed period `YYYY-MM`. */
export const isPeriod = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
