/**
 * fast-check arbitraries of valid events on the wire (spec §2), one per event type plus
 * {@link arbitraryEvent} over all of them. Values look like real logs — ids like `c-12`, RFC 3339
 * instants between 2020 and 2030 with assorted offsets, money like `"97.50"` — so that failures read
 * like bug reports. Each event is valid on its own; integrity across events (a ticket that exists, …)
 * is not a concern here.
 */
import * as fc from 'fast-check';
import { type EventType, type WireEvent } from '@msp-billing/events';
import { SERVICE_KINDS } from '@msp-billing/events/internal';

/** A wire event of type `T`. */
export type WireEventOf<T extends EventType> = WireEvent & { type: T };

/** Earliest and latest (exclusive) instants that generated timestamps fall between. */
export const ARBITRARY_INSTANT_MIN_MS = Date.UTC(2020, 0, 1);
export const ARBITRARY_INSTANT_MAX_MS = Date.UTC(2030, 0, 1);

// Offsets seen in the wild, in minutes east of UTC, including the odd ones (+05:45, -09:30, +14:00).
const OFFSETS = [0, 0, 60, 120, -300, -240, 330, 345, 540, 600, 780, 825, -570, -720, 840, -180];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Render `ms` as RFC 3339 in the given offset, with or without milliseconds, `Z` or `+00:00`. */
const renderTimestamp = (ms: number, offsetMin: number, zulu: boolean): string => {
  const local = new Date(ms + offsetMin * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const withoutZ = ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  if (offsetMin === 0) return `${withoutZ}${zulu ? 'Z' : '+00:00'}`;
  const abs = Math.abs(offsetMin);
  return `${withoutZ}${offsetMin < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
};

/** An RFC 3339 timestamp with offset, together with the instant it denotes (epoch ms). */
export const arbitraryTimestamp: fc.Arbitrary<{ readonly text: string; readonly ms: number }> = fc
  .record({
    ms: fc.integer({ min: ARBITRARY_INSTANT_MIN_MS, max: ARBITRARY_INSTANT_MAX_MS - 1 }),
    wholeSeconds: fc.boolean(),
    offset: fc.constantFrom(...OFFSETS),
    zulu: fc.boolean(),
  })
  .map(({ ms, wholeSeconds, offset, zulu }) => {
    const at = wholeSeconds ? ms - (ms % 1000) : ms;
    return { text: renderTimestamp(at, offset, zulu), ms: at };
  });

/** An RFC 3339 timestamp with offset between 2020 and 2030. */
export const arbitraryInstant: fc.Arbitrary<string> = arbitraryTimestamp.map((t) => t.text);

/** An id with a readable prefix: `c-12`, `t-407`. */
export const arbitraryId = (prefix: string): fc.Arbitrary<string> =>
  fc.nat({ max: 9999 }).map((n) => `${prefix}-${n}`);

/** A money amount: a decimal string ≥ 0 with 0 to 4 fraction digits (`"95"`, `"97.50"`). */
export const arbitraryMoney: fc.Arbitrary<string> = fc
  .record({
    whole: fc.oneof(fc.constantFrom(0, 65, 80, 95, 97, 120, 150), fc.integer({ min: 0, max: 100_000 })),
    digits: fc.integer({ min: 0, max: 4 }),
    fraction: fc.nat({ max: 9999 }),
  })
  .map(({ whole, digits, fraction }) =>
    digits === 0 ? String(whole) : `${whole}.${String(fraction % 10 ** digits).padStart(digits, '0')}`,
  );

/** A percentage: a decimal string from 0 to 100 (`"19"`, `"7.7"`). */
export const arbitraryPercent: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('19', '7', '0', '100', '7.7', '8.1'),
  fc
    .record({
      whole: fc.integer({ min: 0, max: 99 }),
      fraction: fc.option(fc.integer({ min: 1, max: 9999 })),
    })
    .map(({ whole, fraction }) => (fraction === null ? String(whole) : `${whole}.${fraction}`)),
);

/** An e-mail address, in mixed case now and then (addresses compare case-insensitively). */
export const arbitraryEmail: fc.Arbitrary<string> = fc
  .record({
    local: fc.constantFrom('it-lead', 'ops', 'anna.schmidt', 'M.Mueller', 'helpdesk+vm', 'cto'),
    n: fc.option(fc.nat({ max: 99 })),
    domain: fc.constantFrom('example.com', 'Example.DE', 'kunde.example', 'msp.example.org'),
  })
  .map(({ local, n, domain }) => `${local}${n === null ? '' : n}@${domain}`);

/** Free text: realistic subjects and reasons, or any short string (unicode included). */
export const arbitraryText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Disk almost full on /var',
    'Bitte Zertifikat erneuern',
    'Change nginx rewrite rules for /.well-known',
    'Kunde hat Änderung telefonisch beauftragt',
    'typo in minutes',
    'OOM killer stopped postgres',
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

/** An IANA time zone name. */
export const arbitraryTimeZone: fc.Arbitrary<string> = fc.constantFrom(
  'Europe/Berlin',
  'Europe/Vienna',
  'Europe/Zurich',
  'UTC',
  'America/New_York',
  'Asia/Kathmandu',
  'Pacific/Auckland',
);

/** A billing period `YYYY-MM` between 2020 and 2030. */
export const arbitraryPeriod: fc.Arbitrary<string> = fc
  .record({ year: fc.integer({ min: 2020, max: 2030 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${year}-${pad2(month)}`);

/** A wall-clock time `HH:MM`. */
export const arbitraryWallTime: fc.Arbitrary<string> = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 0, 15, 30, 45, 59) })
  .map(({ h, m }) => `${pad2(h)}:${pad2(m)}`);

