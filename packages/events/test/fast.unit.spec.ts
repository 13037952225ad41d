/**
 * The fast decoding path (src/fast.ts) against its reference, the io-ts decoder (`fastPath: false`):
 * on events near validity — valid events with a field changed, removed or added, keys reordered,
 * timestamps and amounts at the edges — both give the same Left (so the same message) or the same
 * Right value, with object keys in the same order. Unit tests pin the cases where a shortcut would
 * most easily go wrong: keys out of catalog order, fields that are not own or not enumerable, array
 * holes, float rounding of fractions, calendar edges, custom catalogs and upcasting.
 */
import * as fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  InstantC,
  Minutes,
  TicketId,
  WorkId,
  closed,
  createDecoder,
  decodeEvent,
  eventDataCodecs,
  optional,
  type DecodeError,
  type DomainEvent,
} from '../src/index.js';
import { NOT_FAST, fastDecoderOf } from '../src/fast.js';
import * as P from '../src/internal.js';
import { parseInstant } from '../src/primitives.js';
import { arbitraryEvent, arbitraryInstant } from '../../testing/src/events.js';
import { referenceInstant } from './support/instantReference.js';
import { reverseKeys } from './support/streams.js';

const RUNS = 3000;

const reference = createDecoder({ fastPath: false });

/** Decode `u` both ways and require the same outcome; returns whether it was valid. */
const agree = (u: unknown, fast = decodeEvent, slow = reference): boolean => {
  const a = fast(u);
  const b = slow(u);
  expect(a).toStrictEqual(b);
  if (a._tag === 'Right' && b._tag === 'Right') expect(JSON.stringify(a.right)).toBe(JSON.stringify(b.right));
  return a._tag === 'Right';
};

/** The JSON round trip of `u` (what the reader's JSON.parse hands the decoder). */
const json = <A>(u: A): A => JSON.parse(JSON.stringify(u)) as A;

// ---------------------------------------------------------------------------------------------
// Generators of values near validity

const CHARS = [...'0123456789', 'Z', 'z', 'T', 't', ' ', '+', '-', ':', '.', '@', '/', '_', 'é', '\u0000'];

/** A small edit of a string: one character replaced, inserted or removed, a cut, a case change. */
const editedString = (s: string): fc.Arbitrary<string> =>
  fc
    .record({
      op: fc.constantFrom('replace', 'insert', 'delete', 'cut', 'upper', 'lower', 'pad', 'repeat'),
      at: fc.nat({ max: Math.max(s.length, 1) }),
      ch: fc.constantFrom(...CHARS),
    })
    .map(({ op, at, ch }) => {
      const p = Math.min(at, s.length);
      switch (op) {
        case 'replace':
          return s.slice(0, p) + ch + s.slice(p + 1);
        case 'insert':
          return s.slice(0, p) + ch + s.slice(p);
        case 'delete':
          return s.slice(0, p) + s.slice(p + 1);
        case 'cut':
          return s.slice(0, p);
        case 'upper':
          return s.toUpperCase();
        case 'lower':
          return s.toLowerCase();
        case 'pad':
          return ` ${s}`;
        default:
          return s.repeat(40);
      }
    });

/** Strings at the limits of the catalog's value types. */
const edgeString = fc.constantFrom(
  '',
  ' ',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(10_000),
  'x'.repeat(10_001),
  '100',
  '100.0',
  '100.0001',
  '99.9999',
  '1.12345',
  '0',
  '00',
  '9'.repeat(30),
  '9'.repeat(31),
  '24:00',
  '23:60',
  '24:01',
  '1970-01',
  '1969-12',
  '2026-13',
  '2026-00',
  'Europe/Berlin',
  'europe/berlin',
  'Europe/Nowhere',
  'UTC',
  'EUR',
  'eur',
  'a@b',
  '@b',
  'a@',
  'email',
  'sms',
  'incident',
  'Basic',
);

