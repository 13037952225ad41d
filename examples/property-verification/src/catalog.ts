/**
 * A provider's own SLA catalog, written as plain data the way it would come from a config file, and
 * checked with the wire format's `MaintenanceWindowC` codec: windows carry branded wall-clock times,
 * so decoding (not a cast) is the honest way to build a `SlaCatalog` from your own data.
 */
import {
  MaintenanceWindowC,
  type MaintenanceWindow,
  type SlaLevel,
  type TicketChannel,
} from '@msp-billing/events';
import type { SlaCatalog, SlaTerms } from '@msp-billing/sla';

/** One SLA level as plain data: windows are `{ day, start, end }` with `HH:MM` local times. */
export interface PlainSlaTerms {
  readonly mspMandatory: boolean;
  readonly supportChannels: readonly TicketChannel[];
  readonly supportHours: readonly unknown[];
  readonly maintenanceWindows: readonly unknown[];
}

const windowsOf = (level: SlaLevel, field: string, windows: readonly unknown[]): MaintenanceWindow[] =>
  windows.map((w, i) => {
    const decoded = MaintenanceWindowC.decode(w);
    if (decoded._tag === 'Left')
      throw new Error(`${level}.${field}[${i}] is not a window { day: MON..SUN, start: HH:MM, end: HH:MM }`);
    return decoded.right;
  });

/** Check a plain catalog and return it as the `SlaCatalog` the Ledger takes; throws on a bad window. */
export const slaCatalogFrom = (plain: Readonly<Record<SlaLevel, PlainSlaTerms>>): SlaCatalog => {
  const terms = (level: SlaLevel): SlaTerms => {
    const p = plain[level];
    return {
      mspMandatory: p.mspMandatory,
      supportChannels: p.supportChannels,
      supportHours: windowsOf(level, 'supportHours', p.supportHours),
      maintenanceWindows: windowsOf(level, 'maintenanceWindows', p.maintenanceWindows),
    };
  };
  return {
    Basic: terms('Basic'),
    Standard: terms('Standard'),
    Professional: terms('Professional'),
    Premium: terms('Premium'),
  };
};

const days = (list: readonly string[], start: string, end: string) =>
  list.map((day) => ({ day, start, end }));
const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const EVERY_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/**
 * Our catalog: maintenance on Sunday night for Basic, Saturday night for Standard, Monday and Friday
 * around midnight for Professional, 01:00–05:00 daily for Premium (the spec's defaults differ on
 * every level, so a check that silently used the defaults would be caught by the tests).
 */
export const MY_SLA_CATALOG: SlaCatalog = slaCatalogFrom({
  Basic: {
    mspMandatory: false,
    supportChannels: ['helpdesk'],
    supportHours: days(WEEKDAYS, '08:00', '16:00'),
    maintenanceWindows: [{ day: 'SUN', start: '02:00', end: '05:00' }],
  },
  Standard: {
    mspMandatory: false,
    supportChannels: ['helpdesk', 'email'],
    supportHours: days(WEEKDAYS, '07:00', '19:00'),
    maintenanceWindows: [{ day: 'SAT', start: '22:00', end: '04:00' }],
  },
  Professional: {
    mspMandatory: true,
    supportChannels: ['helpdesk', 'email', 'phone'],
    supportHours: days([...WEEKDAYS, 'SAT'], '06:00', '22:00'),
    maintenanceWindows: [
      { day: 'MON', start: '23:00', end: '01:00' },
      { day: 'FRI', start: '23:00', end: '01:00' },
    ],
  },
  Premium: {
    mspMandatory: true,
    supportChannels: ['helpdesk', 'email', 'phone'],
    supportHours: days(EVERY_DAY, '00:00', '24:00'),
    maintenanceWindows: days(EVERY_DAY, '01:00', '05:00'),
  },
});
