/**
 * The v1 event catalog (spec §2), type by type: a valid example decodes to the expected values, and
 * every required field missing, every field mistyped and an unknown field are refused with the exact
 * path of the offending field. The fixtures are written out by hand from the spec's table, not
 * derived from the codecs, so that a codec drifting from the spec fails here.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, decodeEvent, type DecodeError, type DomainEvent } from '../src/index.js';
import { exampleCustomerProfile, exampleProviderProfile } from '../../testing/src/profiles.js';

interface Fixture {
  /** A valid `data` object with every field, optional ones included. */
  readonly data: Record<string, unknown>;
  readonly required: readonly string[];
  readonly optional?: readonly string[];
  /** Fields whose value is a closed list (refused with `expected one of …`). */
  readonly enums?: readonly string[];
  /** Fields that are RFC 3339 instants. */
  readonly instants?: readonly string[];
  /** Decoded values that differ from the wire (instants become epoch ms). */
  readonly decoded?: Record<string, unknown>;
}

const BERLIN_0900_ON_5_OCT_2026 = Date.UTC(2026, 9, 5, 7, 0, 0); // CEST is UTC+2

const fixtures: Record<string, Fixture> = {
  RateCardPublished: {
    data: { rateCardId: 'rc-1', currency: 'EUR', billingIncrementMinutes: 15 },
    required: ['rateCardId', 'currency', 'billingIncrementMinutes'],
  },
  HourlyRateSet: {
    data: { rateCardId: 'rc-1', effectiveFrom: '2026-01-01T00:00:00+01:00', hourlyRate: '97.50' },
    required: ['rateCardId', 'effectiveFrom', 'hourlyRate'],
    instants: ['effectiveFrom'],
    decoded: { effectiveFrom: Date.UTC(2025, 11, 31, 23, 0, 0) },
  },
  MSPBooked: {
    data: {
      contractId: 'c-1',
      customerId: 'cust-1',
      vmId: 'vm-1',
      sla: 'Professional',
      rateCardId: 'rc-1',
      timeZone: 'Europe/Vienna',
      vatRatePercent: '20',
    },
    required: ['contractId', 'customerId', 'vmId', 'sla', 'rateCardId'],
    optional: ['timeZone', 'vatRatePercent'],
    enums: ['sla'],
  },
  SlaChanged: {
    data: { contractId: 'c-1', sla: 'Premium' },
    required: ['contractId', 'sla'],
    enums: ['sla'],
  },
  MSPCancelled: {
    data: { contractId: 'c-1', vmDecommissioned: true },
    required: ['contractId', 'vmDecommissioned'],
  },
  ProvisioningCompleted: { data: { contractId: 'c-1' }, required: ['contractId'] },
  AuthorizedRequesterNamed: {
    data: { contractId: 'c-1', email: 'IT-Lead@Example.com', name: 'Anna Schmidt' },
    required: ['contractId', 'email'],
    optional: ['name'],
  },
  AuthorizedRequesterRemoved: {
    data: { contractId: 'c-1', email: 'it-lead@example.com' },
    required: ['contractId', 'email'],
  },
  AlertingActivated: {
    data: { contractId: 'c-1', channels: ['email', 'sms'] },
    required: ['contractId', 'channels'],
  },
  AlertingDeactivated: { data: { contractId: 'c-1' }, required: ['contractId'] },
  BackupNasShareAttached: {
    data: { contractId: 'c-1', shareId: 'nas-1' },
    required: ['contractId', 'shareId'],
  },
  BackupNasShareDetached: {
    data: { contractId: 'c-1', shareId: 'nas-1' },
    required: ['contractId', 'shareId'],
  },
  MaintenanceWindowsAgreed: {
    data: { contractId: 'c-1', windows: [{ day: 'TUE', start: '22:00', end: '02:00' }] },
    required: ['contractId', 'windows'],
  },
  TicketOpened: {
    data: {
      ticketId: 't-1',
      contractId: 'c-1',
      channel: 'helpdesk',
      requester: 'it-lead@example.com',
      subject: 'Disk almost full on /var',
      service: 'support-request',
      vmId: 'vm-1',
    },
    required: ['ticketId', 'contractId', 'channel', 'requester', 'subject', 'service'],
    optional: ['vmId'],
    enums: ['channel', 'service'],
  },
  TicketReclassified: {
    data: { ticketId: 't-1', service: 'change-request', reason: 'is a configuration change' },
    required: ['ticketId', 'service', 'reason'],
    enums: ['service'],
  },
  OrderConfirmed: {
    data: { ticketId: 't-1', confirmedBy: 'it-lead@example.com' },
    required: ['ticketId', 'confirmedBy'],
  },
  OrderDeclined: {
    data: { ticketId: 't-1', declinedBy: 'it-lead@example.com' },
    required: ['ticketId', 'declinedBy'],
  },
  UpdateRequested: {
    data: {
      ticketId: 't-2',
      contractId: 'c-1',
      channel: 'email',
      requester: 'ops@example.com',
      software: 'openssl',
      scope: 'os',
      vendorSupported: true,
      vmId: 'vm-1',
    },
    required: ['ticketId', 'contractId', 'channel', 'requester', 'software', 'scope', 'vendorSupported'],
    optional: ['vmId'],
    enums: ['channel', 'scope'],
  },
  UpdateScheduled: {
    data: { ticketId: 't-2', scheduledFor: '2026-10-07T22:30:00+02:00', agreedWithCustomer: false },
    required: ['ticketId', 'scheduledFor', 'agreedWithCustomer'],
    instants: ['scheduledFor'],
    decoded: { scheduledFor: Date.UTC(2026, 9, 7, 20, 30, 0) },
  },
  UpdateApplied: { data: { ticketId: 't-2' }, required: ['ticketId'] },
  UpdateFailed: { data: { ticketId: 't-2', rolledBack: true }, required: ['ticketId', 'rolledBack'] },
  AlertRaised: {
    data: { alertId: 'a-1', contractId: 'c-1', metric: 'filesystem' },
    required: ['alertId', 'contractId', 'metric'],
    enums: ['metric'],
  },
  AlertAcknowledged: {
    data: { alertId: 'a-1', by: 'it-lead@example.com' },
    required: ['alertId', 'by'],
  },
  SafetyMeasureTaken: {
    data: {
      ticketId: 't-3',
      contractId: 'c-1',
      justification: 'no-response',
      alertId: 'a-1',
      description: 'Rotated logs: disk was 100 % full',
    },
    required: ['ticketId', 'contractId', 'justification', 'description'],
    optional: ['alertId'],
    enums: ['justification'],
  },
  VmRestartedByHa: { data: { contractId: 'c-1', vmId: 'vm-1' }, required: ['contractId', 'vmId'] },
  VmHeartbeatRestored: { data: { contractId: 'c-1', vmId: 'vm-1' }, required: ['contractId', 'vmId'] },
  WorkLogged: {
    data: {
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'tech-1',
      startedAt: '2026-10-05T09:00:00+02:00',
      minutes: 50,
      service: 'change-request',
      description: 'nginx rewrite rules',
    },
    required: ['workId', 'ticketId', 'technician', 'startedAt', 'minutes'],
    optional: ['service', 'description'],
    enums: ['service'],
    instants: ['startedAt'],
    decoded: { startedAt: BERLIN_0900_ON_5_OCT_2026 },
  },
  WorkLogCorrected: {
    data: {
      workId: 'w-1',
      reason: 'typo in minutes',
      startedAt: '2026-10-05T07:00:00Z',
      minutes: 45,
      service: 'incident',
    },
    required: ['workId', 'reason'],
    optional: ['startedAt', 'minutes', 'service'],
    enums: ['service'],
    instants: ['startedAt'],
    decoded: { startedAt: BERLIN_0900_ON_5_OCT_2026 },
  },
  WorkLogVoided: { data: { workId: 'w-1', reason: 'logged twice' }, required: ['workId', 'reason'] },
  InvoiceIssued: {
    data: { contractId: 'c-1', period: '2026-10', invoiceNumber: 'INV-2026-0001' },
    required: ['contractId', 'period', 'invoiceNumber'],
  },
  ProviderProfileSet: {
    data: exampleProviderProfile(),
    required: [
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
    optional: ['taxNumber', 'registrationId', 'bic'],
  },
  CustomerProfileSet: {
    data: {
      ...exampleCustomerProfile(),
      vatId: 'DE987654321',
      buyerReference: '04011000-12345-34',
      reverseCharge: true,
      debtorAccount: 10001,
    },
    required: ['customerId', 'name', 'street', 'city', 'postalCode', 'countryCode', 'electronicAddress'],
    optional: ['vatId', 'buyerReference', 'reverseCharge', 'debtorAccount'],
  },
};

const envelope = (type: string, data: unknown): Record<string, unknown> => ({
  id: 'e-17',
  type,
  occurredAt: '2026-10-05T09:00:00+02:00',
  data,
});

const ok = (u: unknown): DomainEvent => {
  const r = decodeEvent(u);
  if (r._tag === 'Left') throw new Error(`expected a valid event, got: ${r.left.message}`);
  return r.right;
};

const refused = (u: unknown): DecodeError => {
  const r = decodeEvent(u);
  if (r._tag === 'Right') throw new Error(`expected a refusal, got ${JSON.stringify(r.right)}`);
  return r.left;
};

const without = (o: Record<string, unknown>, k: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

/** A value of the wrong JSON type for a field holding `v`. */
const mistype = (v: unknown): unknown =>
  typeof v === 'string' ? 42 : typeof v === 'number' ? '15' : typeof v === 'boolean' ? 'yes' : 'email';

/** The reason a mistyped value of field `f` must be refused with. */
const mistypedReason = (fx: Fixture, f: string, v: unknown): RegExp => {
  if (fx.instants?.includes(f)) return /^expected an RFC 3339 timestamp string \(got 42\)$/;
  if (fx.enums?.includes(f)) return /^expected one of [a-z-]+(, [A-Za-z-]+)+ \(got 42\)$/i;
  if (typeof v === 'string') return /^expected a string \(got 42\)$/;
  if (typeof v === 'number') return /^expected an integer \d+\.\.\d+ \(got "15"\)$/;
  if (typeof v === 'boolean') return /^expected true or false \(got "yes"\)$/;
  return /^expected a JSON array \(got "email"\)$/;
};

describe('the catalog', () => {
  it('has exactly the 32 event types of spec §2 and §8, and a fixture here for each', () => {
    expect(EVENT_TYPES).toHaveLength(32);
    expect(EVENT_TYPES.toSorted()).toEqual(Object.keys(fixtures).toSorted());
  });
});

describe.each(Object.entries(fixtures))('%s', (type, fx) => {
  it('decodes a valid example to the expected values', () => {
    const e = ok(envelope(type, fx.data));
    expect(e.id).toBe('e-17');
    expect(e.type).toBe(type);
    expect(e.occurredAt).toBe(BERLIN_0900_ON_5_OCT_2026);
    expect(e.data).toEqual({ ...fx.data, ...fx.decoded });
  });

  it('declares every field of the example as required or optional', () => {
    expect([...fx.required, ...(fx.optional ?? [])].toSorted()).toEqual(Object.keys(fx.data).toSorted());
  });

  it.each(fx.required.map((f) => [f]))('refuses the event without %s', (f) => {
    const err = refused(envelope(type, without(fx.data, f)));
    expect(err.path).toBe(`data.${f}`);
    expect(err.message).toBe(`data.${f}: required field is missing`);
    expect(err.eventId).toBe('e-17');
  });

  it.each(Object.keys(fx.data).map((f) => [f]))('refuses a mistyped %s', (f) => {
    const v = fx.data[f];
    const err = refused(envelope(type, { ...fx.data, [f]: mistype(v) }));
    expect(err.path).toBe(`data.${f}`);
    expect(err.message.startsWith(`data.${f}: `)).toBe(true);
    expect(err.reason).toMatch(mistypedReason(fx, f, v));
  });

  it('refuses an unknown field (a typo of a real one)', () => {
    const first = fx.required[0] as string;
    const typo = `${first}_`;
    const err = refused(envelope(type, { ...fx.data, [typo]: fx.data[first] }));
    expect(err.message).toBe(`data.${typo}: unknown field`);
  });

  it('refuses data that is not an object', () => {
    for (const bad of [null, [], 'x', 1]) {
      const err = refused(envelope(type, bad));
      expect(err.path).toBe('data');
      expect(err.reason.startsWith('expected a JSON object')).toBe(true);
    }
  });
});

const withOptionalFields = Object.entries(fixtures).filter(([, fx]) => (fx.optional ?? []).length > 0);
const MSP_DEFAULTS = { timeZone: 'Europe/Berlin', vatRatePercent: '19' };

describe.each(withOptionalFields)('%s without its optional fields', (type, fx) => {
  it('decodes, leaving them out (or at their defaults)', () => {
    // WorkLogCorrected must keep one of its optional fields (spec §2): keep the last one.
    const all = fx.optional ?? [];
    const drop = type === 'WorkLogCorrected' ? all.slice(0, -1) : all;
    const data = Object.fromEntries(Object.entries(fx.data).filter(([k]) => !drop.includes(k)));
    const decodedKept = Object.fromEntries(
      Object.entries(fx.decoded ?? {}).filter(([k]) => !drop.includes(k)),
    );
    const defaults =
      type === 'MSPBooked' ? MSP_DEFAULTS : type === 'CustomerProfileSet' ? { reverseCharge: false } : {};
    expect(ok(envelope(type, data)).data).toEqual({ ...data, ...decodedKept, ...defaults });
  });
});

describe('defaults and value rules', () => {
  it('MSPBooked defaults to Europe/Berlin and 19 % VAT', () => {
    const e = ok(
      envelope('MSPBooked', {
        contractId: 'c-1',
        customerId: 'cust-1',
        vmId: 'vm-1',
        sla: 'Basic',
        rateCardId: 'rc-1',
      }),
    );
    expect(e.type).toBe('MSPBooked');
    if (e.type !== 'MSPBooked') return;
    expect(e.data.timeZone).toBe('Europe/Berlin');
    expect(e.data.vatRatePercent).toBe('19');
  });

  it('WorkLogCorrected must correct something (spec §2)', () => {
    const err = refused(envelope('WorkLogCorrected', { workId: 'w-1', reason: 'nothing' }));
    expect(err.path).toBe('data');
    expect(err.reason).toContain('at least one of startedAt, minutes, service');
  });

  const refusedValues: ReadonlyArray<readonly [string, string, unknown, string | RegExp]> = [
    ['WorkLogged', 'minutes', 0, 'expected an integer 1..1440 (got 0)'],
    ['WorkLogged', 'minutes', 1441, 'expected an integer 1..1440 (got 1441)'],
    ['WorkLogged', 'minutes', 1.5, 'expected an integer 1..1440 (got 1.5)'],
    [
      'WorkLogged',
      'service',
      'gardening',
      /^expected one of os-setup, .*, source-build \(got "gardening"\)$/,
    ],
    ['RateCardPublished', 'billingIncrementMinutes', 61, 'expected an integer 1..60 (got 61)'],
    ['RateCardPublished', 'currency', 'eur', 'expected an ISO 4217 currency code like "EUR" (got "eur")'],
    [
      'HourlyRateSet',
      'hourlyRate',
      '-1',
      'expected a decimal string ≥ 0 with at most 4 fraction digits, like "97.50" (got "-1")',
    ],
    ['HourlyRateSet', 'hourlyRate', '1.23456', 'at most 4 fraction digits'],
    ['HourlyRateSet', 'hourlyRate', '97,50', 'at most 4 fraction digits'],
    ['HourlyRateSet', 'hourlyRate', 97.5, 'expected a string (got 97.5)'],
    ['HourlyRateSet', 'effectiveFrom', '2026-10-05T09:00:00', /^timestamp has no offset/],
    ['MSPBooked', 'vatRatePercent', '101', 'percentage is above 100 (got "101")'],
    ['MSPBooked', 'timeZone', 'Mars/Olympus', 'unknown IANA time zone "Mars/Olympus" (got "Mars/Olympus")'],
    ['MSPBooked', 'sla', 'Gold', 'expected one of Basic, Standard, Professional, Premium (got "Gold")'],
    ['MSPBooked', 'contractId', '', 'expected a non-empty id (got "")'],
    [
      'AuthorizedRequesterNamed',
      'email',
      'not-an-email',
      'expected an e-mail address like it-lead@example.com (got "not-an-email")',
    ],
    ['AlertingActivated', 'channels', [], 'expected a non-empty array (got an array)'],
    ['InvoiceIssued', 'period', '2026-13', 'expected a period YYYY-MM, like 2026-10 (got "2026-13")'],
    // Spec §8: the profiles.
    [
      'ProviderProfileSet',
      'iban',
      'DE88370400440532013000',
      'IBAN check digits are wrong (ISO 13616 mod 97) (got "DE88370400440532013000")',
    ],
    ['ProviderProfileSet', 'iban', 'DE89370400440532013001', /^IBAN check digits are wrong/],
    ['ProviderProfileSet', 'iban', 'DE89 3704 0044 0532 0130 00', /^expected an IBAN without spaces/],
    ['ProviderProfileSet', 'iban', 'de89370400440532013000', /^expected an IBAN without spaces/],
    ['ProviderProfileSet', 'iban', 'DE8937', /^expected an IBAN without spaces/],
    ['ProviderProfileSet', 'countryCode', 'de', /^expected an ISO 3166-1 country code/],
    ['ProviderProfileSet', 'countryCode', 'DEU', /^expected an ISO 3166-1 country code/],
    ['ProviderProfileSet', 'countryCode', 'QQ', /^expected an ISO 3166-1 country code/],
    ['ProviderProfileSet', 'vatId', 'QQ123456789', /^expected a VAT id/],
    ['ProviderProfileSet', 'vatId', '123456789', /^expected a VAT id/],
    ['ProviderProfileSet', 'vatId', 'DE1', /^expected a VAT id/],
    ['ProviderProfileSet', 'vatId', 'DE12345678901234', /^expected a VAT id/],
    ['ProviderProfileSet', 'vatId', 'DE 123456789', /^expected a VAT id/],
    ['ProviderProfileSet', 'bic', 'COBADE', /^expected a BIC/],
    ['ProviderProfileSet', 'paymentTermsDays', 366, 'expected an integer 0..365 (got 366)'],
    ['ProviderProfileSet', 'paymentTermsDays', -1, 'expected an integer 0..365 (got -1)'],
    ['ProviderProfileSet', 'name', '', 'expected a non-empty text (got "")'],
    ['ProviderProfileSet', 'name', '   ', 'expected a non-empty text (got "   ")'],
    [
      'ProviderProfileSet',
      'name',
      ' Hosting GmbH',
      'text starts or ends with whitespace (got " Hosting GmbH")',
    ],
    ['ProviderProfileSet', 'name', 'x'.repeat(301), /^text is longer than 300 characters/],
    ['ProviderProfileSet', 'street', 'x'.repeat(201), /^text is longer than 200 characters/],
    ['ProviderProfileSet', 'city', 'Berlin\nMitte', /^text contains a control character/],
    ['ProviderProfileSet', 'city', 'Berlin\u0000', /^text contains a control character/],
    [
      'ProviderProfileSet',
      'city',
      'Berlin \ud83d',
      /^text contains a control character or an unpaired surrogate/,
    ],
    ['ProviderProfileSet', 'contactEmail', 'buchhaltung', /^expected an e-mail address/],
    ['CustomerProfileSet', 'debtorAccount', 9999, 'expected an integer 10000..99999999 (got 9999)'],
    [
      'CustomerProfileSet',
      'debtorAccount',
      100_000_000,
      'expected an integer 10000..99999999 (got 100000000)',
    ],
    ['CustomerProfileSet', 'customerId', '', 'expected a non-empty id (got "")'],
    ['CustomerProfileSet', 'buyerReference', 'Abteilung IT\t', /^text starts or ends with whitespace/],
  ];
  it.each(refusedValues)('%s refuses %s = %j', (type, field, value, reason) => {
    const err = refused(envelope(type, { ...(fixtures[type] as Fixture).data, [field]: value }));
    expect(err.path).toBe(`data.${field}`);
    expect(err.reason).toMatch(reason);
  });

  it('names the index of a bad item in a list', () => {
    const err = refused(
      envelope('MaintenanceWindowsAgreed', {
        contractId: 'c-1',
        windows: [
          { day: 'TUE', start: '22:00', end: '02:00' },
          { day: 'THU', start: '24:30', end: '02:00' },
        ],
      }),
    );
    expect(err.path).toBe('data.windows[1].start');
    const extra = refused(
      envelope('MaintenanceWindowsAgreed', {
        contractId: 'c-1',
        windows: [{ day: 'TUE', start: '22:00', end: '02:00', until: '03:00' }],
      }),
    );
    expect(extra.message).toBe('data.windows[0].until: unknown field');
    const channel = refused(envelope('AlertingActivated', { contractId: 'c-1', channels: ['email', 'fax'] }));
    expect(channel.message).toBe('data.channels[1]: expected one of email, sms (got "fax")');
  });

  it('keeps an odd unknown key on one short line', () => {
    const key = `a\nb${'x'.repeat(1000)}`;
    const err = refused(envelope('ProvisioningCompleted', { contractId: 'c-1', [key]: 1 }));
    expect(err.message).not.toContain('\n');
    expect(err.message.length).toBeLessThan(100);
    expect(err.message.endsWith(': unknown field')).toBe(true);
    const numeric = refused(envelope('ProvisioningCompleted', { contractId: 'c-1', '0': 1 }));
    expect(numeric.message).toBe('data["0"]: unknown field');
  });

  it('lists every problem on one line, each with its path', () => {
    const err = refused(envelope('WorkLogged', { workId: 'w-1' }));
    expect(err.message).toBe(
      'data.ticketId: required field is missing; data.technician: required field is missing; ' +
        'data.startedAt: required field is missing; data.minutes: required field is missing',
    );
    expect([err.path, err.reason]).toEqual(['data.ticketId', 'required field is missing']);
  });

  it('lists envelope and data problems together', () => {
    const err = refused({
      id: 'e-1',
      type: 'WorkLogged',
      occurredAt: 'soon',
      colour: 1,
      data: { workId: '' },
    });
    expect(err.message).toBe(
      'colour: unknown field; occurredAt: expected an RFC 3339 timestamp with offset, like ' +
        '2026-10-05T09:00:00+02:00 (got "soon"); data.workId: expected a non-empty id (got ""); ' +
        'data.ticketId: required field is missing; data.technician: required field is missing; ' +
        'data.startedAt: required field is missing; data.minutes: required field is missing',
    );
  });

  it('spells out the first 10 problems and counts the rest', () => {
    const windows = Array.from({ length: 12 }, (_, i) => ({ day: 'MON', start: '01:00', end: `9${i}:00` }));
    const err = refused(envelope('MaintenanceWindowsAgreed', { contractId: 'c-1', windows }));
    const problems = err.message.split('; ');
    expect(problems).toHaveLength(10);
    expect(problems[0]).toBe('data.windows[0].end: expected a time HH:MM, like 22:00 (got "90:00")');
    expect(problems[9]).toBe(
      'data.windows[9].end: expected a time HH:MM, like 22:00 (got "99:00") (and 2 more)',
    );
  });
});

describe('profile texts and values (spec §8)', () => {
  const provider = (fixtures['ProviderProfileSet'] as Fixture).data;
  it('keeps the widest valid values exactly', () => {
    const name = `${'Ä'.repeat(298)}&<`;
    const e = ok(
      envelope('ProviderProfileSet', {
        ...provider,
        name,
        street: 'x'.repeat(200),
        city: 'Zürich 🚀 "Altstadt" <O\'Neil>',
        paymentTermsDays: 0,
        iban: 'GB82WEST12345698765432',
        bic: 'DEUTDEBB',
      }),
    );
    expect(e.data).toMatchObject({ name, city: 'Zürich 🚀 "Altstadt" <O\'Neil>', paymentTermsDays: 0 });
    const days = ok(envelope('ProviderProfileSet', { ...provider, paymentTermsDays: 365 }));
    expect(days.data).toMatchObject({ paymentTermsDays: 365 });
  });

  it('takes IBANs of several countries with their published check digits', () => {
    // Examples of the IBAN registry (SWIFT): each one's check digits are right, and any other two are wrong.
    for (const iban of [
      'DE89370400440532013000',
      'AT611904300234573201',
      'NL91ABNA0417164300',
      'FR1420041010050500013M02606',
      'GB29NWBK60161331926819',
    ]) {
      expect(ok(envelope('ProviderProfileSet', { ...provider, iban })).data).toMatchObject({ iban });
      const digits = Number(iban.slice(2, 4));
      const other = `${iban.slice(0, 2)}${String((digits + 1) % 100).padStart(2, '0')}${iban.slice(4)}`;
      expect(refused(envelope('ProviderProfileSet', { ...provider, iban: other })).reason).toMatch(
        /^IBAN check digits are wrong/,
      );
    }
  });

  it('takes a Greek VAT id with the prefix EL, and Northern Ireland as XI', () => {
    const e = ok(envelope('ProviderProfileSet', { ...provider, vatId: 'EL123456789', countryCode: 'XI' }));
    expect(e.data).toMatchObject({ vatId: 'EL123456789', countryCode: 'XI' });
  });

  it('takes debtor accounts at both ends of 10000..99999999', () => {
    const customer = (fixtures['CustomerProfileSet'] as Fixture).data;
    for (const debtorAccount of [10_000, 99_999_999])
      expect(ok(envelope('CustomerProfileSet', { ...customer, debtorAccount })).data).toMatchObject({
        debtorAccount,
      });
  });
});

describe('AlertingActivated channels', () => {
  it('refuses a channel listed twice: the channels are a subset of email and sms', () => {
    const r = decodeEvent({
      id: 'e-1',
      type: 'AlertingActivated',
      occurredAt: '2026-09-01T10:00:00+02:00',
      data: { contractId: 'c-1', channels: ['sms', 'sms'] },
    });
    expect(r._tag === 'Left' ? r.left.message : 'decoded').toBe(
      'data.channels: expected no item twice (got an array)',
    );
  });
});
