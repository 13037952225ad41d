/** Partitions of the read model: which worker owns a contract, and each worker's checkpoint name. */
import * as E from 'fp-ts/lib/Either.js';

/** Worker `index` of `count` (0 ≤ index < count). */
export interface Partition {
  readonly index: number;
  readonly count: number;
}

/**
 * The partition (0 … count − 1) a contract belongs to: the 32-bit FNV-1a hash of the contract id's
 * UTF-8 bytes (offset basis 2166136261, prime 16777619), as an unsigned integer, modulo `count`.
 * Stable across processes, machines and versions: it depends on nothing but the id.
 */
export const partitionOfContract = (contractId: string, count: number): number => {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(contractId, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
};

/** `i/n` as a partition, or why it is none. */
export const parsePartition = (text: string): E.Either<string, Partition> => {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  if (m === null) return E.left('expected i/n, e.g. 0/2 (worker 0 of 2)');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return E.left('n must be at least 1');
  if (index >= count) return E.left(`i must be below n (0 … ${count - 1})`);
  return E.right({ index, count });
};

/** The checkpoint name of a read-model worker: `billing-read-model`, or `billing-read-model:i/n`. */
export const readModelName = (partition: Partition = WHOLE): string =>
  partition.count === 1 ? 'billing-read-model' : `billing-read-model:${partition.index}/${partition.count}`;

export const WHOLE: Partition = { index: 0, count: 1 };
