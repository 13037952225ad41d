/**
 * Support hours (3.1): whether the provider is reachable for fault reports at an instant, by the SLA's
 * weekly hours in the contract's time zone. Same semantics as maintenance windows (§6).
 */
import type { SlaTerms, WeeklyWindow } from './catalog.js';
import { isInWeeklyWindows } from './windows.js';

/** Whether `instant` lies within the support hours of `terms` (or of the given hours), in `timeZone`. */
export const isWithinSupportHours = (
  instant: number,
  termsOrHours: Pick<SlaTerms, 'supportHours'> | readonly WeeklyWindow[],
  timeZone: string,
): boolean => {
  const hours = isWindowList(termsOrHours) ? termsOrHours : termsOrHours.supportHours;
  return isInWeeklyWindows(instant, hours, timeZone);
};

const isWindowList = (
  x: Pick<SlaTerms, 'supportHours'> | readonly WeeklyWindow[],
): x is readonly WeeklyWindow[] => Array.isArray(x);
