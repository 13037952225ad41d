/** Test helpers shared by the reader and decoder tests: byte streams cut anywhere, re-spelled JSON. */
import {
  readNdjson,
  type NdjsonItem,
  type NdjsonOptions,
  type RereadableChunks,
} from '../../src/internal.js';

/** `bytes` as a stream cut at the given offsets (sorted, clamped, empty pieces left out). */
export async function* chunksAt(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of cuts.toSorted((a, b) => a - b)) {
    const at = Math.min(cut, bytes.length);
    if (at > start) {
      yield bytes.subarray(start, at);
      start = at;
    }
  }
  yield bytes.subarray(start);
}

/** The same JSON value with every object's keys in reverse order. */
export const reverseKeys = (u: unknown): unknown =>
  Array.isArray(u)
    ? u.map(reverseKeys)
    : typeof u === 'object' && u !== null
      ? Object.fromEntries(
          Object.entries(u)
            .toReversed()
            .map(([k, v]) => [k, reverseKeys(v)]),
        )
      : u;

/**
 * `bytes` as a source that can read them again, cut at `cuts` like {@link chunksAt}: what the reader
 * sees from a file. `readAt` serves `again` (default: `bytes`, the same bytes) and counts its calls.
 */
export const rereadableAt = (
  bytes: Uint8Array,
  cuts: readonly number[],
  again: Uint8Array = bytes,
): RereadableChunks & { readonly reads: () => number } => {
  const chunks = chunksAt(bytes, cuts);
  let reads = 0;
  return {
    path: 'memory',
    next: () => chunks.next(),
    rereadable: () => true,
    readAt: (offset, into) => {
      reads += 1;
      const piece = again.subarray(
        Math.min(offset, again.length),
        Math.min(offset + into.length, again.length),
      );
      into.set(piece);
      return piece.length;
    },
    reads: () => reads,
  };
};

/** Every item `readNdjson` reads from `source`. */
export const collect = async (
  source: AsyncIterable<Uint8Array | string>,
  options?: NdjsonOptions,
): Promise<NdjsonItem[]> => {
  const out: NdjsonItem[] = [];
  for await (const item of readNdjson(source, options)) out.push(item);
  return out;
};
