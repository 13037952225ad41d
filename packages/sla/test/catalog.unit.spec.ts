/** The default SLA catalog against the table of spec §6. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_CATALOG } from '../src/index.js';

const days = (list: string[], start: string, end: string) => list.map((day) => ({ day, start, end }));
const MON_FRI = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

describe('DEFAULT_SLA_CATALOG (§6)', () => {
  it('Basic: MSP optional, helpdesk, Mon–Fri 09:00–17:00, Wed 22:00–06:00', () => {
    expect(DEFAULT_SLA_CATALOG.Basic).toEqual({
      mspMandatory: false,
      supportChannels: ['helpdesk'],
      supportHours: days(MON_FRI, '09:00', '17:00'),
      maintenanceWindows: [{ day: 'WED', start: '22:00', end: '06:00' }],
    });
  });
  it('Standard: MSP optional, helpdesk + email, Mon–Fri 08:00–18:00, Wed 22:00–06:00', () => {
    expect(DEFAULT_SLA_CATALOG.Standard).toEqual({
      mspMandatory: false,
      supportChannels: ['helpdesk', 'email'],
      supportHours: days(MON_FRI, '08:00', '18:00'),
      maintenanceWindows: [{ day: 'WED', start: '22:00', end: '06:00' }],
    });
  });
  it('Professional: MSP mandatory, helpdesk + email + phone, Mon–Sat 07:00–20:00, Tue and Thu 22:00–02:00', () => {
    expect(DEFAULT_SLA_CATALOG.Professional).toEqual({
      mspMandatory: true,
      supportChannels: ['helpdesk', 'email', 'phone'],
      supportHours: days([...MON_FRI, 'SAT'], '07:00', '20:00'),
      maintenanceWindows: [
        { day: 'TUE', start: '22:00', end: '02:00' },
        { day: 'THU', start: '22:00', end: '02:00' },
      ],
    });
  });
  it('Premium: MSP mandatory, every day 00:00–24:00 support and 00:00–04:00 maintenance', () => {
    const all = [...MON_FRI, 'SAT', 'SUN'];
    expect(DEFAULT_SLA_CATALOG.Premium).toEqual({
      mspMandatory: true,
      supportChannels: ['helpdesk', 'email', 'phone'],
      supportHours: days(all, '00:00', '24:00'),
      maintenanceWindows: days(all, '00:00', '04:00'),
    });
  });
  it('is frozen: a user replaces the catalog instead of mutating the default', () => {
    expect(Object.isFrozen(DEFAULT_SLA_CATALOG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SLA_CATALOG.Basic.maintenanceWindows)).toBe(true);
  });
});
