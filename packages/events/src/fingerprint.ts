/**
 * The 53-bit fingerprint of a decoded event that the NDJSON reader's id rule compares (spec §2: the
 * same id with the same content is a duplicate, with other content an invalid line). It runs once per
 * event of a log, so it hashes the decoded values themselves, without first rendering them as JSON:
 * a walk over the event feeds tokens (a negative tag per kind of value, a string's length and then
 * its characters two at a time, a number's 64 bits, a key as a string) into the two 32-bit lanes of
 * cyrb53 (public domain, bryc), then mixes them into 53 bits the way cyrb53 does.
 *
 * Every fingerprint is a function of its argument alone: the lanes are an object of each call (no
 * state survives a call), and the module keeps only constants, two scratch buffers that a call writes
 * and reads back before it returns, and a memo of the walk derived from each codec (immutable, built
 * from the codec alone).
 *
 * Two events get the same tokens exactly when `JSON.stringify` gives the same text for them: own keys
 * are fed in the order JSON.stringify writes them, lengths and tags make every token stream parse one
 * way only, undefined members are skipped as JSON skips them, -0 is fed as 0 and NaN or ±Infinity as
 * null, since that is how JSON writes them. The decoder builds every object in catalog key order
 * with defaults filled in and instants as epoch ms, so that text is the canonical content of the event
 * (see `fingerprintOf` in ndjson.ts). Equal content therefore always gives equal fingerprints; unequal
 * content collides with a chance of about 2^-53 per pair of events sharing an id, and a collision
 * would only turn an invalid repeat into a duplicate.
 */
import type * as t from 'io-ts';
import type { DomainEvent } from './catalog.js';
import { INSTANT_TEXT_LENGTH, formatInstant, instantCodes, type Instant } from './primitives.js';
import { shapeOf } from './shape.js';

// Tags are negative, string lengths are not: so no two token streams parse alike.
const TAG_NUMBER = -2;
const TAG_INT = -3;
const TAG_TRUE = -4;
const TAG_FALSE = -5;
const TAG_NULL = -6;
const TAG_ARRAY = -7;
const TAG_OBJECT = -8;
const END = -1;

const K1 = 2654435761 | 0;
const K2 = 1597334677;

/** The two 32-bit lanes of one fingerprint: made by each call, so no state outlives it. */
interface Lanes {
  a: number;
  b: number;
}

const start = (): Lanes => ({ a: 0xdeadbeef | 0, b: 0x41c6ce57 });

// Scratch for a number's 64 bits: written and read back within one `mixNumber`, never carried over.
const float = new Float64Array(1);
const words = new Int32Array(float.buffer);

const mix = (h: Lanes, token: number): void => {
  h.a = Math.imul(h.a ^ token, K1);
  h.b = Math.imul(h.b ^ token, K2);
};

/** A string: its length, then its UTF-16 code units two to a token. */
const mixString = (h: Lanes, s: string): void => {
  const n = s.length;
  let a = Math.imul(h.a ^ n, K1);
  let b = Math.imul(h.b ^ n, K2);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const pair = (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);
    a = Math.imul(a ^ pair, K1);
    b = Math.imul(b ^ pair, K2);
  }
  if (i < n) {
    const last = s.charCodeAt(i);
    a = Math.imul(a ^ last, K1);
    b = Math.imul(b ^ last, K2);
  }
  h.a = a;
  h.b = b;
};

/** An object key: as a string (a key's length is never negative, so END cannot be taken for one). */
const mixKey = mixString;

/** A number as JSON writes it: -0 as 0, NaN and ±Infinity as null, every other number by its 64 bits. */
const mixNumber = (h: Lanes, v: number): void => {
  if ((v | 0) === v) {
    mix(h, TAG_INT); // also -0, which `| 0` turns into 0
    mix(h, v | 0);
  } else if (Number.isFinite(v)) {
    mix(h, TAG_NUMBER);
    float[0] = v;
    mix(h, words[0] as number);
    mix(h, words[1] as number);
  } else mix(h, TAG_NULL);
};