/** Worked minutes of an entry, 1..1440, mostly short. */
export const arbitraryMinutes: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1, 5, 15, 30, 50, 60, 90, 1440),
  fc.integer({ min: 1, max: 1440 }),
);

/**
 * An IBAN with valid check digits (ISO 13616): a country, a BBAN of digits (and letters now and
 * then), and the two digits that make the whole mod 97 equal 1.
 */
export const arbitraryIban: fc.Arbitrary<string> = fc
  .record({
    country: fc.constantFrom('DE', 'AT', 'NL', 'FR', 'GB'),
    bban: fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 18, maxLength: 18 }),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFXYZ'), minLength: 11, maxLength: 30 }),
    ),
  })
  .map(({ country, bban }) => ibanWithCheckDigits(country, bban));

/** `country` + check digits + `bban`, the check digits computed as ISO 13616 says (98 − n mod 97). */
export const ibanWithCheckDigits = (country: string, bban: string): string => {
  let rest = 0;
  for (const ch of `${bban}${country}00`) {
    const c = ch.charCodeAt(0);
    const v = c >= 0x41 ? c - 0x41 + 10 : c - 0x30;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
};

/**
 * A profile text (spec §8): one line, trimmed, non-empty, at most `max` characters — real names and
 * hostile ones (markup characters, quotes, umlauts, emoji, any printable unicode).
 */
export const arbitraryProfileText = (max = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      'Müller & Söhne <IT> GmbH',
      'O\'Brien "Cloud" Ltd.',
      'Hauptstraße 1',
      'Köln',
      '10115',
      'Ærøskøbing Þjónusta 🚀 Ltd',
      ']]> & &amp; <!-- -->',
    ),
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) })
      // eslint-disable-next-line no-control-regex -- what a profile text may not hold
      .map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/g, '').trim())
      .filter((s) => s.length > 0 && s.length <= max),
  );

/** An ISO 3166-1 country code (a few of them). */
const arbitraryCountryCode: fc.Arbitrary<string> = fc.constantFrom(
  'DE',
  'AT',
  'CH',
  'FR',
  'NL',
  'GB',
  'XI',
  'US',
  'JP',
);
/** A VAT id: a country prefix and 2–13 letters or digits. */
const arbitraryVatId: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 999_999_999 }).map((n) => `DE${String(n).padStart(9, '0')}`),
  fc
    .record({
      prefix: fc.oneof(arbitraryCountryCode, fc.constant('EL')),
      rest: fc.string({ unit: fc.constantFrom(...'0123456789ABCXYZ'), minLength: 2, maxLength: 13 }),
    })
    .map(({ prefix, rest }) => `${prefix}${rest}`),
);

const sla = fc.constantFrom('Basic', 'Standard', 'Professional', 'Premium');
const ticketChannel = fc.constantFrom('helpdesk', 'email', 'phone', 'other');
const serviceKind = fc.constantFrom(...SERVICE_KINDS);
const contractId = arbitraryId('c');
const ticketId = arbitraryId('t');
const workId = arbitraryId('w');
const alertId = arbitraryId('a');
const rateCardId = arbitraryId('rc');
const vmId = arbitraryId('vm');

