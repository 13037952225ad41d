/**
 * @msp-billing/sla — the SLA catalog of spec §6 and the calendar questions it raises: is an instant
 * inside a maintenance window (4.1) or within support hours (3.1), judged by local wall time in the
 * contract's time zone.
 *
 * @packageDocumentation
 */
export { DEFAULT_SLA_CATALOG, type SlaCatalog, type SlaTerms, type WeeklyWindow } from './catalog.js';
export {
  isInMaintenanceWindow,
  isInWeeklyWindows,
  nextMaintenanceWindow,
  type WindowOccurrence,
} from './windows.js';
export { isWithinSupportHours } from './supportHours.js';
export { utcOffsetMs, localMs } from './localTime.js';
