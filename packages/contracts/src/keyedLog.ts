/**
 * An immutable map from ids to their latest value in recording order, with amortised O(1) updates:
 * versions share one append-only buffer and index (the same trick as {@link Timeline}), so the
 * deciders can keep alerts, work entries and the registry's indexes as plain values without copying
 * a map per event.
 */

import { SHORT_ARRAY } from './smallArray.js';

/**
 * Entries are stored flat, three slots each — key, value, and the position of the previous entry of
 * the same key (-1 if none), which older versions walk back along — rather than as an object each:
 * a ticket's work entries are the largest keyed logs, and an object per entry cost 48 bytes more.
 */
const STRIDE = 3;
type Slot = unknown;

/** Latest value per key. Treat the fields as opaque; use the functions below. */
export interface KeyedLog<V> {
  /** Entries in recording order, {@link STRIDE} slots each; shared by versions of one buffer. */
  readonly buffer: Slot[];
  /**
   * Position (entry number) in `buffer` of each key's newest entry; shared by the versions of a
   * buffer. Absent while the buffer is short: most logs (a ticket's work entries) hold a handful of
   * keys, and a Map per log would cost more memory than the entries themselves.
   */
  readonly index: Map<string, number> | undefined;
  /** Number of entries of this version. */
  readonly length: number;
  /** Phantom: the type of the values. */
  readonly _value?: V;
}

/** Buffers with more entries than this get an index; shorter ones are scanned (and copied on append). */
const INDEX_FROM = SHORT_ARRAY;

const EMPTY: KeyedLog<never> = Object.freeze({
  buffer: Object.freeze([]) as unknown as Slot[],
  index: undefined,
  length: 0,
});

/** A log with no key (one shared value: appending to it always starts a new buffer). */
export const emptyKeyedLog = <V>(): KeyedLog<V> => EMPTY;

const keyAt = (buffer: Slot[], p: number): string => buffer[p * STRIDE] as string;
const valueAt = <V>(buffer: Slot[], p: number): V => buffer[p * STRIDE + 1] as V;
const prevAt = (buffer: Slot[], p: number): number => buffer[p * STRIDE + 2] as number;

/** Position of the newest entry of `key` among the first `length` of `buffer`, or -1. */
const newest = <V>(log: KeyedLog<V>, key: string): number => {
  if (log.index === undefined) {
    for (let p = log.length - 1; p >= 0; p--) if (keyAt(log.buffer, p) === key) return p;
    return -1;
  }
  let p = log.index.get(key) ?? -1;
  // Entries written after this version (by a newer version of the same buffer) are not ours.
  while (p >= log.length) p = prevAt(log.buffer, p);
  return p;
};

/** The log with `key` set to `value`. */
export const keyedSet = <V>(log: KeyedLog<V>, key: string, value: V): KeyedLog<V> => {
  if (log.length === 0) return { buffer: [key, value, -1], index: undefined, length: 1 };
  const prev = newest(log, key);
  let { buffer, index } = log;
  if (buffer.length !== log.length * STRIDE) {
    // Someone already wrote after this version: fork the buffer; the index is rebuilt below if needed.
    buffer = buffer.slice(0, log.length * STRIDE);
    index = undefined;
  }
  const position = log.length;
  // Short buffers are copied at their exact size (see smallArray.ts), long ones pushed.
  if (position < SHORT_ARRAY) buffer = buffer.concat([key, value, prev]);
  else buffer.push(key, value, prev);
  if (index !== undefined) index.set(key, position);
  else if (position + 1 > INDEX_FROM) {
    index = new Map();
    for (let i = 0; i <= position; i++) index.set(keyAt(buffer, i), i);
  }
  return { buffer, index, length: position + 1 };
};

/**
 * The log that setting each of `entries` in turn would give, built in one pass (restoring a saved
 * log: `keyedSet` per entry allocates more and checks each key's history).
 */
export const keyedFromEntries = <V>(entries: readonly (readonly [string, V])[]): KeyedLog<V> => {
  if (entries.length <= INDEX_FROM) {
    let log = emptyKeyedLog<V>();
    for (const [k, v] of entries) log = keyedSet(log, k, v);
    return log;
  }
  const buffer: Slot[] = [];
  const index = new Map<string, number>();
  for (let p = 0; p < entries.length; p++) {
    const [key, value] = entries[p] as readonly [string, V];
    buffer.push(key, value, index.get(key) ?? -1);
    index.set(key, p);
  }
  return { buffer, index, length: entries.length };
};

/** The latest value of `key` in this version, or undefined. */
export const keyedGet = <V>(log: KeyedLog<V>, key: string): V | undefined => {
  const p = newest(log, key);
  return p < 0 ? undefined : valueAt<V>(log.buffer, p);
};

/** Whether `key` has a value in this version. */
export const keyedHas = <V>(log: KeyedLog<V>, key: string): boolean => keyedGet(log, key) !== undefined;

/**
 * `v` as a keyed log, if it is one: a plain object of exactly the fields of {@link KeyedLog}, in
 * their order. A snapshot's writer tells keyed logs among plain values this way, to write only their
 * {@link keyedEntries} (a reader makes the log again with {@link keyedFromEntries}: the same answers).
 */
export const asKeyedLog = (v: object): KeyedLog<unknown> | undefined => {
  // Most values have no `buffer`: told apart without listing their keys.
  if (!Array.isArray((v as { buffer?: unknown }).buffer)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 3 && keys[0] === 'buffer' && keys[1] === 'index' && keys[2] === 'length'
    ? (v as KeyedLog<unknown>)
    : undefined;
};

/** Every key with its latest value, in order of first appearance. */
export const keyedEntries = <V>(log: KeyedLog<V>): [string, V][] => {
  const seen = new Map<string, V>();
  for (let i = 0; i < log.length; i++) seen.set(keyAt(log.buffer, i), valueAt<V>(log.buffer, i));
  return [...seen];
};
