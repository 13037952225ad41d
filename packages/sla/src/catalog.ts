/**
 * The SLA catalog (spec §6): what each SLA level promises — whether the MSP is mandatory (1), the
 * support channels and hours (3.1) and the default maintenance windows (4.1). It is data, not code:
 * a provider with other terms passes its own {@link SlaCatalog} wherever the default is used.
 */
import type { MaintenanceWindow, SlaLevel, TicketChannel } from '@msp-billing/events';

/**
 * A weekly recurring window of local wall-clock time: `[start, end)` on `day`; an end not after the
 * start ends on the next day, and `24:00` is the end of the day. Same shape as a maintenance window.
 */
export type WeeklyWindow = MaintenanceWindow;

/** What one SLA level promises. */
export interface SlaTerms {
  /** Whether a VM with this SLA must have an MSP booked (1). */
  readonly mspMandatory: boolean;
  /** Channels through which fault reports are accepted (3.1). */
  readonly supportChannels: readonly TicketChannel[];
  /** When the provider is reachable for fault reports (3.1), in the contract's time zone. */
  readonly supportHours: readonly WeeklyWindow[];
  /** Default maintenance windows for updates (4.1), unless the contract agreed its own. */
  readonly maintenanceWindows: readonly MaintenanceWindow[];
}

/** The terms of every SLA level. */
export type SlaCatalog = Readonly<Record<SlaLevel, SlaTerms>>;

// The catalog is built from literals that are valid by construction; the casts only attach the
// wire format's brands, which exist to stop unchecked input, not our own constants.
const w = (day: MaintenanceWindow['day'], start: string, end: string): MaintenanceWindow =>
  ({ day, start, end }) as MaintenanceWindow;

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;
const MON_TO_SAT = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const EVERY_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

const daily = (days: readonly MaintenanceWindow['day'][], start: string, end: string): WeeklyWindow[] =>
  days.map((d) => w(d, start, end));

const freeze = <T extends object>(o: T): T => Object.freeze(o);

/** The default SLA catalog of spec §6. */
export const DEFAULT_SLA_CATALOG: SlaCatalog = freeze({
  Basic: freeze({
    mspMandatory: false,
    supportChannels: freeze(['helpdesk'] as const),
    supportHours: freeze(daily(WEEKDAYS, '09:00', '17:00')),
    maintenanceWindows: freeze([w('WED', '22:00', '06:00')]),
  }),
  Standard: freeze({
    mspMandatory: false,
    supportChannels: freeze(['helpdesk', 'email'] as const),
    supportHours: freeze(daily(WEEKDAYS, '08:00', '18:00')),
    maintenanceWindows: freeze([w('WED', '22:00', '06:00')]),
  }),
  Professional: freeze({
    mspMandatory: true,
    supportChannels: freeze(['helpdesk', 'email', 'phone'] as const),
    supportHours: freeze(daily(MON_TO_SAT, '07:00', '20:00')),
    maintenanceWindows: freeze([w('TUE', '22:00', '02:00'), w('THU', '22:00', '02:00')]),
  }),
  Premium: freeze({
    mspMandatory: true,
    supportChannels: freeze(['helpdesk', 'email', 'phone'] as const),
    supportHours: freeze(daily(EVERY_DAY, '00:00', '24:00')),
    maintenanceWindows: freeze(daily(EVERY_DAY, '00:00', '04:00')),
  }),
});
