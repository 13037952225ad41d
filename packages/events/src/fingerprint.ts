/**
 * The 53-bit fingerprint of a decoded event that the NDJSON reader's id rule compares (spec §2: the
 * same id with the same content is a duplicate, with other content an invalid line). It runs once per
 * event of a log, so it hashes the decoded values themselves, without first rendering them as JSON:
 * a walk over the event feeds tokens (a negative tag per kind of value, a string's length and then
 * its characters two at a time, a number's 64 bits, a key's number) into the two 32-bit lanes of
 * cyrb53 (public domain, bryc), then mixes them into 53 bits the way cyrb53 does.
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

// Tags are negative, string lengths and key numbers are not: so no two token streams parse alike.
const TAG_NUMBER = -2;
const TAG_INT = -3;
const TAG_TRUE = -4;
const TAG_FALSE = -5;
const TAG_NULL = -6;
const TAG_ARRAY = -7;
const TAG_OBJECT = -8;
const TAG_KEY_TEXT = -9;
const END = -1;

const K1 = 2654435761 | 0;
const K2 = 1597334677;

// The two lanes, reset for every event: module state, so that the walk allocates nothing (in a typed
// array, since a 32-bit value in a module variable would be boxed at every store).
const lanes = new Int32Array(2);

const float = new Float64Array(1);
const words = new Int32Array(float.buffer);

const mix = (token: number): void => {
  lanes[0] = Math.imul((lanes[0] as number) ^ token, K1);
  lanes[1] = Math.imul((lanes[1] as number) ^ token, K2);
};

/** A string: its length, then its UTF-16 code units two to a token. */
const mixString = (s: string): void => {
  const n = s.length;
  let a = Math.imul((lanes[0] as number) ^ n, K1);
  let b = Math.imul((lanes[1] as number) ^ n, K2);
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
  lanes[0] = a;
  lanes[1] = b;
};

/**
 * Object keys by number: the decoder's keys are the catalog's few dozen field names, so a key costs
 * one map lookup instead of a pass over its characters. Numbers are handed out in the order keys are
 * first met and never change, so within a process a number always stands for the same key; past
 * MAX_KEYS (someone else's objects) keys are fed as text.
 */
const keyNumbers = new Map<string, number>();
const MAX_KEYS = 4096;

const mixKey = (k: string): void => {
  let n = keyNumbers.get(k);
  if (n === undefined && keyNumbers.size < MAX_KEYS) {
    n = keyNumbers.size;
    keyNumbers.set(k, n);
  }
  if (n !== undefined) mix(n);
  else {
    mix(TAG_KEY_TEXT);
    mixString(k);
  }
};

/** A number as JSON writes it: -0 as 0, NaN and ±Infinity as null, every other number by its 64 bits. */
const mixNumber = (v: number): void => {
  if ((v | 0) === v) {
    mix(TAG_INT); // also -0, which `| 0` turns into 0
    mix(v | 0);
  } else if (Number.isFinite(v)) {
    mix(TAG_NUMBER);
    float[0] = v;
    mix(words[0] as number);
    mix(words[1] as number);
  } else mix(TAG_NULL);
};

/** Whether JSON leaves out an object member with this value (and writes null for such an item). */
const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const mixValue = (v: unknown): void => {
  if (typeof v === 'string') mixString(v);
  else if (typeof v === 'number') mixNumber(v);
  else if (typeof v === 'boolean') mix(v ? TAG_TRUE : TAG_FALSE);
  else if (v === null || skipped(v)) mix(TAG_NULL);
  else if (Array.isArray(v)) {
    mix(TAG_ARRAY);
    mix(v.length);
    for (let i = 0; i < v.length; i++) mixValue(v[i]);
  } else mixObject(v as Record<string, unknown>);
};

const mixObject = (o: Record<string, unknown>): void => {
  mix(TAG_OBJECT);
  // Own keys, as JSON writes them (for…in would also meet keys a polluted prototype lends).
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = o[k];
    if (skipped(v)) continue;
    mixKey(k);
    mixValue(v);
  }
  mix(END);
};

/** The 53 bits of the lanes, mixed the way cyrb53 ends. */
const finish = (): number => {
  let a = lanes[0] as number;
  let b = lanes[1] as number;
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
  lanes[0] = 0xdeadbeef;
  lanes[1] = 0x41c6ce57;
  mixString(e.id);
  mixString(e.type);
  mixNumber(e.occurredAt);
  mixValue(e.data);
  return finish();
};

/**
 * The fingerprint of a JSON value of whatever shape, by the same walk: equal for two values exactly
 * when `JSON.stringify` writes them alike (up to the 2^-53 chance of a collision), without writing
 * them.
 */
