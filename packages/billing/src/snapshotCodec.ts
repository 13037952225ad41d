/**
 * The building blocks of a Ledger snapshot's bytes (snapshot.ts): a sequence of chunks, each a JSON
 * text or a typed column written as raw little-endian bytes, and the explicit JSON encoding of the
 * values the facts hold (records, lists, Maps, decimals, the numbers JSON has no text for).
 *
 * A chunk is an 8-byte head (its kind, u32; its length in bytes, u32) and its bytes, padded with
 * zeros to a multiple of 8, so that every chunk starts 8-aligned.
 */
import { asKeyedLog, keyedEntries, keyedFromEntries } from '@msp-billing/contracts/internal';
import { Dec } from './money.js';

/** The kinds of chunk, by their code. */
const KINDS = ['json', 'u8', 'u16', 'u32', 'i32', 'f64'] as const;
type Kind = (typeof KINDS)[number];

/** A typed column a chunk holds. */
export type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const kindOf = (c: Column): Kind =>
  c instanceof Uint8Array
    ? 'u8'
    : c instanceof Uint16Array
      ? 'u16'
      : c instanceof Uint32Array
        ? 'u32'
        : c instanceof Int32Array
          ? 'i32'
          : 'f64';

/** Whether this machine keeps typed arrays little-endian (the bytes are written as they are in memory). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const pad = (n: number): number => (8 - (n % 8)) % 8;

/** Chunks written one after the other. */
export class ChunkWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(kind: Kind, bytes: Uint8Array): void {
    const head = new Uint8Array(8);
    const view = new DataView(head.buffer);
    view.setUint32(0, KINDS.indexOf(kind), true);
    view.setUint32(4, bytes.byteLength, true);
    this.parts.push(head, bytes);
    const p = pad(bytes.byteLength);
    if (p > 0) this.parts.push(new Uint8Array(p));
    this.size += 8 + bytes.byteLength + p;
  }

  /** A JSON chunk of `value` (already encoded: JSON.stringify must keep it exactly). */
  json(value: unknown): void {
    this.push('json', new TextEncoder().encode(JSON.stringify(value)));
  }

  /** A column chunk: the first `length` values of `c` (all by default). */
  column(c: Column, length = c.length): void {
    const view = c.subarray(0, length);
    this.push(kindOf(c), new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }

  /** Every chunk after `prefix`, as one array. */
  bytes(prefix: Uint8Array): Uint8Array {
    const out = new Uint8Array(prefix.byteLength + this.size);
    out.set(prefix);
    let at = prefix.byteLength;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}

/** A snapshot's bytes that do not read as one: why, in one line. */
export class SnapshotDamaged extends Error {}

/**
 * What a part of a restored snapshot read only when first asked for says when it does not read
 * (`err` is why): one line, naming the part.
 */
export const damagedLater = (what: string, err: unknown): SnapshotDamaged =>
  new SnapshotDamaged(`snapshot unreadable: ${what}: ${err instanceof Error ? err.message : String(err)}`);

const parseJson = (bytes: Uint8Array): unknown =>
  JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;

/**
 * Chunks read back in the order they were written; each read checks the chunk's kind and length.
 * `inPlace`: a column is a view of `bytes` where its start allows one (the caller gives the bytes up
 * to what it restores), else a copy.
 */
export class ChunkReader {
  private at: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly inPlace = false,
  ) {
    this.at = start;
  }

  private next(kind: Kind): Uint8Array {
    const b = this.bytes;
    if (this.at + 8 > b.byteLength)
      throw new SnapshotDamaged(`it ends at byte ${b.byteLength}, inside its data`);
    const view = new DataView(b.buffer, b.byteOffset + this.at, 8);
    const code = view.getUint32(0, true);
    const length = view.getUint32(4, true);
    if (KINDS[code] !== kind)
      throw new SnapshotDamaged(
        `byte ${this.at}: a ${KINDS[code] ?? `kind ${code}`} chunk where a ${kind} one belongs`,
      );
    const start = this.at + 8;
    if (start + length > b.byteLength)
      throw new SnapshotDamaged(`it ends at byte ${b.byteLength}, inside a chunk of ${length} bytes`);
    this.at = start + length + pad(length);
    return b.subarray(start, start + length);
  }

  /** The next chunk, a JSON text, parsed. */
  json(): unknown {
    return parseJson(this.next('json'));
  }

  /** The next chunk, a JSON text, kept (a copy of its bytes) to be parsed when the result is called. */
  jsonLater(): () => unknown {
    const bytes = Uint8Array.from(this.next('json'));
    return () => parseJson(bytes);
  }

  /**
   * The next chunk, a column of `n` values (any number if undefined) of the kind of `like`: a copy,
   * or a view of the bytes when read in place.
   */
  column<T extends Column>(like: T, n?: number): T {
    const kind = kindOf(like);
    const raw = this.next(kind);
    const width = (like.constructor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    if (n === undefined ? raw.byteLength % width !== 0 : raw.byteLength !== n * width)
      throw new SnapshotDamaged(
        `a ${kind} column of ${raw.byteLength / width} values where ${n ?? 'whole'} belong`,
      );
    const make = like.constructor as new (b: ArrayBufferLike, offset?: number, length?: number) => T;
    if (this.inPlace && raw.byteOffset % width === 0)
      return new make(raw.buffer, raw.byteOffset, raw.byteLength / width);
    // A copy with its own buffer (not `slice`: a Node Buffer's slice is a view of the same memory).
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    return new make(copy.buffer);
  }

  /** The next chunk, a column of one of the kinds of `likes`, of `n` values (any number if undefined). */
  columnOf<T extends Column>(likes: readonly T[], n?: number): T {
    const b = this.bytes;
    if (this.at + 8 > b.byteLength)
      throw new SnapshotDamaged(`it ends at byte ${b.byteLength}, inside its data`);
    const code = new DataView(b.buffer, b.byteOffset + this.at, 8).getUint32(0, true);
    const like = likes.find((l) => KINDS.indexOf(kindOf(l)) === code);
    if (like === undefined) throw new SnapshotDamaged(`byte ${this.at}: a column of an unexpected kind`);
    return this.column(like, n);
  }

  /** Whether every byte was read. */
  get done(): boolean {
    return this.at === this.bytes.byteLength;
  }
}

// ------------------------------------------------------------------------------------------------
// Values as JSON. Strings, booleans, null and finite numbers are themselves. A plain record is a
// list: the number of its shape (its keys in order, and which of them hold undefined, in a table
// written once), then the values of the other keys; so a million records of one kind write their
// keys once, not a million times. A list is a list headed by -1. Everything else is a record of one
// key starting with `$`: `$u` undefined (in a list or a Map), `$n` a number JSON has no text for (-0, NaN, ±Infinity),
// `$d` a decimal (its digits), `$m` a Map (its entries), `$a` a typed array (its kind and values),
// `$k` a keyed log of @msp-billing/contracts (its keys with their latest values, in order: not the
// values they replaced, nor its index, which the reader makes again).
// Anything else (an instance of a class) is refused when written.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A record's shape: its keys in order, and the positions of those whose value is undefined. */
export type Shape = readonly [keys: readonly string[], undefinedAt: readonly number[]];

const TYPED: Record<string, new (values: number[]) => Column> = {
  u8: Uint8Array as unknown as new (values: number[]) => Column,
  u16: Uint16Array as unknown as new (values: number[]) => Column,
  u32: Uint32Array as unknown as new (values: number[]) => Column,
  i32: Int32Array as unknown as new (values: number[]) => Column,
  f64: Float64Array as unknown as new (values: number[]) => Column,
};

/** The head of a list: -1, where a record's is the number of its shape. */
const LIST = -1;

const encodeNumber = (n: number): Json =>
  Number.isFinite(n) && !Object.is(n, -0) ? n : { $n: Object.is(n, -0) ? '-0' : String(n) };

/** Values encoded as JSON, and the table of the shapes of their records. */
export class ValueEncoder {
  readonly shapes: Shape[] = [];
  private readonly byKey = new Map<string, number>();

  private shapeOf(keys: readonly string[], undefinedAt: readonly number[]): number {
    const key = JSON.stringify([keys, undefinedAt]);
    let n = this.byKey.get(key);
    if (n === undefined) {
      n = this.shapes.length;
      this.shapes.push([keys, undefinedAt]);
      this.byKey.set(key, n);
    }
    return n;
  }

  /** `v` as JSON that a {@link ValueDecoder} of {@link ValueEncoder.shapes} makes an equal value of again. */
  encode(v: unknown): Json {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return encodeNumber(v);
      case 'undefined':
        return { $u: 0 };
      case 'object': {
        if (v === null) return null;
        if (Array.isArray(v)) {
          const list: Json[] = [LIST];
          for (const x of v as unknown[]) list.push(this.encode(x));
          return list;
        }
        if (v instanceof Dec) return { $d: v.isZero() && v.isNeg() ? '-0' : v.toString() };
        if (v instanceof Map)
          return { $m: Array.from(v as Map<unknown, unknown>, ([k, x]) => [this.encode(k), this.encode(x)]) };
        if (ArrayBuffer.isView(v) && !(v instanceof DataView))
          return { $a: [kindOf(v as Column), Array.from(v as Column, encodeNumber)] };
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null)
          throw new Error(`a snapshot cannot hold a ${(v as object).constructor.name}`);
        const log = asKeyedLog(v);
        if (log !== undefined) return { $k: keyedEntries(log).map(([k, x]) => [k, this.encode(x)]) };
        const keys = Object.keys(v);
        const undefinedAt: number[] = [];
        const out: Json[] = [0];
        keys.forEach((k, at) => {
          const x = (v as Record<string, unknown>)[k];
          if (x === undefined) undefinedAt.push(at);
          else out.push(this.encode(x));
        });
        out[0] = this.shapeOf(keys, undefinedAt);
        return out;
      }
      default:
        throw new Error(`a snapshot cannot hold a ${typeof v}`);
    }
  }
}

