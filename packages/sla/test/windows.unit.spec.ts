/**
 * Maintenance windows by example (4.1, §6): windows crossing midnight and the week's end, `24:00`,
 * and the DST days of 2026 in Europe/Berlin, America/New_York and Australia/Sydney. Every expected
 * instant is worked out by hand from the zone's offset on that day (noted beside it).
 */
import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG, isInMaintenanceWindow, nextMaintenanceWindow } from '../src/index.js';

const at = (iso: string): number => Date.parse(iso);
const win = (day: string, start: string, end: string): MaintenanceWindow =>
  ({ day, start, end }) as MaintenanceWindow;
const BERLIN = 'Europe/Berlin';
const iso = (o: { start: number; end: number } | undefined) =>
  o === undefined
    ? undefined
    : { start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() };

describe('isInMaintenanceWindow — crossing midnight', () => {
  // Basic: Wed 22:00–06:00. 2026-10-07 is a Wednesday; Berlin is on CEST (UTC+2), local = Z + 2 h.
  const basic = DEFAULT_SLA_CATALOG.Basic.maintenanceWindows;
  it.each([
    ['2026-10-07T19:59:59.999Z', false], // Wed 21:59:59.999 local: just before the start
    ['2026-10-07T20:00:00.000Z', true], // Wed 22:00 local: the start is inside
    ['2026-10-07T21:59:00.000Z', true], // Wed 23:59 local
    ['2026-10-07T22:00:00.000Z', true], // Thu 00:00 local: the window runs on into Thursday
    ['2026-10-08T03:59:59.999Z', true], // Thu 05:59:59.999 local
    ['2026-10-08T04:00:00.000Z', false], // Thu 06:00 local: the end is outside
    ['2026-10-08T20:00:00.000Z', false], // Thu 22:00 local: Basic has no Thursday window
    ['2026-10-06T23:00:00.000Z', false], // Wed 01:00 local: before Wednesday's window opened
  ])('Basic, Berlin, %s → %s', (instant, expected) => {
    expect(isInMaintenanceWindow(at(instant), basic, BERLIN)).toBe(expected);
  });

  // Professional: Tue and Thu 22:00–02:00. 2026-10-06 is a Tuesday; local = Z + 2 h.
  const pro = DEFAULT_SLA_CATALOG.Professional.maintenanceWindows;
  it.each([
    ['2026-10-06T20:00:00.000Z', true], // Tue 22:00
    ['2026-10-06T23:59:00.000Z', true], // Wed 01:59
    ['2026-10-07T00:00:00.000Z', false], // Wed 02:00
    ['2026-10-07T20:00:00.000Z', false], // Wed 22:00
    ['2026-10-08T21:30:00.000Z', true], // Thu 23:30
    ['2026-10-09T00:00:00.000Z', false], // Fri 02:00
  ])('Professional, Berlin, %s → %s', (instant, expected) => {
    expect(isInMaintenanceWindow(at(instant), pro, BERLIN)).toBe(expected);
  });

  it('a Sunday window crossing midnight continues on Monday, the start of the next week', () => {
    const sunday = [win('SUN', '22:00', '02:00')];
    // 2026-10-12 is a Monday; 01:00 CEST = 2026-10-11T23:00Z; 02:00 CEST = 2026-10-12T00:00Z.
    expect(isInMaintenanceWindow(at('2026-10-11T23:00:00Z'), sunday, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-12T00:00:00Z'), sunday, BERLIN)).toBe(false);
  });

  it('a window whose end equals its start lasts 24 hours, into the next day', () => {
    const w = [win('MON', '10:00', '10:00')];
    // Mon 2026-10-12 10:00 CEST = 08:00Z; Tue 09:59 CEST = 2026-10-13T07:59Z; Tue 10:00 = 08:00Z.
    expect(isInMaintenanceWindow(at('2026-10-12T07:59:00Z'), w, BERLIN)).toBe(false);
    expect(isInMaintenanceWindow(at('2026-10-12T08:00:00Z'), w, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-13T07:59:00Z'), w, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-13T08:00:00Z'), w, BERLIN)).toBe(false);
  });

  it('24:00 as the end is the end of the day, not the next day', () => {
    const w = [win('MON', '20:00', '24:00')];
    // Mon 23:59 CEST = 2026-10-12T21:59Z; Tue 00:00 CEST = 2026-10-12T22:00Z.
    expect(isInMaintenanceWindow(at('2026-10-12T21:59:00Z'), w, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-12T22:00:00Z'), w, BERLIN)).toBe(false);
  });

  it('no windows: never inside', () => {
    expect(isInMaintenanceWindow(at('2026-10-12T08:00:00Z'), [], BERLIN)).toBe(false);
  });

  it('reads the zone given, not the machine zone: Asia/Kolkata is UTC+05:30', () => {
    // Wed 2026-10-07 22:00 IST = 16:30Z; 16:29Z is 21:59 IST.
    expect(isInMaintenanceWindow(at('2026-10-07T16:30:00Z'), basic, 'Asia/Kolkata')).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-07T16:29:00Z'), basic, 'Asia/Kolkata')).toBe(false);
  });

  it('refuses an unknown time zone loudly instead of answering false', () => {
    expect(() => isInMaintenanceWindow(0, basic, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('isInMaintenanceWindow — DST, Europe/Berlin 2026', () => {
  // 2026-03-29 (Sunday): 01:00Z is 02:00 CET → 03:00 CEST; local 02:00–03:00 does not exist.
  it('spring: the skipped hour is never inside a window covering only it', () => {
    const gap = [win('SUN', '02:00', '03:00')];
    expect(isInMaintenanceWindow(at('2026-03-29T00:59:59.999Z'), gap, BERLIN)).toBe(false); // 01:59:59.999 CET
    expect(isInMaintenanceWindow(at('2026-03-29T01:00:00Z'), gap, BERLIN)).toBe(false); // 03:00 CEST
    expect(nextMaintenanceWindow(at('2026-03-28T12:00:00Z'), gap, BERLIN)).toEqual({
      // It first happens a week later: Sun 2026-04-05 02:00–03:00 CEST = 00:00Z–01:00Z.
      start: at('2026-04-05T00:00:00Z'),
      end: at('2026-04-05T01:00:00Z'),
    });
  });

  it('spring: a window across the gap is one hour shorter in real time', () => {
    const w = [win('SUN', '01:00', '04:00')];
    // 01:00 CET = 00:00Z; 04:00 CEST = 02:00Z: two real hours for three wall-clock hours.
    expect(isInMaintenanceWindow(at('2026-03-29T00:00:00Z'), w, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-03-29T01:00:00Z'), w, BERLIN)).toBe(true); // 03:00 CEST
    expect(isInMaintenanceWindow(at('2026-03-29T02:00:00Z'), w, BERLIN)).toBe(false); // 04:00 CEST
    expect(iso(nextMaintenanceWindow(at('2026-03-28T23:00:00Z'), w, BERLIN))).toEqual({
      start: '2026-03-29T00:00:00.000Z',
      end: '2026-03-29T02:00:00.000Z',
    });
  });

  it('spring: a window starting in the gap starts when the clocks jump', () => {
    const w = [win('SUN', '02:30', '04:00')];
    // Wall times from 02:30 on: the first to exist is 03:00 CEST = 01:00Z; 04:00 CEST = 02:00Z.
    expect(isInMaintenanceWindow(at('2026-03-29T00:59:00Z'), w, BERLIN)).toBe(false); // 01:59 CET
    expect(isInMaintenanceWindow(at('2026-03-29T01:00:00Z'), w, BERLIN)).toBe(true);
    expect(iso(nextMaintenanceWindow(at('2026-03-28T12:00:00Z'), w, BERLIN))).toEqual({
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T02:00:00.000Z',
    });
  });

  // 2026-10-25 (Sunday), a 25-hour day: 01:00Z is 03:00 CEST → 02:00 CET; 02:00–03:00 happens twice.
  it('autumn: 02:30 happens twice, and both are inside a window covering 02:30', () => {
    const w = [win('SUN', '02:00', '03:00')];
    expect(isInMaintenanceWindow(at('2026-10-24T23:59:00Z'), w, BERLIN)).toBe(false); // 01:59 CEST
    expect(isInMaintenanceWindow(at('2026-10-25T00:30:00Z'), w, BERLIN)).toBe(true); // 02:30 CEST
    expect(isInMaintenanceWindow(at('2026-10-25T01:30:00Z'), w, BERLIN)).toBe(true); // 02:30 CET
    expect(isInMaintenanceWindow(at('2026-10-25T02:00:00Z'), w, BERLIN)).toBe(false); // 03:00 CET
    // One wall-clock hour that lasts two real hours: 02:00 CEST = 00:00Z to 03:00 CET = 02:00Z.
    expect(iso(nextMaintenanceWindow(at('2026-10-24T12:00:00Z'), w, BERLIN))).toEqual({
      start: '2026-10-25T00:00:00.000Z',
      end: '2026-10-25T02:00:00.000Z',
    });
  });

  it('autumn: a window starting inside the repeated hour comes in two pieces', () => {
    const w = [win('SUN', '02:30', '05:00')];
    // 02:30–03:00 CEST = 00:30Z–01:00Z; then 02:00–02:30 CET (01:00Z–01:30Z) is before the start
    // again; 02:30 CET = 01:30Z to 05:00 CET = 04:00Z.
    expect(isInMaintenanceWindow(at('2026-10-25T00:45:00Z'), w, BERLIN)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-10-25T01:15:00Z'), w, BERLIN)).toBe(false); // 02:15 CET
    expect(isInMaintenanceWindow(at('2026-10-25T01:30:00Z'), w, BERLIN)).toBe(true);
    expect(iso(nextMaintenanceWindow(at('2026-10-25T00:45:00Z'), w, BERLIN))).toEqual({
      start: '2026-10-25T00:30:00.000Z',
      end: '2026-10-25T01:00:00.000Z',
    });
    expect(iso(nextMaintenanceWindow(at('2026-10-25T01:15:00Z'), w, BERLIN))).toEqual({
      start: '2026-10-25T01:30:00.000Z',
      end: '2026-10-25T04:00:00.000Z',
    });
  });

  it('autumn: the Premium window 00:00–04:00 lasts five real hours on the 25-hour day', () => {
    const premium = DEFAULT_SLA_CATALOG.Premium.maintenanceWindows;
    // 00:00 CEST = 2026-10-24T22:00Z; 04:00 CET = 2026-10-25T03:00Z.
    expect(iso(nextMaintenanceWindow(at('2026-10-24T23:00:00Z'), premium, BERLIN))).toEqual({
      start: '2026-10-24T22:00:00.000Z',
      end: '2026-10-25T03:00:00.000Z',
    });
  });
});

describe('isInMaintenanceWindow — DST outside Europe', () => {
  const NY = 'America/New_York';
  it('America/New_York 2026-03-08: 02:00 EST (07:00Z) jumps to 03:00 EDT', () => {
    const gap = [win('SUN', '02:00', '03:00')];
    expect(isInMaintenanceWindow(at('2026-03-08T06:59:00Z'), gap, NY)).toBe(false); // 01:59 EST
    expect(isInMaintenanceWindow(at('2026-03-08T07:00:00Z'), gap, NY)).toBe(false); // 03:00 EDT
  });

  it('America/New_York 2026-11-01: 01:30 happens twice (05:30Z EDT, 06:30Z EST)', () => {
    const w = [win('SUN', '01:00', '02:00')];
    expect(isInMaintenanceWindow(at('2026-11-01T04:59:00Z'), w, NY)).toBe(false); // 00:59 EDT
    expect(isInMaintenanceWindow(at('2026-11-01T05:30:00Z'), w, NY)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-11-01T06:30:00Z'), w, NY)).toBe(true);
    expect(isInMaintenanceWindow(at('2026-11-01T07:00:00Z'), w, NY)).toBe(false); // 02:00 EST
    // 01:00 EDT = 05:00Z to 02:00 EST = 07:00Z.
    expect(iso(nextMaintenanceWindow(at('2026-10-31T00:00:00Z'), w, NY))).toEqual({
      start: '2026-11-01T05:00:00.000Z',
      end: '2026-11-01T07:00:00.000Z',
    });
  });

  it('Australia/Sydney 2026-04-05: 03:00 AEDT (16:00Z) goes back to 02:00 AEST', () => {
    const w = [win('SUN', '02:00', '03:00')];
    // 02:30 AEDT (UTC+11) = 04-04T15:30Z; 02:30 AEST (UTC+10) = 04-04T16:30Z; 03:00 AEST = 17:00Z.
    expect(isInMaintenanceWindow(at('2026-04-04T15:30:00Z'), w, 'Australia/Sydney')).toBe(true);
    expect(isInMaintenanceWindow(at('2026-04-04T16:30:00Z'), w, 'Australia/Sydney')).toBe(true);
    expect(isInMaintenanceWindow(at('2026-04-04T17:00:00Z'), w, 'Australia/Sydney')).toBe(false);
  });

  it('Australia/Sydney 2026-10-04: 02:00 AEST (10-03T16:00Z) jumps to 03:00 AEDT', () => {
    const w = [win('SUN', '02:00', '03:00')];
    expect(isInMaintenanceWindow(at('2026-10-03T15:59:00Z'), w, 'Australia/Sydney')).toBe(false);
    expect(isInMaintenanceWindow(at('2026-10-03T16:00:00Z'), w, 'Australia/Sydney')).toBe(false);
  });
});

describe('nextMaintenanceWindow', () => {
  const basic = DEFAULT_SLA_CATALOG.Basic.maintenanceWindows;
  it('inside a window: the occurrence containing the instant', () => {
    // Thu 2026-10-08 01:00 CEST = 2026-10-07T23:00Z, inside Wed 22:00 (20:00Z) – Thu 06:00 (04:00Z).
    expect(iso(nextMaintenanceWindow(at('2026-10-07T23:00:00Z'), basic, BERLIN))).toEqual({
      start: '2026-10-07T20:00:00.000Z',
      end: '2026-10-08T04:00:00.000Z',
    });
  });
  it('at the end of a window: the next week’s occurrence', () => {
    // Thu 06:00 CEST is outside; the next is Wed 2026-10-14 22:00 CEST = 20:00Z to Thu 04:00Z.
    expect(iso(nextMaintenanceWindow(at('2026-10-08T04:00:00Z'), basic, BERLIN))).toEqual({
      start: '2026-10-14T20:00:00.000Z',
      end: '2026-10-15T04:00:00.000Z',
    });
  });
  it('no windows, or windows that never happen: undefined', () => {
    expect(nextMaintenanceWindow(at('2026-10-08T04:00:00Z'), [], BERLIN)).toBeUndefined();
    // 24:00 to 00:00 runs from the end of Monday to the start of Tuesday: empty.
    expect(
      nextMaintenanceWindow(at('2026-10-08T04:00:00Z'), [win('MON', '24:00', '00:00')], BERLIN),
    ).toBeUndefined();
  });
});