/** Whether JSON leaves out an object member with this value (and writes null for such an item). */
const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const mixValue = (h: Lanes, v: unknown): void => {
  if (typeof v === 'string') mixString(h, v);
  else if (typeof v === 'number') mixNumber(h, v);
  else if (typeof v === 'boolean') mix(h, v ? TAG_TRUE : TAG_FALSE);
  else if (v === null || skipped(v)) mix(h, TAG_NULL);
  else if (Array.isArray(v)) {
    mix(h, TAG_ARRAY);
    mix(h, v.length);
    for (let i = 0; i < v.length; i++) mixValue(h, v[i]);
  } else mixObject(h, v as Record<string, unknown>);
};

const mixObject = (h: Lanes, o: Record<string, unknown>): void => {
  mix(h, TAG_OBJECT);
  // Own keys, as JSON writes them (for…in would also meet keys a polluted prototype lends).
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = o[k];
    if (skipped(v)) continue;
    mixKey(h, k);
    mixValue(h, v);
  }
  mix(h, END);
};

/** The 53 bits of the lanes, mixed the way cyrb53 ends. */
const finish = (h: Lanes): number => {
  let a = h.a;
  let b = h.b;
  a = Math.imul(a ^ (a >>> 16), 2246822507 | 0);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909 | 0);
  b = Math.imul(b ^ (b >>> 16), 2246822507 | 0);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909 | 0);
  return 4294967296 * (2097151 & b) + (a >>> 0);
};

/**
 * The fingerprint of an event from the decoder: plain JSON data, whose envelope is always
 * `{ id, type, occurredAt, data }` in that order (so only its values are fed).
 */
export const eventFingerprint = (e: DomainEvent): number => {
  const h = start();
  mixString(h, e.id);
  mixString(h, e.type);
  mixNumber(h, e.occurredAt);
  mixValue(h, e.data);
  return finish(h);
};

/**
 * The fingerprint of a JSON value of whatever shape, by the same walk: equal for two values exactly
 * when `JSON.stringify` writes them alike (up to the 2^-53 chance of a collision), without writing
 * them.
 */
export const jsonFingerprint = (v: unknown): number => {
  const h = start();
  mixValue(h, v);
  return finish(h);
};

// ------------------------------------------------------------------------------------------------
// The Ledger's id rule: the fingerprint of what `encode` would write, without writing it

/**
 * How to hash what a codec's `encode` gives for a value: as an item (`value`: the tokens `mixValue`
 * feeds for `encode(v)`) and as an object member (`member`: those of key `k` and `encode(v)`, or none
 * when JSON leaves `encode(v)` out of an object).
 */
interface EncodedWalk {
  readonly value: (h: Lanes, v: unknown) => void;
  readonly member: (h: Lanes, k: string, v: unknown) => void;
}

const IDENTITY_WALK: EncodedWalk = {
  value: mixValue,
  member: (h, k, v) => {
    if (skipped(v)) return;
    mixKey(h, k);
    mixValue(h, v);
  },
};

// Scratch for an instant's text: written and read back within one `mixInstant`, never carried over.
const instantText = new Uint16Array(INSTANT_TEXT_LENGTH);

/**
 * The tokens of `mixString(h, formatInstant(v))`: its length, then its code units two to a token, as
 * {@link instantCodes} writes them (no string made); other values through formatInstant, which throws
 * for what Date cannot write (NaN), as encoding does.
 */
const mixInstant = (h: Lanes, v: unknown): void => {
  // Not a number: formatInstant alone converts it (once, as encoding does).
  if (typeof v !== 'number' || !instantCodes(v, instantText))
    return mixString(h, formatInstant(v as Instant));
  const c = instantText;
  let a = Math.imul(h.a ^ INSTANT_TEXT_LENGTH, K1);
  let b = Math.imul(h.b ^ INSTANT_TEXT_LENGTH, K2);
  for (let i = 0; i < INSTANT_TEXT_LENGTH; i += 2) {
    const pair = ((c[i] as number) << 16) | (c[i + 1] as number);
    a = Math.imul(a ^ pair, K1);
    b = Math.imul(b ^ pair, K2);
  }
  h.a = a;
  h.b = b;
};