const decodeNumber = (j: Json): number => {
  if (typeof j === 'number') return j;
  const tag = (j as { $n?: unknown }).$n;
  if (tag === '-0') return -0;
  if (tag === 'NaN' || tag === 'Infinity' || tag === '-Infinity') return Number(tag);
  throw new SnapshotDamaged(`not a number: ${JSON.stringify(j)}`);
};

/** Values decoded from the JSON a {@link ValueEncoder} wrote, with its table of shapes. */
export class ValueDecoder {
  /** Per shape: its keys, and for each key whether its value is undefined. */
  private readonly shapes: { readonly keys: readonly string[]; readonly absent: readonly boolean[] }[];

  constructor(shapes: readonly Shape[]) {
    this.shapes = shapes.map(([keys, undefinedAt]) => {
      if (!Array.isArray(keys) || !Array.isArray(undefinedAt))
        throw new SnapshotDamaged('a shape that is not one');
      const absent = keys.map(() => false);
      for (const at of undefinedAt) absent[at] = true;
      return { keys, absent };
    });
  }

  /** The value encoded as `j`. */
  decode(j: Json): unknown {
    if (j === null || typeof j !== 'object') return j;
    if (Array.isArray(j)) {
      if (j[0] === LIST) {
        const list: unknown[] = [];
        for (let k = 1; k < j.length; k++) list.push(this.decode(j[k] as Json));
        return list;
      }
      const shape = this.shapes[j[0] as number];
      if (shape === undefined) throw new SnapshotDamaged(`a record of an unknown shape ${String(j[0])}`);
      const out: Record<string, unknown> = {};
      const { keys, absent } = shape;
      let p = 1;
      for (let k = 0; k < keys.length; k++)
        out[keys[k] as string] = absent[k] === true ? undefined : this.decode(j[p++] as Json);
      return out;
    }
    const keys = Object.keys(j);
    const key = keys[0];
    if (keys.length !== 1 || key === undefined) throw new SnapshotDamaged('a value of no known kind');
    const x = j[key] as Json;
    switch (key) {
      case '$u':
        return undefined;
      case '$n':
        return decodeNumber(j);
      case '$d':
        return new Dec(x as string);
      case '$m':
        return new Map((x as [Json, Json][]).map(([k, y]) => [this.decode(k), this.decode(y)]));
      case '$k': {
        if (!Array.isArray(x)) throw new SnapshotDamaged('a keyed log that is not a list');
        return keyedFromEntries(
          x.map((e) => {
            if (!Array.isArray(e) || typeof e[0] !== 'string')
              throw new SnapshotDamaged('a keyed log entry that is not one');
            return [e[0], this.decode(e[1] as Json)] as const;
          }),
        );
      }
      case '$a': {
        const [kind, values] = x as [string, Json[]];
        const make = TYPED[kind];
        if (make === undefined) throw new SnapshotDamaged(`an unknown typed array kind ${kind}`);
        return new make(values.map(decodeNumber));
      }
      default:
        throw new SnapshotDamaged(`an unknown value tag ${key}`);
    }
  }
}

/** JSON as a {@link ValueEncoder} writes it. */
export type { Json };