/** Wrap the data of type `type` in an envelope with an event id, an instant and maybe `schemaVersion: 1`. */
const envelope = <T extends EventType>(
  type: T,
  data: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<WireEventOf<T>> =>
  fc
    .record({ id: arbitraryId('e'), occurredAt: arbitraryInstant, v1: fc.boolean(), data })
    .map(({ id, occurredAt, v1, data: d }) => ({
      id,
      type,
      occurredAt,
      ...(v1 ? { schemaVersion: 1 } : {}),
      data: d,
    }));

/** Valid events of every type, keyed by type. */
export const arbitraryEventOfType: { readonly [T in EventType]: fc.Arbitrary<WireEventOf<T>> } = {
  RateCardPublished: envelope(
    'RateCardPublished',
    fc.record({
      rateCardId,
      currency: fc.constantFrom('EUR', 'CHF', 'USD'),
      billingIncrementMinutes: fc.oneof(fc.constantFrom(1, 15, 30, 60), fc.integer({ min: 1, max: 60 })),
    }),
  ),
  HourlyRateSet: envelope(
    'HourlyRateSet',
    fc.record({ rateCardId, effectiveFrom: arbitraryInstant, hourlyRate: arbitraryMoney }),
  ),
  MSPBooked: envelope(
    'MSPBooked',
    fc.record(
      {
        contractId,
        customerId: arbitraryId('cust'),
        vmId,
        sla,
        rateCardId,
        timeZone: arbitraryTimeZone,
        vatRatePercent: arbitraryPercent,
      },
      { requiredKeys: ['contractId', 'customerId', 'vmId', 'sla', 'rateCardId'] },
    ),
  ),
  SlaChanged: envelope('SlaChanged', fc.record({ contractId, sla })),
  MSPCancelled: envelope('MSPCancelled', fc.record({ contractId, vmDecommissioned: fc.boolean() })),
  ProvisioningCompleted: envelope('ProvisioningCompleted', fc.record({ contractId })),
  AuthorizedRequesterNamed: envelope(
    'AuthorizedRequesterNamed',
    fc.record(
      { contractId, email: arbitraryEmail, name: fc.constantFrom('Anna Schmidt', 'M. Müller', 'IT lead') },
      { requiredKeys: ['contractId', 'email'] },
    ),
  ),
  AuthorizedRequesterRemoved: envelope(
    'AuthorizedRequesterRemoved',
    fc.record({ contractId, email: arbitraryEmail }),
  ),
  AlertingActivated: envelope(
    'AlertingActivated',
    fc.record({ contractId, channels: fc.subarray(['email', 'sms'], { minLength: 1 }) }),
  ),
  AlertingDeactivated: envelope('AlertingDeactivated', fc.record({ contractId })),
  BackupNasShareAttached: envelope(
    'BackupNasShareAttached',
    fc.record({ contractId, shareId: arbitraryId('nas') }),
  ),
  BackupNasShareDetached: envelope(
    'BackupNasShareDetached',
    fc.record({ contractId, shareId: arbitraryId('nas') }),
  ),
  MaintenanceWindowsAgreed: envelope(
    'MaintenanceWindowsAgreed',
    fc.record({
      contractId,
      windows: fc.array(
        fc.record({
          day: fc.constantFrom('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'),
          start: arbitraryWallTime,
          end: fc.oneof(arbitraryWallTime, fc.constant('24:00')),
        }),
        { maxLength: 5 },
      ),
    }),
  ),
  TicketOpened: envelope(
    'TicketOpened',
    fc.record(
      {
        ticketId,
        contractId,
        channel: ticketChannel,
        requester: arbitraryEmail,
        subject: arbitraryText,
        service: serviceKind,
        vmId,
      },
      { requiredKeys: ['ticketId', 'contractId', 'channel', 'requester', 'subject', 'service'] },
    ),
  ),
  TicketReclassified: envelope(
    'TicketReclassified',
    fc.record({ ticketId, service: serviceKind, reason: arbitraryText }),
  ),
  OrderConfirmed: envelope('OrderConfirmed', fc.record({ ticketId, confirmedBy: arbitraryEmail })),
  OrderDeclined: envelope('OrderDeclined', fc.record({ ticketId, declinedBy: arbitraryEmail })),
  UpdateRequested: envelope(
    'UpdateRequested',
    fc.record(
      {
        ticketId,
        contractId,
        channel: ticketChannel,
        requester: arbitraryEmail,
        software: fc.constantFrom('openssl', 'nginx 1.24', 'Debian 12 point release', 'postgresql-15'),
        scope: fc.constantFrom('os', 'preinstalled', 'customer-installed'),
        vendorSupported: fc.boolean(),
        vmId,
      },
      {
        requiredKeys: [
          'ticketId',
          'contractId',
          'channel',
          'requester',
          'software',
          'scope',
          'vendorSupported',
        ],
      },
    ),
  ),
  UpdateScheduled: envelope(
    'UpdateScheduled',
    fc.record({ ticketId, scheduledFor: arbitraryInstant, agreedWithCustomer: fc.boolean() }),
  ),
  UpdateApplied: envelope('UpdateApplied', fc.record({ ticketId })),
  UpdateFailed: envelope('UpdateFailed', fc.record({ ticketId, rolledBack: fc.boolean() })),
  AlertRaised: envelope(
    'AlertRaised',
    fc.record({ alertId, contractId, metric: fc.constantFrom('cpu-load', 'ram', 'filesystem', 'host-down') }),
  ),
  AlertAcknowledged: envelope('AlertAcknowledged', fc.record({ alertId, by: arbitraryEmail })),
  SafetyMeasureTaken: envelope(
    'SafetyMeasureTaken',
    fc.record(
      {
        ticketId,
        contractId,
        justification: fc.constantFrom('no-response', 'imminent-danger', 'customer-instructed'),
        alertId,
        description: arbitraryText,
      },
      { requiredKeys: ['ticketId', 'contractId', 'justification', 'description'] },
    ),
  ),
  VmRestartedByHa: envelope('VmRestartedByHa', fc.record({ contractId, vmId })),
  VmHeartbeatRestored: envelope('VmHeartbeatRestored', fc.record({ contractId, vmId })),
  WorkLogged: envelope(
    'WorkLogged',
    fc.record(
      {
        workId,
        ticketId,
        technician: fc.oneof(arbitraryId('tech'), fc.constantFrom('jdoe', 'a.schmidt')),
        startedAt: arbitraryInstant,
        minutes: arbitraryMinutes,
        service: serviceKind,
        description: arbitraryText,
      },
      { requiredKeys: ['workId', 'ticketId', 'technician', 'startedAt', 'minutes'] },
    ),
  ),
  WorkLogCorrected: envelope(
    'WorkLogCorrected',
    fc
      .record(
        {
          workId,
          reason: arbitraryText,
          startedAt: arbitraryInstant,
          minutes: arbitraryMinutes,
          service: serviceKind,
        },
        { requiredKeys: ['workId', 'reason'] },
      )
      // Spec §2: a correction names at least one of startedAt, minutes, service.
      .filter((d) => d.startedAt !== undefined || d.minutes !== undefined || d.service !== undefined),
  ),
  WorkLogVoided: envelope('WorkLogVoided', fc.record({ workId, reason: arbitraryText })),
  InvoiceIssued: envelope(
    'InvoiceIssued',
    fc.record({
      contractId,
      period: arbitraryPeriod,
      invoiceNumber: fc.nat({ max: 99_999 }).map((n) => `INV-${String(n).padStart(5, '0')}`),
    }),
  ),
  ProviderProfileSet: envelope(
    'ProviderProfileSet',
    fc.record(
      {
        name: arbitraryProfileText(300),
        street: arbitraryProfileText(),
        city: arbitraryProfileText(),
        postalCode: fc.oneof(fc.constantFrom('10115', '1010', 'SW1A 1AA'), arbitraryProfileText()),
        countryCode: arbitraryCountryCode,
        vatId: arbitraryVatId,
        taxNumber: fc.constantFrom('37/123/45678', '2893081508152'),
        registrationId: fc.constantFrom('HRB 12345 B', 'FN 123456a'),
        electronicAddress: arbitraryEmail,
        contactName: arbitraryProfileText(),
        contactPhone: fc.constantFrom('+49 30 1234567', '030 987654-0'),
        contactEmail: arbitraryEmail,
        iban: arbitraryIban,
        bic: fc.constantFrom('COBADEFFXXX', 'DEUTDEBB', 'GENODEF1S10'),
        paymentTermsDays: fc.oneof(fc.constantFrom(0, 14, 30, 365), fc.integer({ min: 0, max: 365 })),
      },
      {
        requiredKeys: [
          'name',
          'street',
          'city',
          'postalCode',
          'countryCode',
          'vatId',
          'electronicAddress',
          'contactName',
          'contactPhone',
          'contactEmail',
          'iban',
          'paymentTermsDays',
        ],
      },
    ),
  ),
  CustomerProfileSet: envelope(
    'CustomerProfileSet',
    fc.record(
      {
        customerId: arbitraryId('cust'),
        name: arbitraryProfileText(300),
        street: arbitraryProfileText(),
        city: arbitraryProfileText(),
        postalCode: fc.oneof(fc.constantFrom('10115', '80331'), arbitraryProfileText()),
        countryCode: arbitraryCountryCode,
        vatId: arbitraryVatId,
        electronicAddress: arbitraryEmail,
        buyerReference: fc.constantFrom('04011000-12345-34', 'PO-2026-17', 'Abteilung IT'),
        reverseCharge: fc.boolean(),
        debtorAccount: fc.oneof(fc.constantFrom(10000, 99999999), fc.integer({ min: 10000, max: 99999999 })),
      },
      {
        requiredKeys: [
          'customerId',
          'name',
          'street',
          'city',
          'postalCode',
          'countryCode',
          'electronicAddress',
        ],
      },
    ),
  ),
};

/** A valid event of any type. */
export const arbitraryEvent: fc.Arbitrary<WireEvent> = fc.oneof(
  ...Object.values<fc.Arbitrary<WireEvent>>(arbitraryEventOfType),
);
