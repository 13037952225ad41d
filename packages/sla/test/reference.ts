/**
 * An independent reference for window membership, used by the property tests: local weekday and
 * minute of day come from `Intl.DateTimeFormat#formatToParts`, and each window is expanded minute
 * by minute into the set of local minutes of the week it covers. Slow and obvious on purpose.
 */
import type { MaintenanceWindow } from '@msp-billing/events';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

/** Local minute of the week (Monday 00:00 = 0) of an instant. */
export const refMinuteOfWeek = (instant: number, timeZone: string): number => {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = SHORT.indexOf(get('weekday'));
  if (day < 0) throw new Error(`no weekday in ${JSON.stringify(parts)}`);
  return day * 1440 + Number(get('hour')) * 60 + Number(get('minute'));
};

const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/** Every local minute of the week that one of `windows` covers. */
export const refCoveredMinutes = (windows: readonly MaintenanceWindow[]): Set<number> => {
  const covered = new Set<number>();
  for (const w of windows) {
    const d = DAYS.indexOf(w.day);
    const s = toMinutes(w.start);
    const e = toMinutes(w.end);
    if (e > s) {
      for (let m = s; m < e; m++) covered.add(d * 1440 + m);
    } else {
      // Ends on the next day: the rest of `day`, then the next day up to `end`.
      for (let m = s; m < 1440; m++) covered.add(d * 1440 + m);
      for (let m = 0; m < e; m++) covered.add(((d + 1) % 7) * 1440 + m);
    }
  }
  return covered;
};

/** Reference answer: is `instant` inside one of `windows` in `timeZone`. */
export const refIsIn = (instant: number, windows: readonly MaintenanceWindow[], timeZone: string): boolean =>
  refCoveredMinutes(windows).has(refMinuteOfWeek(instant, timeZone));
