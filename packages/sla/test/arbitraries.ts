/**
 * fast-check generators for the property tests: zones with unusual rules (half-hour and 45-minute
 * offsets, half-hour DST, southern hemisphere), instants across 2026 biased towards DST days, and
 * window lists biased towards times around the DST switches, midnight and `24:00`.
 */
import * as fc from 'fast-check';
import type { MaintenanceWindow } from '@msp-billing/events';

export const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Africa/Casablanca',
  'UTC',
] as const;

const Y2026 = Date.UTC(2026, 0, 1);
const Y2027 = Date.UTC(2027, 0, 1);
// Days around which some of the zones above switch their clocks in 2026.
const DST_DAYS = [
  Date.UTC(2026, 2, 8), // America/New_York, America/St_Johns
  Date.UTC(2026, 2, 29), // Europe
  Date.UTC(2026, 3, 5), // Australia, New Zealand
  Date.UTC(2026, 8, 27), // New Zealand, Chatham
  Date.UTC(2026, 9, 4), // Australia, Lord Howe
  Date.UTC(2026, 9, 25), // Europe
  Date.UTC(2026, 10, 1), // America
];
const DAY = 86_400_000;

export const zone = fc.constantFrom(...ZONES);

/** An instant in 2026: anywhere, on a whole minute, or within two days of a DST switch. */
export const instant2026 = fc.oneof(
  fc.integer({ min: Y2026, max: Y2027 - 1 }),
  fc.integer({ min: Y2026 / 60_000, max: Y2027 / 60_000 - 1 }).map((m) => m * 60_000),
  fc.tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([d, o]) => d + o),
);

const pad = (n: number): string => String(n).padStart(2, '0');
const anyTime = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => (h === 24 ? '24:00' : `${pad(h)}:${pad(m)}`));
const edgyTime = fc.constantFrom('00:00', '01:00', '01:30', '02:00', '02:30', '03:00', '22:00', '24:00');
const quarterTime = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => (h === 24 ? '24:00' : `${pad(h)}:${pad(m)}`));

const day = fc.constantFrom('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN');
const windowOf = (time: fc.Arbitrary<string>) =>
  fc.record({ day, start: time, end: time }).map((w) => w as MaintenanceWindow);

/** Up to four windows with any minute, DST-switch times weighted in. */
export const windows = fc.array(windowOf(fc.oneof(anyTime, edgyTime)), { maxLength: 4 });
/** Up to four windows on quarter hours (every offset in the zones above is a multiple of 15 min). */
export const quarterWindows = fc.array(windowOf(fc.oneof(quarterTime, edgyTime)), { maxLength: 4 });