const INSTANT_WALK: EncodedWalk = {
  value: mixInstant,
  member: (h, k, v) => {
    mixKey(h, k);
    mixInstant(h, v);
  },
};

/** Hash `encode(v)` by calling it: for codecs without a shape, and for values a shape does not cover. */
const encodingWalk = (codec: t.Mixed): EncodedWalk => ({
  value: (h, v) => mixValue(h, codec.encode(v)),
  member: (h, k, v) => {
    const encoded: unknown = codec.encode(v);
    if (skipped(encoded)) return;
    mixKey(h, k);
    mixValue(h, encoded);
  },
});

/** An encoder whose result is an object or an array, never left out of an object. */
const alwaysWritten = (value: (h: Lanes, v: unknown) => void): EncodedWalk => ({
  value,
  member: (h, k, v) => {
    mixKey(h, k);
    value(h, v);
  },
});

const closedWalk = (codec: t.Mixed, keys: readonly string[], codecs: readonly t.Mixed[]): EncodedWalk => {
  const members = codecs.map((c) => walkOf(c).member);
  return alwaysWritten((h, a) => {
    // encode reads a member of null or undefined: let it throw as it does
    if (a === null || a === undefined) return mixValue(h, codec.encode(a));
    const o = a as Record<string, unknown>;
    mix(h, TAG_OBJECT);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = o[k];
      if (v !== undefined) (members[i] as EncodedWalk['member'])(h, k, v);
    }
    mix(h, END);
  });
};

/** A plain array, whose `map` keeps holes (written as null) and makes a plain array. */
const plainArray = (a: unknown): a is readonly unknown[] =>
  Array.isArray(a) && Object.getPrototypeOf(a) === Array.prototype && !Object.hasOwn(a, 'constructor');

const arrayWalk = (codec: t.Mixed, item: t.Mixed): EncodedWalk => {
  const each = walkOf(item).value;
  return alwaysWritten((h, a) => {
    if (!plainArray(a)) return mixValue(h, codec.encode(a));
    mix(h, TAG_ARRAY);
    mix(h, a.length);
    for (let i = 0; i < a.length; i++) {
      if (i in a) each(h, a[i]);
      else mix(h, TAG_NULL);
    }
  });
};

/** The walk of each codec: a memo of what `walkOf` derives from the codec alone (never changes). */
const walks = new WeakMap<t.Mixed, EncodedWalk>();

const walkOf = (codec: t.Mixed): EncodedWalk => {
  let w = walks.get(codec);
  if (w !== undefined) return w;
  const shape = shapeOf(codec);
  if (shape === undefined) w = encodingWalk(codec);
  else if (shape.kind === 'identity') w = IDENTITY_WALK;
  else if (shape.kind === 'instant') w = INSTANT_WALK;
  else if (shape.kind === 'closed') w = closedWalk(codec, shape.keys, shape.codecs);
  else w = arrayWalk(codec, shape.item);
  walks.set(codec, w);
  return w;
};

/**
 * `jsonFingerprint(encodeEvent(e))`, the same number, without encoding `e`: the envelope and its
 * `data` (whose codec is `data`) are walked by the shapes their codecs registered (shape.ts), so no
 * object, array or instant text is built. For any `e` it gives what that expression gives, or throws
 * what it throws (the property in fingerprint.unit.spec.ts pins both).
 */
export const encodedEventFingerprint = (e: DomainEvent, data: t.Mixed): number => {
  const h = start();
  mix(h, TAG_OBJECT);
  IDENTITY_WALK.member(h, 'id', e.id);
  IDENTITY_WALK.member(h, 'type', e.type);
  INSTANT_WALK.member(h, 'occurredAt', e.occurredAt);
  walkOf(data).member(h, 'data', e.data);
  mix(h, END);
  return finish(h);
};
