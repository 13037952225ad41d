/**
 * The event envelope (spec §2): `id`, `type`, `occurredAt`, optional `schemaVersion`, `data`. Each
 * rule refused with the path of the envelope field, and the timestamp rules (RFC 3339 with an
 * explicit offset) checked against instants worked out by hand.
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import {
  InstantC,
  Minutes,
  ServiceKind,
  TicketId,
  WorkId,
  decodeEvent,
  encodeEvent,
  canonicalEvent,
  fieldRefusal,
  type DecodeError,
  type DomainEvent,
} from '../src/internal.js';

const valid = {
  id: 'e-1',
  type: 'ProvisioningCompleted',
  occurredAt: '2026-10-05T09:00:00+02:00',
  data: { contractId: 'c-1' },
} as const;

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

const without = (k: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k));

describe('envelope', () => {
  it.each(['id', 'type', 'occurredAt', 'data'])('refuses an event without %s', (k) => {
    const err = refused(without(k));
    expect(err._tag).toBe('DecodeError');
    expect(err.path).toBe(k);
    expect(err.message).toBe(`${k}: required field is missing`);
  });

  it('refuses an unknown type, naming it', () => {
    expect(refused({ ...valid, type: 'WorkLoged' }).message).toBe('type: unknown event type "WorkLoged"');
    expect(refused({ ...valid, type: 7 }).message).toBe('type: expected a string (got 7)');
    // Inherited names of a plain object are not event types.
    expect(refused({ ...valid, type: 'constructor' }).path).toBe('type');
    expect(refused({ ...valid, type: '__proto__' }).path).toBe('type');
  });

  it('refuses an unknown envelope field (a typo)', () => {
    const err = refused({ ...valid, Data: {} });
    expect(err.message).toBe('Data: unknown field');
    expect(err.eventId).toBe('e-1');
  });

  it('refuses what is not an object', () => {
    for (const u of [null, [], 'e-1', 42, true]) {
      const err = refused(u);
      expect(err.path).toBe('');
      expect(err.message.startsWith('expected an event object')).toBe(true);
    }
  });

  it('refuses a timestamp without an offset, and says so', () => {
    const err = refused({ ...valid, occurredAt: '2026-10-05T09:00:00' });
    expect(err.path).toBe('occurredAt');
    expect(err.reason).toBe('timestamp has no offset (add Z or ±hh:mm) (got "2026-10-05T09:00:00")');
    expect(refused({ ...valid, occurredAt: '2026-10-05 09:00' }).reason).toContain('has no offset');
  });

  it.each([
    ['2026-10-05', 'a date alone'],
    ['2026-02-30T09:00:00Z', 'a day that does not exist'],
    ['2026-10-05T24:00:00Z', 'hour 24'],
    ['2026-10-05T09:60:00Z', 'minute 60'],
    ['2016-12-31T23:59:60Z', 'a leap second'],
    ['2026-10-05T09:00:00+24:00', 'an offset out of range'],
    ['2026-10-05T09:00:00+0200', 'an offset without colon'],
    ['1969-12-31T23:59:59Z', 'before 1970'],
    [1791183600000, 'a number'],
  ])('refuses occurredAt %j (%s)', (occurredAt: string | number, _why: string) => {
    expect(refused({ ...valid, occurredAt }).path).toBe('occurredAt');
  });

  it.each([
    ['2026-10-05T09:00:00+02:00', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05T07:00:00Z', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05t07:00:00z', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05T07:00:00+00:00', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05T02:00:00-05:00', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05T12:45:00+05:45', Date.UTC(2026, 9, 5, 7, 0, 0)],
    ['2026-10-05T07:00:00.123456789Z', Date.UTC(2026, 9, 5, 7, 0, 0, 123)],
    ['2026-10-25T02:30:00+02:00', Date.UTC(2026, 9, 25, 0, 30, 0)],
    ['2026-10-25T02:30:00+01:00', Date.UTC(2026, 9, 25, 1, 30, 0)],
    ['2028-02-29T00:00:00+14:00', Date.UTC(2028, 1, 28, 10, 0, 0)],
  ])('reads occurredAt %s as the right instant', (occurredAt, ms) => {
    expect(ok({ ...valid, occurredAt }).occurredAt).toBe(ms);
  });

  it('accepts schemaVersion 1 and refuses bad ones', () => {
    expect(ok({ ...valid, schemaVersion: 1 }).id).toBe('e-1');
    for (const schemaVersion of [0, -1, 1.5, '1', null, true]) {
      const err = refused({ ...valid, schemaVersion });
      expect(err.path).toBe('schemaVersion');
      expect(err.reason.startsWith('expected an integer ≥ 1')).toBe(true);
    }
    const newer = refused({ ...valid, schemaVersion: 2 });
    expect(newer.message).toBe(
      'schemaVersion: version 2 of ProvisioningCompleted is newer than this engine reads (1)',
    );
  });

  it('accepts ids up to 200 characters and refuses longer or empty ones', () => {
    expect(ok({ ...valid, id: 'x'.repeat(200) }).id).toHaveLength(200);
    const long = refused({ ...valid, id: 'x'.repeat(201) });
    expect(long.path).toBe('id');
    expect(long.reason.startsWith('id is longer than 200 characters')).toBe(true);
    expect(long.message.length).toBeLessThan(120);
    expect(refused({ ...valid, id: '' }).message).toBe('id: expected a non-empty id (got "")');
    expect(refused({ ...valid, id: 17 }).message).toBe('id: expected a string (got 17)');
  });

  it('carries the event id in errors once it is readable', () => {
    expect(refused({ ...valid, occurredAt: 'now' }).eventId).toBe('e-1');
    expect(refused({ ...valid, id: '' }).eventId).toBeUndefined();
  });
});

describe('encoding', () => {
  it('writes instants in UTC and defaults out, and decodes back to the same event', () => {
    const e = ok({
      id: 'e-2',
      type: 'MSPBooked',
      occurredAt: '2026-10-01T00:00:00+02:00',
      data: { contractId: 'c-1', customerId: 'cust-1', vmId: 'vm-1', sla: 'Basic', rateCardId: 'rc-1' },
    });
    const wire = encodeEvent(e);
    expect(wire).toEqual({
      id: 'e-2',
      type: 'MSPBooked',
      occurredAt: '2026-09-30T22:00:00.000Z',
      data: {
        contractId: 'c-1',
        customerId: 'cust-1',
        vmId: 'vm-1',
        sla: 'Basic',
        rateCardId: 'rc-1',
        timeZone: 'Europe/Berlin',
        vatRatePercent: '19',
      },
    });
    expect(ok(wire)).toEqual(e);
  });

  it('gives the same canonical text whatever the key order, offset or spelled-out defaults', () => {
    const a = ok({
      id: 'e-3',
      type: 'MSPBooked',
      occurredAt: '2026-10-01T00:00:00+02:00',
      data: { contractId: 'c-1', customerId: 'cust-1', vmId: 'vm-1', sla: 'Basic', rateCardId: 'rc-1' },
    });
    const b = ok({
      data: {
        vatRatePercent: '19',
        rateCardId: 'rc-1',
        sla: 'Basic',
        vmId: 'vm-1',
        customerId: 'cust-1',
        contractId: 'c-1',
        timeZone: 'Europe/Berlin',
      },
      schemaVersion: 1,
      occurredAt: '2026-09-30T22:00:00Z',
      type: 'MSPBooked',
      id: 'e-3',
    });
    expect(canonicalEvent(a)).toBe(canonicalEvent(b));
    const c = ok({ ...encodeEvent(a), occurredAt: '2026-09-30T22:00:01Z' });
    expect(canonicalEvent(c)).not.toBe(canonicalEvent(a));
  });
});

describe('fieldRefusal', () => {
  const work = (data: Record<string, unknown>) => ({
    id: 'e-w',
    type: 'WorkLogged',
    occurredAt: '2026-10-05T09:00:00Z',
    data: {
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'x',
      startedAt: '2026-10-05T09:00:00Z',
      minutes: 30,
      ...data,
    },
  });

  it.each([
    ['data.minutes', Minutes, { minutes: 2000 }, 2000],
    ['data.minutes', Minutes, { minutes: 1.5 }, 1.5],
    ['data.service', ServiceKind, { service: 'telepathy' }, 'telepathy'],
  ] as const)('says of %s (case %#) what the decoder says of the event', (path, codec, data, value) => {
    expect(fieldRefusal(path, codec, value)).toBe(refused(work(data)).message);
  });

  it('refuses exactly the values io-ts refuses, whatever the value (fast path or not)', () => {
    const codecs: readonly (readonly [string, t.Mixed])[] = [
      ['data.minutes', Minutes],
      ['data.service', ServiceKind],
      ['occurredAt', InstantC],
      ['data.workId', WorkId],
      ['data.ticketId', TicketId],
    ];
    const values = fc.oneof(
      fc.integer({ min: -5, max: 1500 }),
      fc.double(),
      fc.constantFrom('incident', 'change', 'telepathy', '', '2026-10-05T09:00:00Z', '2026-02-30T09:00:00Z'),
      fc.string(),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...codecs), values, ([path, codec], value) => {
        const refusal = fieldRefusal(path, codec, value);
        expect(refusal === undefined).toBe(E.isRight(codec.decode(value)));
        expect(refusal === undefined || refusal.startsWith(`${path}: `)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('says nothing of a value the codec takes', () => {
    expect(ok(work({ minutes: 1440, service: 'incident' }))).toBeDefined();
    expect([
      fieldRefusal('data.minutes', Minutes, 1440),
      fieldRefusal('data.service', ServiceKind, 'incident'),
    ]).toEqual([undefined, undefined]);
  });
});
