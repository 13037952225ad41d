/** Support hours by example (3.1, §6), in the contract's time zone. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_CATALOG, isWithinSupportHours } from '../src/index.js';

const at = (iso: string): number => Date.parse(iso);

describe('isWithinSupportHours', () => {
  // 2026-10-09 is a Friday, 2026-10-10 a Saturday, 2026-10-11 a Sunday; Berlin is UTC+2 (CEST).
  it.each([
    ['Basic', '2026-10-09T06:59:00Z', false], // Fri 08:59
    ['Basic', '2026-10-09T07:00:00Z', true], // Fri 09:00
    ['Basic', '2026-10-09T14:59:00Z', true], // Fri 16:59
    ['Basic', '2026-10-09T15:00:00Z', false], // Fri 17:00
    ['Standard', '2026-10-09T06:00:00Z', true], // Fri 08:00
    ['Standard', '2026-10-09T16:00:00Z', false], // Fri 18:00
    ['Standard', '2026-10-10T10:00:00Z', false], // Sat 12:00
    ['Professional', '2026-10-10T05:00:00Z', true], // Sat 07:00
    ['Professional', '2026-10-10T17:59:00Z', true], // Sat 19:59
    ['Professional', '2026-10-10T18:00:00Z', false], // Sat 20:00
    ['Professional', '2026-10-11T10:00:00Z', false], // Sun 12:00
    ['Premium', '2026-10-11T21:59:59.999Z', true], // Sun 23:59:59.999
    ['Premium', '2026-10-11T22:00:00Z', true], // Mon 00:00: 24:00 of Sunday is Monday's 00:00
  ] as const)('%s at %s → %s', (sla, instant, expected) => {
    expect(isWithinSupportHours(at(instant), DEFAULT_SLA_CATALOG[sla], 'Europe/Berlin')).toBe(expected);
  });

  it('takes a bare list of hours too', () => {
    const hours = DEFAULT_SLA_CATALOG.Basic.supportHours;
    // Fri 2026-10-09 09:00 in New York (EDT, UTC−4) = 13:00Z; in Berlin that is 15:00, also inside.
    expect(isWithinSupportHours(at('2026-10-09T13:00:00Z'), hours, 'America/New_York')).toBe(true);
    // 12:59Z is 08:59 EDT: outside in New York, while 14:59 in Berlin would be inside.
    expect(isWithinSupportHours(at('2026-10-09T12:59:00Z'), hours, 'America/New_York')).toBe(false);
    expect(isWithinSupportHours(at('2026-10-09T12:59:00Z'), hours, 'Europe/Berlin')).toBe(true);
  });

  it('Premium is reachable through the 25-hour day 2026-10-25 in Berlin', () => {
    const premium = DEFAULT_SLA_CATALOG.Premium;
    for (let h = 0; h < 25; h++) {
      // From 00:00 CEST (2026-10-24T22:00Z), every hour of the 25 real hours of that Sunday.
      expect(isWithinSupportHours(at('2026-10-24T22:00:00Z') + h * 3_600_000, premium, 'Europe/Berlin')).toBe(
        true,
      );
    }
  });
});