/** A value near `v`: an edit of it, an edge value of its kind, or any JSON value. */
const nearValue = (v: unknown): fc.Arbitrary<unknown> => {
  if (typeof v === 'string') return fc.oneof(editedString(v), edgeString, arbitraryInstant, fc.jsonValue());
  if (typeof v === 'number')
    return fc.oneof(
      fc.constantFrom(v + 1, v - 1, -v, v + 0.5, 0, -0, 1, 60, 61, 1440, 1441, 1e21, String(v)),
      fc.jsonValue(),
    );
  if (typeof v === 'boolean') return fc.constantFrom(!v, String(v), 0, null);
  if (Array.isArray(v))
    return fc.oneof(
      fc.constant([]),
      fc.constant([...v, ...v]),
      fc.constant(v.slice(1)),
      fc.constant([...v, 'sms']),
      fc.constant([...v, { day: 'MON', start: '00:00', end: '24:00' }]),
      fc.constant(Array.from({ length: 101 }, () => v[0])),
      fc.jsonValue(),
    );
  return fc.jsonValue();
};

const pickKey = (o: object, pick: number): string | undefined => {
  const keys = Object.keys(o);
  return keys.length === 0 ? undefined : keys[pick % keys.length];
};

type Wire = Record<string, unknown> & { data: Record<string, unknown> };

/** One mutation of a valid wire event. */
const mutated: fc.Arbitrary<unknown> = fc
  .record({ e: arbitraryEvent, other: arbitraryEvent, pick: fc.nat(), op: fc.nat({ max: 11 }) })
  .chain(({ e, other, pick, op }) => {
    const wire = json(e) as unknown as Wire;
    const dataKey = pickKey(wire.data, pick);
    const envKey = pickKey(wire, pick) as string;
    switch (op) {
      case 0:
      case 1:
      case 2:
        // A data field changed a little (the most likely way to stay near validity).
        return dataKey === undefined
          ? fc.constant(wire)
          : nearValue(wire.data[dataKey]).map((v) => ({ ...wire, data: { ...wire.data, [dataKey]: v } }));
      case 3:
        return fc.constant({ ...wire, data: Object.fromEntries(Object.entries(wire.data).slice(1)) });
      case 4:
        return fc
          .constantFrom('x', 'contractID', '__proto__', 'constructor', 'minutes', 'service', 'timeZone')
          .map((k) => JSON.parse(JSON.stringify(wire).replace('"data":{', `"data":{"${k}":1,`)) as unknown);
      case 5:
        return nearValue(wire[envKey]).map((v) => ({ ...wire, [envKey]: v }));
      case 6:
        return fc.constant(Object.fromEntries(Object.entries(wire).filter(([k]) => k !== envKey)));
      case 7:
        return fc
          .constantFrom(0, 1, 2, 1.5, '1', null, -1)
          .map((schemaVersion) => ({ ...wire, schemaVersion }));
      case 8:
        return fc.constant({ ...wire, type: other.type });
      case 9:
        return fc.constant(reverseKeys(wire));
      case 10:
        return fc.constant({ ...wire, extra: true });
      default:
        return fc.constant(wire);
    }
  });

/** Mostly one of `good`, now and then one of `edge`. */
const part = (good: fc.Arbitrary<string>, ...edge: string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: fc.constantFrom(...edge), weight: 1 });

const twoDigits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));

/** Timestamp-like strings, each part valid or at or just past its limits. */
const timestampish: fc.Arbitrary<string> = fc
  .record({
    y: part(fc.integer({ min: 1970, max: 9999 }).map(String), '1969', '2000', '2100', '2400', '0000', '197'),
    mo: part(twoDigits(1, 12), '00', '13', '1', '99'),
    d: part(twoDigits(1, 28), '00', '29', '30', '31', '32'),
    sep: part(fc.constantFrom('T', 't'), ' ', 'x'),
    h: part(twoDigits(0, 23), '24', '9'),
    mi: part(twoDigits(0, 59), '60'),
    s: part(
      twoDigits(0, 59).map((x) => `:${x}`),
      ':60',
      '',
      ':5',
    ),
    frac: part(
      fc.oneof(
        fc.constant(''),
        fc
          .array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 9 })
          .map((ds) => `.${ds.join('')}`),
      ),
      '.',
      '.1234567890',
    ),
    zone: part(
      fc.oneof(
        fc.constantFrom('Z', 'z'),
        fc
          .record({ sign: fc.constantFrom('+', '-'), h: twoDigits(0, 23), m: twoDigits(0, 59) })
          .map(({ sign, h, m }) => `${sign}${h}:${m}`),
      ),
      '',
      '+24:00',
      '+00:60',
      '+0100',
      'ZZ',
      '-00:00',
    ),
  })
  .map(({ y, mo, d, sep, h, mi, s, frac, zone }) => `${y}-${mo}-${d}${sep}${h}:${mi}${s}${frac}${zone}`);

