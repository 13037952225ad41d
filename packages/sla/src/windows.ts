/**
 * Maintenance windows (4.1): whether an instant falls inside one, and the next occurrence of one, in
 * the contract's time zone. A window is `[start, end)` of local wall-clock time on its `day`; an end
 * not after its start ends on the next day (§6); `24:00` is the end of the day. Everything is judged
 * by the local wall time of the instant: on a day when clocks go back, the repeated hour is inside a
 * window covering it both times; on a day when they go forward, the skipped hour never happens.
 */
import { type MaintenanceWindow } from '@msp-billing/events';
import { wallTimeMinutes } from '@msp-billing/events/internal';
import type { WeeklyWindow } from './catalog.js';
import { DAY_MS, MINUTE_MS, WEEKDAYS, localMs, offsetSegments, splitLocal } from './localTime.js';

const WEEK_MS = 7 * DAY_MS;

/** Windows compiled to intervals `[from, to)` of milliseconds after local Monday 00:00. */
type WeekIntervals = readonly (readonly [number, number])[];

// Window lists come from events and the catalog and are never mutated, so compiling each list once
// and keying it by identity keeps the per-entry cost to a few comparisons: a pure memo.
const compiled = new WeakMap<readonly WeeklyWindow[], WeekIntervals>();

const dayIndex = (w: WeeklyWindow): number => WEEKDAYS.indexOf(w.day);

/** Local `[A, B)` of a window's occurrence starting on local day `day`, in local epoch ms. */
const occurrenceLocal = (w: WeeklyWindow, day: number): readonly [number, number] => {
  const s = wallTimeMinutes(w.start) * MINUTE_MS;
  const e = wallTimeMinutes(w.end) * MINUTE_MS;
  const base = day * DAY_MS;
  // §6: a window whose end is not after its start ends on the next day.
  return [base + s, e > s ? base + e : base + DAY_MS + e];
};

const compile = (windows: readonly WeeklyWindow[]): WeekIntervals => {
  const hit = compiled.get(windows);
  if (hit !== undefined) return hit;
  const out: [number, number][] = [];
  for (const w of windows) {
    const [a, b] = occurrenceLocal(w, dayIndex(w));
    // A window may run past Sunday 24:00 into Monday: wrap that part to the start of the week.
    if (b <= WEEK_MS) out.push([a, b]);
    else {
      out.push([a, WEEK_MS]);
      out.push([0, b - WEEK_MS]);
    }
  }
  compiled.set(windows, out);
  return out;
};

/** Whether local time `local` (local epoch ms) falls inside one of `windows`. */
const containsLocal = (windows: readonly WeeklyWindow[], local: number): boolean => {
  const { weekdayIndex, msOfDay } = splitLocal(local);
  const m = weekdayIndex * DAY_MS + msOfDay;
  for (const [a, b] of compile(windows)) if (a <= m && m < b) return true;
  return false;
};

/** Whether `instant` falls inside one of the weekly `windows`, read in `timeZone`. */
export const isInWeeklyWindows = (
  instant: number,
  windows: readonly WeeklyWindow[],
  timeZone: string,
): boolean => windows.length > 0 && containsLocal(windows, localMs(instant, timeZone));

/** Whether `instant` falls inside one of the maintenance `windows` (4.1), read in `timeZone`. */
export const isInMaintenanceWindow = (
  instant: number,
  windows: readonly MaintenanceWindow[],
  timeZone: string,
): boolean => isInWeeklyWindows(instant, windows, timeZone);

/** One occurrence of a window, as instants `[start, end)`. */
export interface WindowOccurrence {
  readonly start: number;
  readonly end: number;
}

// Offsets range from UTC−12 to UTC+14; a margin of 15 h covers any local-to-instant shift.
const OFFSET_MARGIN_MS = 15 * 3_600_000;
// A window's occurrence can fall wholly into a skipped hour; the same weekday a week later cannot,
// so two weeks ahead always find the next occurrence when there is one.
const LOOKAHEAD_DAYS = 15;

/**
 * The occurrence of one of `windows` that contains `instant` (the earliest-starting one, when
 * windows overlap), else the one starting next after it; undefined when the windows never occur.
 * An occurrence is a stretch of instants whose local wall time lies inside one window's run on one
 * date; when clocks go back in the middle of a window, the run can come in two pieces (the repeated
 * wall times before the window's start are outside it), and each piece is an occurrence.
 */
export const nextMaintenanceWindow = (
  instant: number,
  windows: readonly MaintenanceWindow[],
  timeZone: string,
): WindowOccurrence | undefined => {
  if (windows.length === 0) return undefined;
  const today = Math.floor(localMs(instant, timeZone) / DAY_MS);
  // An occurrence lasts at most one day of wall time, so one that contains `instant` began at the
  // latest yesterday (two days back leaves room for the offset).
  const firstDay = today - 2;
  const lastDay = today + LOOKAHEAD_DAYS;
  const segments = offsetSegments(
    firstDay * DAY_MS - OFFSET_MARGIN_MS,
    (lastDay + 2) * DAY_MS + OFFSET_MARGIN_MS,
    timeZone,
  );
  let containing: WindowOccurrence | undefined;
  let next: WindowOccurrence | undefined;
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = splitLocal(day * DAY_MS).weekdayIndex;
    for (const w of windows) {
      if (dayIndex(w) !== weekday) continue;
      const [a, b] = occurrenceLocal(w, day);
      let piece: { start: number; end: number } | undefined;
      const consider = (p: WindowOccurrence): void => {
        if (p.start <= instant && instant < p.end) {
          if (containing === undefined || p.start < containing.start) containing = p;
        } else if (p.start > instant && (next === undefined || p.start < next.start)) next = p;
      };
      // The instants whose wall time lies in [a, b): per segment of constant offset o, [a − o, b − o).
      for (const s of segments) {
        const from = Math.max(s.from, a - s.offsetMs);
        const to = Math.min(s.to, b - s.offsetMs);
        if (to <= from) continue;
        if (piece !== undefined && piece.end === from) piece.end = to;
        else {
          if (piece !== undefined) consider(piece);
          piece = { start: from, end: to };
        }
      }
      if (piece !== undefined) consider(piece);
    }
  }
  return containing ?? next;
};
