/**
 * The id rule's fingerprint (src/fingerprint.ts) hashes decoded values without rendering them as JSON;
 * it must still tell two events apart exactly when their JSON texts differ. A property checks that on
 * pairs of decoded events that are the same fact re-spelled, or differ in one field, or share an id
 * with another event; unit tests pin what JSON itself treats as equal (-0 and 0, NaN and null, an
 * undefined member and a missing one) and what it does not (key order, where a string is split).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEvent,
  canonicalFingerprint,
  decodeEvent,
  EVENT_TYPES,
  encodeEvent,
  readNdjson,
  type DomainEvent,
  type NdjsonItem,
} from '../src/internal.js';
import * as t from 'io-ts';
import { arrayOf, closed, optional, refineWith } from '../src/codec.js';
import { encodedEventFingerprint, eventFingerprint, jsonFingerprint } from '../src/fingerprint.js';
import { formatInstant } from '../src/primitives.js';
import { arbitraryEvent } from '../../testing/src/events.js';

const RUNS = 3000;

const decoded = (u: unknown): DomainEvent | undefined => {
  const r = decodeEvent(u);
  return r._tag === 'Right' ? r.right : undefined;
};

/** An event with any data (the walk is generic; the decoder never builds most of these). */
const withData = (data: unknown): DomainEvent =>
  ({ id: 'e-1', type: 'ProvisioningCompleted', occurredAt: 0, data }) as unknown as DomainEvent;

const same = (a: unknown, b: unknown): boolean =>
  eventFingerprint(withData(a)) === eventFingerprint(withData(b));

/** A second event near `first`: itself re-spelled, with one field changed, or another event. */
const pairs = fc
  .record({ a: arbitraryEvent, b: arbitraryEvent, pick: fc.nat(), how: fc.nat({ max: 4 }) })
  .map(({ a, b, pick, how }) => {
    const first = decoded(a) as DomainEvent;
    const keys = Object.keys(a.data);
    const key = keys[pick % Math.max(keys.length, 1)];
    const other = decoded({ ...b, id: a.id }) as DomainEvent;
    switch (how) {
      case 0:
        return { first, second: decoded(JSON.parse(JSON.stringify(encodeEvent(first)))) ?? other };
      case 1:
        return { first, second: other };
      case 2:
        return { first, second: decoded({ ...a, data: { ...b.data } }) ?? other };
      default: {
        if (key === undefined) return { first, second: other };
        const twin = decoded({ ...a, data: { ...a.data, [key]: (b.data as Record<string, unknown>)[key] } });
        return { first, second: twin ?? other };
      }
    }
  });

/**
 * Check over the generated pairs that `fingerprint` agrees exactly when `text` does; returns how many
 * pairs were alike, which the caller checks is a fair share (else the check says little).
 */
const alikeAcross = (fingerprint: (e: DomainEvent) => number, text: (e: DomainEvent) => string): number => {
  let alikePairs = 0;
  fc.assert(
    fc.property(pairs, ({ first, second }) => {
      const alike = text(first) === text(second);
      if (alike) alikePairs += 1;
      expect(fingerprint(first) === fingerprint(second)).toBe(alike);
    }),
    { numRuns: RUNS },
  );
  return alikePairs;
};