const withInstant = (text: string): unknown[] => [
  { id: 'e-1', type: 'ProvisioningCompleted', occurredAt: text, data: { contractId: 'c-1' } },
  {
    id: 'e-2',
    type: 'WorkLogged',
    occurredAt: '2026-10-05T09:00:00Z',
    data: { workId: 'w-1', ticketId: 't-1', technician: 'tech-1', startedAt: text, minutes: 5 },
  },
];

describe('the fast path agrees with io-ts', () => {
  it(`on valid events (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(arbitraryEvent, (e) => {
        expect(agree(json(e))).toBe(true);
        expect(agree(reverseKeys(json(e)))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`on valid events with one change (${RUNS} runs, both outcomes seen often)`, () => {
    let valid = 0;
    fc.assert(
      fc.property(mutated, (u) => {
        if (agree(u)) valid += 1;
      }),
      { numRuns: RUNS },
    );
    expect(valid).toBeGreaterThan(RUNS / 10);
    expect(valid).toBeLessThan(RUNS * 0.9);
  });

  it(`on timestamps at every edge (${RUNS} runs)`, () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(timestampish, timestampish.chain(editedString)), (text) => {
        // The one scanner that both paths use, against an independent reading (regex and Date.UTC).
        expect(parseInstant(text)).toEqual(referenceInstant(text));
        for (const u of withInstant(text)) if (agree(u)) valid += 1;
      }),
      { numRuns: RUNS },
    );
    expect(valid).toBeGreaterThan(RUNS / 20);
  });

  it('on every valid event, by taking the fast path (no io-ts call)', () => {
    fc.assert(
      fc.property(arbitraryEvent, (e) => {
        const fast = fastDecoderOf(eventDataCodecs[e.type] as t.Mixed);
        expect(fast?.(json(e.data))).not.toBe(NOT_FAST);
        expect(fastDecoderOf(InstantC)?.(e.occurredAt)).not.toBe(NOT_FAST);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Each combinator alone

/** A codec with its fast decoder, and a few values it accepts (what the inputs are made near). */
const combinators: ReadonlyArray<readonly [string, t.Mixed, readonly unknown[]]> = [
  ['str', P.str, ['x', '']],
  ['bool', P.bool, [true, false]],
  ['oneOf', P.ServiceKind, ['incident', 'source-build']],
  ['integerIn', P.Minutes, [1, 1440, 60]],
  ['integerIn (from 0)', P.PaymentTermsDays, [0, 365]],
  ['refineWith (id)', P.WorkId, ['w-1', 'x'.repeat(200)]],
  ['refineWith (money)', P.Money, ['95', '97.50', '0.0001']],
  ['refineWith (percent)', P.Percent, ['19', '100', '7.7']],
  ['refineWith (e-mail)', P.Email, ['a@b', 'it-lead@example.com']],
  ['refineWith (time zone)', P.TimeZone, ['Europe/Berlin', 'UTC']],
  ['refineWith (period)', P.Period, ['2026-10', '1970-01']],
  ['refineWith (wall time)', P.WallTime, ['00:00', '24:00', '09:30']],
  ['instant', InstantC, ['2026-10-05T09:00:00+02:00', '1970-01-01T00:00:00Z']],
  [
    'arrayOf (unique, non-empty, max)',
    P.arrayOf(P.AlertChannel, { nonEmpty: true, max: 2, unique: true }),
    [['sms'], ['email', 'sms']],
  ],
  [
    'arrayOf (of closed)',
    P.arrayOf(P.closed('W', { day: P.Weekday, start: P.WallTime }), { max: 3 }),
    [[], [{ day: 'MON', start: '08:00' }]],
  ],
  [
    'closed (required, optional, default)',
    P.closed('C', { a: P.str, b: P.optional(P.Minutes), c: P.withDefault(P.bool, false) }),
    [{ a: 'x' }, { a: 'y', b: 5, c: true }, { c: false, a: '' }],
  ],
];

/** A value near one of `examples`: an example, a change of one, a change inside one, or any JSON. */
const nearExample = (examples: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.constantFrom(...examples).chain((v) => {
    const inside =
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? fc
            .record({ key: fc.constantFrom('a', 'b', 'c', 'day', 'start', 'x'), to: nearValue('5') })
            .map(({ key, to }) => ({ ...v, [key]: to }))
        : Array.isArray(v) && v.length > 0
          ? nearValue(v[0]).map((x) => [x, ...v.slice(1)])
          : nearValue(v);
    return fc.oneof(fc.constant(v), nearValue(v), inside, fc.jsonValue());
  });

describe('each combinator: its fast decoder and its io-ts codec are one rule', () => {
  it.each(combinators)(
    `%s: on JSON input both accept the same, with the same value (${RUNS} runs)`,
    (_, codec, examples) => {
      const fast = fastDecoderOf(codec) as (u: unknown) => unknown;
      expect(fast).toBeDefined();
      let accepted = 0;
      fc.assert(
        fc.property(nearExample(examples), (u) => {
          const byFast = fast(u);
          const byIoTs = codec.decode(u);
          // What io-ts decodes, or NOT_FAST where it refuses: the fast decoder gives exactly that.
          const expected = byIoTs._tag === 'Right' ? byIoTs.right : NOT_FAST;
          expect(byFast).toStrictEqual(expected);
          expect(JSON.stringify(byFast)).toBe(JSON.stringify(expected));
          if (byIoTs._tag === 'Right') accepted += 1;
        }),
        { numRuns: RUNS },
      );
      // Both outcomes are met, each often.
      expect(accepted).toBeGreaterThan(RUNS / 20);
      expect(accepted).toBeLessThan(RUNS * 0.95);
    },
  );

  it('an error names the same path whichever path decoded the event', () => {
    // The fast path never explains: a refused input is decoded again by io-ts, so the message and
    // its path are io-ts' own, field by field (here a nested field of a list).
    const windows = {
      id: 'e-5',
      type: 'MaintenanceWindowsAgreed',
      occurredAt: '2026-01-01T00:00:00Z',
      data: { contractId: 'c-1', windows: [{ day: 'MON', start: '08:00', end: '25:00' }] },
    };
    const a = left(windows);
    expect(a).toStrictEqual(left(windows, reference));
    expect(a.path).toBe('data.windows[0].end');
  });
});

// ---------------------------------------------------------------------------------------------
// Tricky cases

const booked = {
  id: 'e-1',
  type: 'MSPBooked',
  occurredAt: '2026-10-01T00:00:00+02:00',
  data: { contractId: 'c-1', customerId: 'cust-1', vmId: 'vm-1', sla: 'Basic', rateCardId: 'rc-1' },
};

const right = (u: unknown, decode = decodeEvent): DomainEvent => {
  const r = decode(u);
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
};

const left = (u: unknown, decode = decodeEvent): DecodeError => {
  const r = decode(u);
  if (r._tag === 'Right') throw new Error('expected a refusal');
  return r.left;
};

describe('tricky cases', () => {
  it('builds objects in catalog key order whatever the wire order, with defaults in place', () => {
    const e = right(reverseKeys(booked));
    expect(Object.keys(e)).toEqual(['id', 'type', 'occurredAt', 'data']);
    expect(Object.keys(e.data)).toEqual([
      'contractId',
      'customerId',
      'vmId',
      'sla',
      'rateCardId',
      'timeZone',
      'vatRatePercent',
    ]);
    expect(JSON.stringify(e.data)).toBe(
      '{"contractId":"c-1","customerId":"cust-1","vmId":"vm-1","sla":"Basic","rateCardId":"rc-1",' +
        '"timeZone":"Europe/Berlin","vatRatePercent":"19"}',
    );
    agree(reverseKeys(booked));
  });

  it('refuses an unknown key even when the known ones come in order, or one is missing', () => {
    const extra = { ...booked, data: { ...booked.data, timeZone: 'UTC', colour: 'red' } };
    expect(left(extra).message).toBe('data.colour: unknown field');
    const { vmId: _vm, ...noVm } = booked.data;
    expect(left({ ...booked, data: { ...noVm, vm: 'vm-1' } }).message).toBe(
      'data.vmId: required field is missing; data.vm: unknown field',
    );
    agree(extra);
    agree(
      JSON.parse(
        '{"id":"e","type":"ProvisioningCompleted","occurredAt":"2026-01-01T00:00:00Z","data":{"__proto__":1}}',
      ),
    );
  });

  it('reads a non-enumerable own field like io-ts does, and ignores an inherited one', () => {
    const data: Record<string, unknown> = { ...booked.data };
    Object.defineProperty(data, 'timeZone', { value: 'UTC', enumerable: false });
    expect(right({ ...booked, data }).data).toMatchObject({ timeZone: 'UTC' });
    agree({ ...booked, data });
    const inherited = Object.assign(Object.create({ vmId: 'vm-9' }) as object, booked.data, {
      vmId: undefined,
    });
    agree({ ...booked, data: inherited });
  });

  it('agrees with io-ts even with a polluted Object.prototype (inherited enumerable keys)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const work = withInstant('2026-10-05T09:00:00Z')[1] as Wire;
    // An inherited key is no field (io-ts reads own keys), except schemaVersion, read as o[k].
    const cases: Array<[string, boolean]> = [
      ['vmId', true],
      ['description', true],
      ['extra', true],
      ['schemaVersion', false],
    ];
    try {
      for (const [key, valid] of cases) {
        Object.defineProperty(proto, key, {
          value: 'x',
          enumerable: true,
          configurable: true,
          writable: true,
        });
        expect([key, agree(booked), agree(work)]).toEqual([key, valid, valid]);
        delete proto[key];
      }
    } finally {
      for (const [key] of cases) delete proto[key];
    }
  });

  it('treats an undefined field as missing (default filled in, optional left out)', () => {
    agree({ ...booked, data: { ...booked.data, timeZone: undefined } });
    expect(right({ ...booked, data: { ...booked.data, timeZone: undefined } }).data).toMatchObject({
      timeZone: 'Europe/Berlin',
    });
    const work = withInstant('2026-10-05T09:00:00Z')[1] as Wire;
    const e = right({ ...work, data: { ...work.data, service: undefined } });
    expect(Object.keys(e.data)).not.toContain('service');
    agree({ ...work, data: { ...work.data, service: undefined } });
  });

  it('refuses array holes and repeats like io-ts', () => {
    const alerting = {
      id: 'e-3',
      type: 'AlertingActivated',
      occurredAt: '2026-01-01T00:00:00Z',
      data: { contractId: 'c-1', channels: ['email', 'sms'] },
    };
    expect(agree(alerting)).toBe(true);
    // eslint-disable-next-line no-sparse-arrays
    const holes = [, 'sms'];
    // io-ts skips the hole (and so reads ['sms']); the fast path leaves it to io-ts.
    expect(agree({ ...alerting, data: { ...alerting.data, channels: holes } })).toBe(true);
    expect(agree({ ...alerting, data: { ...alerting.data, channels: ['sms', 'sms'] } })).toBe(false);
    expect(agree({ ...alerting, data: { ...alerting.data, channels: [] } })).toBe(false);
  });

  it('truncates fractions exactly like Number("0.<digits>") * 1000 does', () => {
    for (const frac of ['.1', '.29', '.57', '.58', '.999', '.9999', '.123456789', '.000000001', '.0049']) {
      for (const u of withInstant(`2026-02-28T23:59:59${frac}+01:00`)) expect(agree(u)).toBe(true);
    }
    expect(right(withInstant('1970-01-01T00:00:00.29Z')[0]).occurredAt).toBe(
      Math.floor(Number('0.29') * 1000),
    );
    expect(left(withInstant('2026-01-01T00:00:00.1234567890Z')[0]).path).toBe('occurredAt');
  });

  it('knows the calendar: leap days, month lengths, the first and last instants', () => {
    const cases: Array<[string, boolean]> = [
      ['2024-02-29T00:00:00Z', true],
      ['2000-02-29T00:00:00Z', true],
      ['2100-02-29T00:00:00Z', false],
      ['2026-02-29T00:00:00Z', false],
      ['2026-04-31T00:00:00Z', false],
      ['2026-12-31T23:59:59Z', true],
      ['1970-01-01T00:00:00Z', true],
      ['1970-01-01T00:00:00+00:01', false],
      ['1970-01-01T00:00:00-00:00', true],
      ['9999-12-31T23:59:59.999Z', true],
      ['9999-12-31T23:59:59.999-00:01', false],
      ['2026-10-05t09:00:00z', true],
      ['2026-10-05T24:00:00Z', false],
      ['2026-10-05T09:00:60Z', false],
      ['2026-10-05T09:00:00+23:59', true],
      ['2026-10-05T09:00:00+24:00', false],
      ['2026-10-05T09:00:00', false],
      ['20x6-10-05T09:00:00Z', false],
      ['2x26-10-05T09:00:00Z', false],
      ['2026-1x-05T09:00:00Z', false],
      ['2026-10-05T09:00:0xZ', false],
      ['2026-10-05T09:00:00+0x:00', false],
      ['2026-10-05T09:00:00.1x', false],
    ];
    for (const [text, ok] of cases) {
      expect(parseInstant(text)).toEqual(referenceInstant(text));
      for (const u of withInstant(text)) expect([text, agree(u)]).toEqual([text, ok]);
      // A valid one is read by the fast path itself, not left to io-ts.
      const fast = fastDecoderOf(InstantC)?.(text);
      expect([text, fast]).toEqual([text, ok ? right(withInstant(text)[0]).occurredAt : NOT_FAST]);
    }
  });

  it('checks ids, versions and types at the edges', () => {
    const ids = ['', 'x'.repeat(200), 'x'.repeat(201), 7, null];
    expect(ids.map((id) => agree({ ...booked, id }))).toEqual([false, true, false, false, false]);
    const versions = [undefined, 1, 1.0, 0, 2, '1', null];
    expect(versions.map((schemaVersion) => agree({ ...booked, schemaVersion }))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    const types = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'mspbooked'];
    expect(types.map((type) => agree({ ...booked, type }))).toEqual([false, false, false, false, false]);
  });
});

describe('custom catalogs', () => {
  const WorkLoggedV2 = closed('WorkLogged', {
    workId: WorkId,
    ticketId: TicketId,
    startedAt: InstantC,
    durationMinutes: Minutes,
    note: optional(t.string),
  });
  const v2 = {
    id: 'e-9',
    type: 'WorkLogged',
    schemaVersion: 2,
    occurredAt: '2026-10-05T09:00:00Z',
    data: { workId: 'w-1', ticketId: 't-1', startedAt: '2026-10-05T09:00:00Z', durationMinutes: 30 },
  };
  const v1 = { ...v2, schemaVersion: 1, data: { ...v2.data, minutes: 30, durationMinutes: undefined } };

  it('decode a codec with a plain io-ts field (no fast decoder) through io-ts, and agree', () => {
    expect(fastDecoderOf(WorkLoggedV2)).toBeUndefined();
    const options = { catalog: { WorkLogged: { version: 2, codec: WorkLoggedV2 } } };
    const fast = createDecoder(options);
    const slow = createDecoder({ ...options, fastPath: false });
    expect(agree(v2, fast, slow)).toBe(true);
    expect(agree({ ...v2, data: { ...v2.data, note: 'n' } }, fast, slow)).toBe(true);
    expect(agree({ ...v2, data: { ...v2.data, note: 5 } }, fast, slow)).toBe(false);
  });

  it('run an upcaster once, on the io-ts path, and agree', () => {
    const codec = closed('WorkLogged', {
      workId: WorkId,
      ticketId: TicketId,
      startedAt: InstantC,
      durationMinutes: Minutes,
    });
    expect(fastDecoderOf(codec)).toBeDefined();
    let calls = 0;
    const upcast = (data: unknown): unknown => {
      calls += 1;
      const { minutes, durationMinutes: _d, ...rest } = data as Record<string, unknown>;
      return { ...rest, durationMinutes: minutes };
    };
    const options = {
      catalog: { WorkLogged: { version: 2, codec } },
      upcasters: [{ type: 'WorkLogged', fromVersion: 1, upcast }],
    };
    const fast = createDecoder(options);
    expect(agree(v1, fast, createDecoder({ ...options, fastPath: false }))).toBe(true);
    expect(agree(v2, fast, createDecoder({ ...options, fastPath: false }))).toBe(true);
    calls = 0;
    right(v1, fast);
    expect(calls).toBe(1);
  });

  it('leave an odd catalog version to io-ts', () => {
    const codec = closed('ProvisioningCompleted', { contractId: WorkId });
    for (const version of [1.5, 0]) {
      const options = { catalog: { ProvisioningCompleted: { version, codec } } };
      const u = {
        id: 'e',
        type: 'ProvisioningCompleted',
        schemaVersion: version,
        occurredAt: '2026-01-01T00:00:00Z',
        data: { contractId: 'c' },
      };
      expect(agree(u, createDecoder(options), createDecoder({ ...options, fastPath: false }))).toBe(false);
    }
  });
});

describe('catalog coverage', () => {
  it('has a fast decoder for every type of the catalog', () => {
    expect(EVENT_TYPES.filter((k) => fastDecoderOf(eventDataCodecs[k] as t.Mixed) === undefined)).toEqual([]);
  });
});