export const jsonFingerprint = (v: unknown): number => {
  lanes[0] = 0xdeadbeef;
  lanes[1] = 0x41c6ce57;
  mixValue(v);
  return finish();
};

// ------------------------------------------------------------------------------------------------
// The Ledger's id rule: the fingerprint of what `encode` would write, without writing it

/**
 * How to hash what a codec's `encode` gives for a value: as an item (`value`: the tokens `mixValue`
 * feeds for `encode(v)`) and as an object member (`member`: those of key `k` and `encode(v)`, or none
 * when JSON leaves `encode(v)` out of an object).
 */
interface EncodedWalk {
  readonly value: (v: unknown) => void;
  readonly member: (k: string, v: unknown) => void;
}

const IDENTITY_WALK: EncodedWalk = {
  value: mixValue,
  member: (k, v) => {
    if (skipped(v)) return;
    mixKey(k);
    mixValue(v);
  },
};

const instantText = new Uint16Array(INSTANT_TEXT_LENGTH);

/**
 * The tokens of `mixString(formatInstant(v))`: its length, then its code units two to a token, as
 * {@link instantCodes} writes them (no string made); other values through formatInstant, which throws
 * for what Date cannot write (NaN), as encoding does.
 */
const mixInstant = (v: unknown): void => {
  // Not a number: formatInstant alone converts it (once, as encoding does).
  if (typeof v !== 'number' || !instantCodes(v, instantText)) return mixString(formatInstant(v as Instant));
  const c = instantText;
  let a = Math.imul((lanes[0] as number) ^ INSTANT_TEXT_LENGTH, K1);
  let b = Math.imul((lanes[1] as number) ^ INSTANT_TEXT_LENGTH, K2);
  for (let i = 0; i < INSTANT_TEXT_LENGTH; i += 2) {
    const pair = ((c[i] as number) << 16) | (c[i + 1] as number);
    a = Math.imul(a ^ pair, K1);
    b = Math.imul(b ^ pair, K2);
  }
  lanes[0] = a;
  lanes[1] = b;
};

const INSTANT_WALK: EncodedWalk = {
  value: mixInstant,
  member: (k, v) => {
    mixKey(k);
    mixInstant(v);
  },
};

/** Hash `encode(v)` by calling it: for codecs without a shape, and for values a shape does not cover. */
const encodingWalk = (codec: t.Mixed): EncodedWalk => ({
  value: (v) => mixValue(codec.encode(v)),
  member: (k, v) => {
    const encoded: unknown = codec.encode(v);
    if (skipped(encoded)) return;
    mixKey(k);
    mixValue(encoded);
  },
});

/** An encoder whose result is an object or an array, never left out of an object. */
const alwaysWritten = (value: (v: unknown) => void): EncodedWalk => ({
  value,
  member: (k, v) => {
    mixKey(k);
    value(v);
  },
});

const closedWalk = (codec: t.Mixed, keys: readonly string[], codecs: readonly t.Mixed[]): EncodedWalk => {
  const members = codecs.map((c) => walkOf(c).member);
  return alwaysWritten((a) => {
    // encode reads a member of null or undefined: let it throw as it does
    if (a === null || a === undefined) return mixValue(codec.encode(a));
    const o = a as Record<string, unknown>;
    mix(TAG_OBJECT);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = o[k];
      if (v !== undefined) (members[i] as EncodedWalk['member'])(k, v);
    }
    mix(END);
  });
};

/** A plain array, whose `map` keeps holes (written as null) and makes a plain array. */
const plainArray = (a: unknown): a is readonly unknown[] =>
  Array.isArray(a) && Object.getPrototypeOf(a) === Array.prototype && !Object.hasOwn(a, 'constructor');

const arrayWalk = (codec: t.Mixed, item: t.Mixed): EncodedWalk => {
  const each = walkOf(item).value;
  return alwaysWritten((a) => {
    if (!plainArray(a)) return mixValue(codec.encode(a));
    mix(TAG_ARRAY);
    mix(a.length);
    for (let i = 0; i < a.length; i++) {
      if (i in a) each(a[i]);
      else mix(TAG_NULL);
    }
  });
};

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
  lanes[0] = 0xdeadbeef;
  lanes[1] = 0x41c6ce57;
  mix(TAG_OBJECT);
  IDENTITY_WALK.member('id', e.id);
  IDENTITY_WALK.member('type', e.type);
  INSTANT_WALK.member('occurredAt', e.occurredAt);
  walkOf(data).member('data', e.data);
  mix(END);
  return finish();
};
