/**
 * An immutable map from ids to their latest value in recording order, with amortised O(1) updates:
 * versions share one append-only buffer and index (the same trick as {@link Timeline}), so the
 * deciders can keep alerts, work entries and the registry's indexes as plain values without copying
 * a map per event.
 */

interface Entry<V> {
  readonly key: string;
  readonly value: V;
  /** Position of the previous entry of the same key, or -1: older versions walk back along it. */
  readonly prev: number;
}

/** Latest value per key. Treat the fields as opaque; use the functions below. */
export interface KeyedLog<V> {
  readonly buffer: Entry<V>[];
  /** Position in `buffer` of each key's newest entry; shared by the versions of a buffer. */
  readonly index: Map<string, number>;
  readonly length: number;
}

/** A log with no key. */
export const emptyKeyedLog = <V>(): KeyedLog<V> => ({ buffer: [], index: new Map(), length: 0 });

/** The log with `key` set to `value`. */
export const keyedSet = <V>(log: KeyedLog<V>, key: string, value: V): KeyedLog<V> => {
  let { buffer, index } = log;
  if (buffer.length !== log.length) {
    // Someone already wrote after this version: fork buffer and index.
    buffer = buffer.slice(0, log.length);
    index = new Map();
    for (let i = 0; i < buffer.length; i++) index.set((buffer[i] as Entry<V>).key, i);
  }
  const position = buffer.length;
  buffer.push({ key, value, prev: index.get(key) ?? -1 });
  index.set(key, position);
  return { buffer, index, length: position + 1 };
};

/** The latest value of `key` in this version, or undefined. */
export const keyedGet = <V>(log: KeyedLog<V>, key: string): V | undefined => {
  let p = log.index.get(key) ?? -1;
  // Entries written after this version (by a newer version of the same buffer) are not ours.
  while (p >= log.length) p = (log.buffer[p] as Entry<V>).prev;
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
