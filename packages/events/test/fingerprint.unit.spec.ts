/**
 * The id rule's fingerprint (src/fingerprint.ts) hashes decoded values without rendering them as JSON;
 * it must still tell two events apart exactly when their JSON texts differ. A property checks that on
 * pairs of decoded events that are the same fact re-spelled, or differ in one field, or share an id
 * with another event; unit tests pin what JSON itself treats as equal (-0 and 0, NaN and null, an
 * undefined member and a missing one) and what it does not (key order, where a string is split).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEvent,
  canonicalFingerprint,
  decodeEvent,
  encodeEvent,
  readNdjson,
  type DomainEvent,
  type NdjsonItem,
} from '../src/index.js';
import { eventFingerprint, jsonFingerprint } from '../src/fingerprint.js';
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

  it('feeds keys as text once it has numbered 4096 of them', () => {
    const wide = (value: number): Record<string, number> =>
      Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i === 4999 ? value : i]));
    expect(same(wide(1), wide(1))).toBe(true);
    expect(same(wide(1), wide(2))).toBe(false);
    expect(same({ k4999: 1 }, { k4998: 1 })).toBe(false);
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