describe('eventFingerprint', () => {
  it(`is equal for two decoded events exactly when their JSON texts are (${RUNS} runs)`, () => {
    const alike = alikeAcross(eventFingerprint, (e) => JSON.stringify(e));
    expect(alike).toBeGreaterThan(RUNS / 10);
    expect(alike).toBeLessThan(RUNS * 0.9);
  });

  it('treats as equal what JSON writes alike', () => {
    expect(same({ n: -0 }, { n: 0 })).toBe(true);
    expect(same({ n: Number.NaN }, { n: null })).toBe(true);
    expect(same({ n: Number.POSITIVE_INFINITY }, { n: null })).toBe(true);
    expect(same({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(same([undefined], [null])).toBe(true);
    expect(same({ n: 0.1 + 0.2 }, { n: 0.30000000000000004 })).toBe(true);
  });

  it('tells apart what JSON writes differently', () => {
    expect(same({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(same({ a: 'xy', b: '' }, { a: 'x', b: 'y' })).toBe(false);
    expect(same(['ab'], ['a', 'b'])).toBe(false);
    expect(same(['', 'ab'], ['ab', ''])).toBe(false);
    expect(same({ a: 'b' }, { ab: '' })).toBe(false);
    expect(same({ n: 1 }, { n: '1' })).toBe(false);
    expect(same({ n: true }, { n: 'true' })).toBe(false);
    expect(same({ n: null }, { n: 'null' })).toBe(false);
    expect(same({ n: 2 ** 31 }, { n: 2 ** 31 + 1 })).toBe(false);
    expect(same({ n: 1.5 }, { n: 1.25 })).toBe(false);
    expect(same({ n: 1_700_000_000_000 }, { n: 1_700_000_000_001 })).toBe(false);
    expect(same([[1], [2]], [[1, 2]])).toBe(false);
    expect(same({ a: { b: 1 } }, { a: { b: 1 }, c: {} })).toBe(false);
  });

  it('still tells equal from unequal content with a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      Object.defineProperty(proto, 'polluted', {
        value: 1,
        enumerable: true,
        configurable: true,
        writable: true,
      });
      expect(same({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
      expect(same({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toBe(false);
      expect(same({ a: 1 }, { a: 1, polluted: 1 })).toBe(false);
    } finally {
      delete proto['polluted'];
    }
  });

  it('tells keys apart by their text, however many an object has', () => {
    const wide = (value: number): Record<string, number> =>
      Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i === 4999 ? value : i]));
    expect(same(wide(1), wide(1))).toBe(true);
    expect(same(wide(1), wide(2))).toBe(false);
    expect(same({ k4999: 1 }, { k4998: 1 })).toBe(false);
  });

  it('depends on its argument alone: a fresh process gives the same numbers as this one', () => {
    const value = { b: 1.5, a: [true, null, 'x'], z: { y: -0 } };
    const event = withData(value);
    // Other work first, with keys and values this process has not hashed before.
    for (let n = 0; n < 200; n++) jsonFingerprint({ [`fresh-${n}`]: n, [`other-${n}`]: [n / 3] });
    const mine = [eventFingerprint(event), jsonFingerprint(value), canonicalFingerprint(event)];
    const module = pathToFileURL(fileURLToPath(new URL('../src/internal.ts', import.meta.url))).href;
    const fingerprintModule = pathToFileURL(
      fileURLToPath(new URL('../src/fingerprint.ts', import.meta.url)),
    ).href;
    const script = [
      `import { canonicalFingerprint } from ${JSON.stringify(module)};`,
      `import { eventFingerprint, jsonFingerprint } from ${JSON.stringify(fingerprintModule)};`,
      `const value = ${JSON.stringify({ b: 1.5, a: [true, null, 'x'], z: { y: 0 } })};`,
      "const event = { id: 'e-1', type: 'ProvisioningCompleted', occurredAt: 0, data: value };",
      'console.log(JSON.stringify([eventFingerprint(event), jsonFingerprint(value), canonicalFingerprint(event)]));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(mine);
  });
});

describe("jsonFingerprint and canonicalFingerprint (the Ledger's id rule)", () => {
  it(`jsonFingerprint is equal for two JSON values exactly when JSON.stringify writes them alike (${RUNS} runs)`, () => {
    let equal = 0;
    // A value and either a copy through JSON text (key order kept), the same value with its keys
    // reversed, or another value.
    const jsonPairs = fc
      .record({ a: fc.jsonValue(), b: fc.jsonValue(), how: fc.nat({ max: 2 }) })
      .map(({ a, b, how }) => {
        if (how === 0) return { x: a, y: JSON.parse(JSON.stringify(a)) as unknown };
        if (how === 1 && a !== null && typeof a === 'object' && !Array.isArray(a))
          return { x: a, y: Object.fromEntries(Object.entries(a).toReversed()) as unknown };
        return { x: a, y: b };
      });
    fc.assert(
      fc.property(jsonPairs, ({ x, y }) => {
        const text = JSON.stringify(x) === JSON.stringify(y);
        if (text) equal += 1;
        expect(jsonFingerprint(x) === jsonFingerprint(y)).toBe(text);
      }),
      { numRuns: RUNS },
    );
    expect(equal).toBeGreaterThan(RUNS / 10);
  });

  it(`canonicalFingerprint is equal for two events exactly when canonicalEvent is (${RUNS} runs)`, () => {
    const alike = alikeAcross(canonicalFingerprint, canonicalEvent);
    expect(alike).toBeGreaterThan(RUNS / 10);
    expect(alike).toBeLessThan(RUNS * 0.9);
  });

  it('canonicalFingerprint reads what the event states, not how its keys are ordered', () => {
    const e = decoded({
      id: 'e-1',
      type: 'WorkLogged',
      occurredAt: '2026-10-01T08:00:00Z',
      data: { workId: 'w', ticketId: 't', technician: 'x', startedAt: '2026-10-01T08:00:00Z', minutes: 20 },
    }) as DomainEvent;
    const reordered = {
      data: Object.fromEntries(Object.entries(e.data).toReversed()),
      occurredAt: e.occurredAt,
      type: e.type,
      id: e.id,
    } as DomainEvent;
    expect(Object.keys(reordered.data)).not.toEqual(Object.keys(e.data));
    expect(canonicalFingerprint(reordered)).toBe(canonicalFingerprint(e));
    expect(canonicalFingerprint({ ...e, data: { ...e.data, minutes: 21 } } as DomainEvent)).not.toBe(
      canonicalFingerprint(e),
    );
  });
});

/** What a fingerprint gives for `e`: the number, or the message of what it threw. */
const outcome = (fingerprint: (e: DomainEvent) => number, e: DomainEvent): string => {
  try {
    return `= ${fingerprint(e)}`;
  } catch (err) {
    return `threw ${String(err)}`;
  }
};

/** What encoding `e` and hashing the result gives: the definition canonicalFingerprint must keep. */
const byEncoding = (e: DomainEvent): number => jsonFingerprint(encodeEvent(e));

/** Values a program could hand the Ledger where the codec expects something else. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    -0,
    1.5,
    -1,
    8.64e15 + 1,
    253402300800000, // 10000-01-01
    Number.POSITIVE_INFINITY,
    '2026-10-01T08:00:00Z',
    'not a time',
    () => 1,
    Symbol('s'),
    [],
    {},
  ),
  fc.sparseArray(fc.oneof(fc.anything(), fc.constant(undefined)), { maxLength: 4 }),
  fc.array(fc.record({ day: fc.constantFrom('MON', 7), start: fc.string(), end: fc.anything() }), {
    maxLength: 3,
  }),
);

/** A decoded event, or the same with a member reordered, replaced, added or removed, anywhere. */
const hostileEvents: fc.Arbitrary<DomainEvent> = fc
  .record({
    wire: arbitraryEvent,
    how: fc.nat({ max: 8 }),
    pick: fc.nat(),
    odd: oddValue,
    type: fc.oneof(fc.constantFrom('__proto__', 'toString', 'Nope', 5), fc.constantFrom(...EVENT_TYPES)),
  })
  .map(({ wire, how, pick, odd, type }) => {
    const e = decoded(wire) as DomainEvent;
    const data = e.data as Record<string, unknown>;
    const keys = Object.keys(data);
    const key = keys[pick % Math.max(keys.length, 1)] ?? 'extra';
    const env = e as unknown as Record<string, unknown>;
    switch (how) {
      case 0:
        return e;
      case 1:
        return {
          ...e,
          data: Object.fromEntries(Object.entries(data).toReversed()),
        } as unknown as DomainEvent;
      case 2:
        return { ...e, data: { ...data, [key]: odd } } as unknown as DomainEvent;
      case 3:
        return { ...e, occurredAt: odd } as unknown as DomainEvent;
      case 4:
        return { ...e, data: { extra: odd, ...data } } as unknown as DomainEvent;
      case 5:
        return { ...e, type } as unknown as DomainEvent;
      case 6:
        return { ...e, data: odd } as unknown as DomainEvent;
      case 7:
        return { ...e, [pick % 2 === 0 ? 'id' : 'type']: odd } as unknown as DomainEvent;
      default: {
        const { [key]: _dropped, ...rest } = data;
        return {
          extra: odd,
          data: rest,
          occurredAt: env['occurredAt'],
          type: e.type,
          id: e.id,
        } as unknown as DomainEvent;
      }
    }
  });

describe('canonicalFingerprint without encoding', () => {
  it(`gives what encoding and hashing gives, or throws what it throws, for any event (${RUNS * 3} runs)`, () => {
    let threw = 0;
    fc.assert(
      fc.property(hostileEvents, (e) => {
        const expected = outcome(byEncoding, e);
        if (expected.startsWith('threw')) threw += 1;
        expect(outcome(canonicalFingerprint, e)).toBe(expected);
      }),
      { numRuns: RUNS * 3 },
    );
    // Some inputs must reach the throwing paths, and most must not.
    expect(threw).toBeGreaterThan(RUNS / 100);
    expect(threw).toBeLessThan(RUNS);
  });

  it('walks arrays, their holes and what is not an array as encoding does', () => {
    const e = decoded({
      id: 'e-1',
      type: 'MaintenanceWindowsAgreed',
      occurredAt: '2026-10-01T08:00:00Z',
      data: { contractId: 'c', windows: [{ day: 'MON', start: '01:00', end: '02:00' }] },
    }) as DomainEvent;
    const data = e.data as Record<string, unknown>;
    const holed: unknown[] = [];
    holed[1] = { day: 'TUE' };
    for (const windows of [holed, [undefined], 'MON', { length: 1, 0: {} }, [null]]) {
      const odd = { ...e, data: { ...data, windows } } as unknown as DomainEvent;
      expect(outcome(canonicalFingerprint, odd)).toBe(outcome(byEncoding, odd));
    }
    expect(canonicalFingerprint(e)).toBe(byEncoding(e));
  });

  it('reads an instant that is not a number as often as encoding does', () => {
    let reads = 0;
    const odd = {
      valueOf: () => {
        reads += 1;
        return 1_700_000_000_000;
      },
    };
    const e = {
      id: 'e-1',
      type: 'ProvisioningCompleted',
      occurredAt: odd,
      data: { contractId: 'c' },
    } as unknown as DomainEvent;
    const expected = outcome(byEncoding, e);
    const readsByEncoding = reads;
    reads = 0;
    expect(outcome(canonicalFingerprint, e)).toBe(expected);
    expect(readsByEncoding).toBeGreaterThan(0);
    expect(reads).toBe(readsByEncoding);
  });

  it('hashes a codec without a shape through its own encode, left out when that gives undefined', () => {
    // A custom io-ts codec registers no shape; neither does a refinement or array built on it.
    const custom = new t.Type<string, string | undefined, unknown>(
      'Custom',
      (u): u is string => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
      (a) => (a === 'skip' ? undefined : a.toUpperCase()),
    );
    const codec = closed('Custom', {
      a: custom,
      b: optional(refineWith<string, string | undefined, string>(custom, 'Refined', () => undefined)),
      c: optional(arrayOf(custom)),
    });
    const event = (data: unknown): DomainEvent =>
      ({ id: 'e-1', type: 'Custom', occurredAt: 0, data }) as unknown as DomainEvent;
    const encoded = (e: DomainEvent): number =>
      jsonFingerprint({
        id: e.id,
        type: e.type,
        occurredAt: formatInstant(e.occurredAt),
        data: codec.encode(e.data as never),
      });
    for (const data of [
      { a: 'x' },
      { a: 'skip', b: 'y' },
      { a: 'x', b: 'skip' },
      { a: 'x', c: ['p', 'skip'] },
    ]) {
      expect(encodedEventFingerprint(event(data), codec)).toBe(encoded(event(data)));
    }
    expect(encodedEventFingerprint(event({ a: 'x', b: 'skip' }), codec)).toBe(
      encodedEventFingerprint(event({ a: 'x' }), codec),
    );
    // What is hashed is the encoded value: 'x' and 'X' are both written as "X".
    const fp = (data: unknown): number => encodedEventFingerprint(event(data), codec);
    expect(fp({ a: 'x' })).toBe(fp({ a: 'X' }));
    expect(fp({ a: 'x' })).not.toBe(fp({ a: 'y' }));
  });
});

describe('the id rule far into a log', () => {
  const line = (id: string, contractId: string): string =>
    JSON.stringify({
      id,
      type: 'ProvisioningCompleted',
      occurredAt: '2026-10-05T09:00:00Z',
      data: { contractId },
    });

  it('remembers the first line and content of every id (past its first 1024 lines)', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(`e-${i}`, `c-${i}`));
    lines.push(line('e-0', 'c-0'), line('e-2500', 'c-2500'), line('e-2999', 'c-0'), '', line('e-1', 'c-1'));
    async function* source(): AsyncGenerator<string> {
      yield lines.join('\n');
    }
    const items: NdjsonItem[] = [];
    for await (const item of readNdjson(source())) items.push(item);
    expect(items.slice(3000).map((i) => (i.kind === 'invalid' ? `${i.line}:${i.error.message}` : i))).toEqual(
      [
        { kind: 'duplicate', line: 3001, eventId: 'e-0', firstLine: 1 },
        { kind: 'duplicate', line: 3002, eventId: 'e-2500', firstLine: 2501 },
        '3003:event id "e-2999" was already used on line 3000 for a different event',
        { kind: 'duplicate', line: 3005, eventId: 'e-1', firstLine: 2 },
      ],
    );
  });
});
