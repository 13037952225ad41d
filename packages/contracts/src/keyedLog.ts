/**
 * An immutable map from ids to their latest value in recording order, with amortised O(1) updates:
 * versions share one append-only buffer and index (the same trick as {@link Timeline}), so the
 * deciders can keep alerts, work entries and the registry's indexes as plain values without copying
 * a map per event.
 */

import { SHORT_ARRAY, appended } from './smallArray.js';

interface Entry<V> {
  readonly key: string;
  readonly value: V;
  /** Position of the previous entry of the same key, or -1: older versions walk back along it. */
  readonly prev: number;
}

/** Latest value per key. Treat the fields as opaque; use the functions below. */
export interface KeyedLog<V> {
  readonly buffer: Entry<V>[];
  /**
   * Position in `buffer` of each key's newest entry; shared by the versions of a buffer. Absent
   * while the buffer is short: most logs (a ticket's work entries) hold a handful of keys, and a
   * Map per log would cost more memory than the entries themselves.
   */
  readonly index: Map<string, number> | undefined;
  readonly length: number;
}

/** Buffers longer than this get an index; shorter ones are scanned (and copied on append). */
const INDEX_FROM = SHORT_ARRAY;

const EMPTY: KeyedLog<never> = Object.freeze({
  buffer: Object.freeze([]) as never[],
  index: undefined,
  length: 0,
});

/** A log with no key (one shared value: appending to it always starts a new buffer). */
export const emptyKeyedLog = <V>(): KeyedLog<V> => EMPTY;

/** Position of the newest entry of `key` among the first `length` of `buffer`, or -1. */
const newest = <V>(log: KeyedLog<V>, key: string): number => {
  if (log.index === undefined) {
    for (let p = log.length - 1; p >= 0; p--) if ((log.buffer[p] as Entry<V>).key === key) return p;
    return -1;
  }
  let p = log.index.get(key) ?? -1;
  // Entries written after this version (by a newer version of the same buffer) are not ours.
  while (p >= log.length) p = (log.buffer[p] as Entry<V>).prev;
  return p;
};

/** The log with `key` set to `value`. */
export const keyedSet = <V>(log: KeyedLog<V>, key: string, value: V): KeyedLog<V> => {
  if (log.length === 0) return { buffer: [{ key, value, prev: -1 }], index: undefined, length: 1 };
  const prev = newest(log, key);
  let { buffer, index } = log;
  if (buffer.length !== log.length) {
    // Someone already wrote after this version: fork the buffer; the index is rebuilt below if needed.
    buffer = buffer.slice(0, log.length);
    index = undefined;
  }
  const position = buffer.length;
  buffer = appended(buffer, { key, value, prev });
  if (index !== undefined) index.set(key, position);
  else if (buffer.length > INDEX_FROM) {
    index = new Map();
    for (let i = 0; i < buffer.length; i++) index.set((buffer[i] as Entry<V>).key, i);
  }
  return { buffer, index, length: position + 1 };
};

/** The latest value of `key` in this version, or undefined. */
export const keyedGet = <V>(log: KeyedLog<V>, key: string): V | undefined => {
  const p = newest(log, key);
  return p < 0 ? undefined : (log.buffer[p] as Entry<V>).value;
};

/** Whether `key` has a value in this version. */
export const keyedHas = <V>(log: KeyedLog<V>, key: string): boolean => keyedGet(log, key) !== undefined;

/** Every key with its latest value, in order of first appearance. */
export const keyedEntries = <V>(log: KeyedLog<V>): [string, V][] => {
  const seen = new Map<string, V>();
  for (let i = 0; i < log.length; i++) {
    const e = log.buffer[i] as Entry<V>;
    seen.set(e.key, e.value);
  }
  return [...seen];
};
