/** Test helpers shared by the reader and decoder tests: byte streams cut anywhere, re-spelled JSON. */
import { readNdjson, type NdjsonItem, type NdjsonOptions } from '../../src/internal.js';

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

/** Every item `readNdjson` reads from `source`. */
export const collect = async (
  source: AsyncIterable<Uint8Array | string>,
  options?: NdjsonOptions,
): Promise<NdjsonItem[]> => {
  const out: NdjsonItem[] = [];
  for await (const item of readNdjson(source, options)) out.push(item);
  return out;
};
