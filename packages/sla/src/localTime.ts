/**
 * Local wall-clock time of an instant in an IANA time zone, computed without the machine's zone.
 * Rules of §6 are stated in the contract's local time, and this runs once per work entry of logs with
 * millions of events, so the UTC offset is cached per zone and UTC day: one `Intl` call per zone and
 * day instead of one per question.
 */
import { tzOffset } from '@date-fns/tz';
import type { Weekday } from '@msp-billing/events/internal';

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in a (UTC or wall-clock) day of 24 hours. */
export const DAY_MS = 86_400_000;

/** Weekdays in ISO order: index 0 is Monday. */
export const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** The UTC offset of one UTC day: `before` until `transitionAt` (exclusive), `after` from it. */
interface DayOffsets {
  readonly transitionAt: number;
  readonly before: number;
  readonly after: number;
}

// A pure memo, bounded per zone: a day's offsets are a function of the zone and day alone.
const MAX_CACHED_DAYS_PER_ZONE = 100_000;
const cache = new Map<string, Map<number, DayOffsets>>();

const rawOffsetMs = (timeZone: string, instant: number): number => {
  // tzOffset keeps one Intl.DateTimeFormat per zone; it returns minutes (fractional for LMT seconds).
  const minutes = tzOffset(timeZone, new Date(instant));
  if (!Number.isFinite(minutes)) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  return Math.round(minutes * MINUTE_MS);
};

// Assumes a zone changes its offset at most once within a UTC day, which holds for every zone in
// the IANA database since 1970; the transition inside a day is found to the millisecond.
const dayOffsets = (timeZone: string, day: number): DayOffsets => {
  let zone = cache.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    cache.set(timeZone, zone);
  }
  const hit = zone.get(day);
  if (hit !== undefined) return hit;
  const lo = day * DAY_MS;
  const hi = lo + DAY_MS - 1;
  const before = rawOffsetMs(timeZone, lo);
  const after = rawOffsetMs(timeZone, hi);
  let transitionAt = Number.POSITIVE_INFINITY;
  if (before !== after) {
    let a = lo;
    let b = hi;
    while (b - a > 1) {
      const m = Math.floor((a + b) / 2);
      if (rawOffsetMs(timeZone, m) === before) a = m;
      else b = m;
    }
    transitionAt = b;
  }
  if (zone.size >= MAX_CACHED_DAYS_PER_ZONE) zone.clear();
  const entry: DayOffsets = { transitionAt, before, after };
  zone.set(day, entry);
  return entry;
};

/** UTC offset of `timeZone` at `instant`, in milliseconds (Europe/Berlin in summer: 7 200 000). */
export const utcOffsetMs = (instant: number, timeZone: string): number => {
  const d = dayOffsets(timeZone, Math.floor(instant / DAY_MS));
  return instant < d.transitionAt ? d.before : d.after;
};

/** The local wall-clock time of `instant` read as if it were UTC: epoch ms of the local date-time. */
export const localMs = (instant: number, timeZone: string): number =>
  instant + utcOffsetMs(instant, timeZone);

/** Local weekday (0 = Monday) and milliseconds after local midnight of a local epoch-ms value. */
export const splitLocal = (local: number): { readonly weekdayIndex: number; readonly msOfDay: number } => {
  const day = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday, index 3 when Monday is 0.
  return { weekdayIndex: (((day + 3) % 7) + 7) % 7, msOfDay: local - day * DAY_MS };
};

/** A stretch of instants `[from, to)` over which the zone's offset is `offsetMs`. */
export interface OffsetSegment {
  readonly from: number;
  readonly to: number;
  readonly offsetMs: number;
}

/** The zone's offsets over `[from, to)`, as consecutive segments of constant offset. */
export const offsetSegments = (from: number, to: number, timeZone: string): OffsetSegment[] => {
  const out: OffsetSegment[] = [];
  const push = (a: number, b: number, o: number): void => {
    if (b <= a) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.offsetMs === o && last.to === a) out[out.length - 1] = { ...last, to: b };
    else out.push({ from: a, to: b, offsetMs: o });
  };
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const d = dayOffsets(timeZone, day);
    const lo = Math.max(from, day * DAY_MS);
    const hi = Math.min(to, (day + 1) * DAY_MS);
    const cut = Math.min(Math.max(d.transitionAt, lo), hi);
    push(lo, cut, d.before);
    push(cut, hi, d.after);
  }
  return out;
};
