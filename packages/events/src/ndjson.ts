/**
 * Streaming NDJSON reader of event logs (spec §2): splits byte chunks on newlines, decodes each line
 * once, and applies the id rule — an identical repeat of an event is a `duplicate` (at-least-once
 * delivery), the same id with other content is invalid. Bad input never throws: every refused line
 * comes back as an `invalid` item with its 1-based line number and a reason, so that commands can
 * report each one (spec §2, "Invalid events"). Memory stays bounded by `maxLineBytes` whatever the
 * input: an over-long line is skipped up to its newline, never accumulated. `readNdjson` yields item
 * by item; `readNdjsonBatches` yields the same items a chunk at a time, for folds over whole logs.
 * The reader does no I/O: it takes any async iterable of chunks (a file's or a socket's bytes, an
 * array of strings), and opening files or standard input is the caller's business.
 */
import { isAscii } from 'node:buffer';
import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from './catalog.js';
import { decodeEvent, type DecodeError } from './decode.js';
import { eventFingerprint } from './fingerprint.js';
import { IdTable } from './storage/idTable.js';
import { parseJsonLine } from './storage/jsonLine.js';

/** Why a line was refused: a {@link DecodeError}, or a reader-level tag (line too long, bad UTF-8, …). */
export interface NdjsonLineError {
  readonly _tag: string;
  readonly reason: string;
  /** One line, `<path>: <reason>` for decode errors, else the reason. */
  readonly message: string;
  readonly eventId?: string;
}

/** One item of an NDJSON log: a decoded event, a refused line, or an ignored identical repeat. */
export type NdjsonItem =
  | { readonly kind: 'event'; readonly line: number; readonly event: DomainEvent }
  | { readonly kind: 'invalid'; readonly line: number; readonly error: NdjsonLineError }
  | {
      readonly kind: 'duplicate';
      readonly line: number;
      readonly eventId: string;
      readonly firstLine: number;
    };

/** Counters the reader keeps up to date while it runs (pass an object to observe them). */
export interface NdjsonStats {
  /** Physical lines seen so far. */
  lines: number;
  /** The most bytes of an unfinished line the reader ever held at once (bounded by maxLineBytes + 4: a CR, and a BOM on line 1). */
  maxBufferedBytes: number;
}

/** Options of {@link readNdjson}. */
export interface NdjsonOptions {
  /** Longest accepted line in bytes, without its line ending. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /** Apply the id rule (duplicates, reused ids). Default true. */
  readonly dedupe?: boolean;
  /** Decoder of one parsed line. Default {@link decodeEvent} (the v1 catalog). */
  readonly decode?: (u: unknown) => Either<DecodeError, DomainEvent>;
  /**
   * What makes two events with the same id "identical" (spec §2). Default: with the default decoder,
   * text equal exactly when {@link canonicalEvent} is; with a custom `decode`, a key-sorted rendering
   * of the decoded event (the v1 encoder would drop fields a newer catalog added).
   */
  readonly fingerprint?: (e: DomainEvent) => string;
  /** Filled in while reading; for tests and diagnostics. */
  readonly stats?: NdjsonStats;
}

/**
 * Where a read resumes a log it read in part before (a snapshot of its fold, @msp-billing/billing):
 * the id table of the id rule so far, which it goes on filling, and the number of its first line.
 */
export interface NdjsonResume {
  readonly ids?: IdTable;
  readonly firstLine?: number;
}

/** Default longest line: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1_048_576;

const LF = 0x0a;
const CR = 0x0d;

/**
 * cyrb53 (public domain, bryc): a fast 53-bit string hash, of the text a custom fingerprint gives
 * (the default one, {@link eventFingerprint}, hashes decoded values the same way). Keeping 53 bits
 * instead of the text holds the id rule at about 34 bytes per event id outside the JS heap (see
 * {@link IdTable}) on multi-million-event logs; a collision would need the same id *and* a 2^-53
 * chance, and would only turn an invalid repeat into a duplicate.
 */
export const cyrb53 = (s: string, seed = 0): number => {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : 1);

const sortKeys = (_k: string, v: unknown): unknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).toSorted(byKey))
    : v;

/** JSON with object keys sorted, so that key order on the wire does not matter. */
const sortedJson = (u: unknown): string => JSON.stringify(u, sortKeys);

/**
 * The fingerprint the id rule compares. For events from {@link decodeEvent} the content compared is
 * the JSON text of the decoded event (`decodedJson`), as canonical as {@link canonicalEvent}: the
 * decoder builds the envelope and every `data` object in catalog key order whatever the wire order,
 * fills in defaults, and holds instants as epoch ms, so two events have equal text exactly when their
 * canonicalEvent texts are equal (the reader's tests and properties check this). That text is never
 * rendered: {@link eventFingerprint} hashes the same content straight from the decoded values, at a
 * quarter of the cost of JSON.stringify + cyrb53.
 */
const fingerprintOf = (
  decode: NonNullable<NdjsonOptions['decode']>,
  fingerprint: NdjsonOptions['fingerprint'],
): ((e: DomainEvent) => number) => {
  if (fingerprint !== undefined) return (e) => cyrb53(fingerprint(e));
  return decode === decodeEvent ? eventFingerprint : (e) => cyrb53(sortedJson(e));
};

const lineError = (_tag: string, reason: string, eventId?: string): NdjsonLineError => ({
  _tag,
  reason,
  message: reason,
  ...(eventId === undefined ? {} : { eventId }),
});

/** An error's message on one short line: V8 quotes part of the input, which may hold control chars. */
const oneLine = (err: unknown): string => {
  let raw: string;
  try {
    raw = err instanceof Error ? String(err.message) : String(err);
  } catch {
    raw = 'unprintable error'; // a thrown value whose toString throws must not escape
  }
  // eslint-disable-next-line no-control-regex
  const flat = raw.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
};

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === CR || c === 0x0b || c === 0x0c;

/** Whether every byte of `b` is ASCII whitespace (space, tab, CR, VT, FF); true for an empty line. */
const isBlank = (b: Uint8Array): boolean => {
  for (let i = 0; i < b.length; i++) if (!isSpace(b[i] as number)) return false;
  return true;
};

/** {@link isBlank} of the ASCII line `text[from, to)`. */
const isBlankText = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
};

/** A chunk as a Buffer (a view of the same memory, for Buffer's native slicing). */
const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

const concat = (parts: readonly Uint8Array[], total: number): Uint8Array => {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/**
 * Bytes of complete lines turned to text at once (a 256 KiB chunk, what the CLI reads from a file at
 * a time, is about three windows). Below V8's largest regular heap object (128 KiB), so that a
 * window's text, one character per byte, is an ordinary young string: a larger one is allocated in the large-object space, which
 * only a full GC frees. 256 KiB windows left ~17 MB more at the peak of a 1M-event fold (96 KiB:
 * 490 / 494 MB, 256 KiB: 511 / 510 MB), 1 MiB ones, external strings, ~60 MB more
 * (docs/benchmarks.md).
 */
const WINDOW_BYTES = 98_304;

/** A byte that is not ASCII, in text that holds one character per byte. */
const NON_ASCII = /[\u0080-\u00ff]/g;

/** The bytes of line number `line` without its newline: without a CR before it, nor line 1's BOM. */
const lineContent = (raw: Uint8Array, line: number): Uint8Array => {
  let bytes = raw;
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  if (line === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    bytes = bytes.subarray(3);
  return bytes;
};

/** Most items in one batch of {@link readNdjsonBatches}. */
const MAX_BATCH = 8192;

/**
 * The reader's state between chunks, and its per-line work: one instance per read, whose methods
 * (not closures) the hot loop calls. The complete lines of a chunk are turned into text a window at
 * a time, one character per byte (latin1: a copy, where decoding UTF-8 costs several times more), and
 * an ASCII line is cut from that text: its bytes are its UTF-8 characters. Any other line is decoded
 * from its bytes, as are a line that continues an earlier chunk and a line longer than the window.
 * Both ways check the same things in the same order (a CR, the BOM of line 1, the length in bytes,
 * blankness, UTF-8, JSON) and so give the same items.
 */
class LineReader {
  private readonly maxLineBytes: number;
  private readonly dedupe: boolean;
  private readonly decode: NonNullable<NdjsonOptions['decode']>;
  private readonly fingerprint: (e: DomainEvent) => number;
  private readonly stats: NdjsonStats;
  // ignoreBOM: keep a BOM in the text, so that one in mid-file is refused as bad JSON; only the BOM at
  // the very start of the stream is dropped.
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly seen: IdTable;
  private readonly tooLong: string;
  private lineNo: number;

  // The unfinished line: copies of the chunk tails it is made of (a source may reuse its buffer once
  // it has yielded it), and their byte count. Up to maxLineBytes + 1 bytes are kept, the extra one
  // for a CR that the line ending will strip. A line that ends inside its chunk is never copied.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private discarding = false;

  // The current chunk and the offset of its next line; the window of complete lines from `pos` as
  // one character per byte, the offset in it of the next line, and of the first non-ASCII byte from
  // there on (-1: not looked for yet).
  private chunk: Buffer = Buffer.alloc(0);
  private pos = 0;
  private text: string | undefined = undefined;
  private textPos = 0;
  private nonAscii = -1;

  constructor(options: NdjsonOptions, resume: NdjsonResume = {}) {
    this.seen = resume.ids ?? new IdTable();
    this.lineNo = (resume.firstLine ?? 1) - 1;
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1)
      throw new RangeError(`maxLineBytes must be a positive integer (got ${maxLineBytes})`);
    this.maxLineBytes = maxLineBytes;
    this.dedupe = options.dedupe ?? true;
    this.decode = options.decode ?? decodeEvent;
    this.fingerprint = fingerprintOf(this.decode, options.fingerprint);
    this.stats = options.stats ?? { lines: 0, maxBufferedBytes: 0 };
    this.tooLong = `line is longer than ${maxLineBytes} bytes`;
  }

  /** Start on the next chunk of the source (the previous one must have been read to its end). */
  push(chunk: Uint8Array | string): void {
    this.chunk = toBuffer(chunk);
    this.pos = 0;
    this.text = undefined;
  }

  /** The next item of the current chunk, or undefined when it has no more complete line. */
  next(): NdjsonItem | undefined {
    for (;;) {
      if (this.text !== undefined) {
        const item = this.fromWindow(this.text);
        if (item !== undefined) return item;
        continue;
      }
      const bytes = this.chunk;
      const pos = this.pos;
      if (pos >= bytes.length) return undefined;
      if (this.pendingBytes === 0 && !this.discarding && this.openWindow()) continue;
      const nl = bytes.indexOf(LF, pos);
      if (nl === -1) {
        this.keep(pos === 0 ? bytes : bytes.subarray(pos));
        this.pos = bytes.length;
        return undefined;
      }
      this.pos = nl + 1;
      const item = this.endLine(bytes.subarray(pos, nl));
      if (item !== undefined) return item;
    }
  }

  /** The item of a last line without a newline, if any; call once the source has ended. */
  end(): NdjsonItem | undefined {
    return this.discarding || this.pendingBytes > 0 ? this.endLine(new Uint8Array(0)) : undefined;
  }

  /** Take the complete lines from `pos`, up to WINDOW_BYTES, as a window; false when there are none. */
  private openWindow(): boolean {
    const bytes = this.chunk;
    const pos = this.pos;
    const last = bytes.lastIndexOf(LF, Math.min(bytes.length, pos + WINDOW_BYTES) - 1);
    if (last < pos) return false; // no newline within the window: the line is read from its bytes
    this.text = bytes.toString('latin1', pos, last + 1);
    this.textPos = 0;
    // A window all ASCII (most are) needs no search for the first byte that is not: node checks its
    // bytes ~50 times faster than the regular expression scans the text.
    this.nonAscii = isAscii(bytes.subarray(pos, last + 1)) ? this.text.length : -1;
    return true;
  }

  /** The next line of the window (which ends with a newline); at its end, `pos` moves past it. */
  private fromWindow(text: string): NdjsonItem | undefined {
    const from = this.textPos;
    if (from >= text.length) {
      this.text = undefined;
      this.pos += text.length;
      return undefined;
    }
    const nl = text.indexOf('\n', from);
    this.textPos = nl + 1;
    if (this.nonAscii < from) {
      NON_ASCII.lastIndex = from;
      this.nonAscii = NON_ASCII.exec(text)?.index ?? text.length;
    }
    if (this.nonAscii >= nl) return this.fromAscii(text, from, nl);
    return this.fromBytes(this.chunk.subarray(this.pos + from, this.pos + nl));
  }

  private nextLine(): number {
    this.lineNo += 1;
    this.stats.lines = this.lineNo;
    return this.lineNo;
  }

  private lineTooLong(line: number): NdjsonItem {
    return { kind: 'invalid', line, error: lineError('LineTooLong', this.tooLong) };
  }

  /**
   * The ASCII line `text[from, to)` of a window (`to` is its newline): {@link fromBytes} of its bytes,
   * which are its characters (and cannot start with a BOM, nor fail to be UTF-8).
   */
  private fromAscii(text: string, from: number, to: number): NdjsonItem | undefined {
    const line = this.nextLine();
    const end = to > from && text.charCodeAt(to - 1) === CR ? to - 1 : to;
    if (end - from > this.maxLineBytes) return this.lineTooLong(line);
    if (end === from || text.charCodeAt(from) <= 0x20) if (isBlankText(text, from, end)) return undefined;
    return this.fromJson(line, text.slice(from, end));
  }

  /** A line from its bytes (without the newline). */
  private fromBytes(raw: Uint8Array): NdjsonItem | undefined {
    const line = this.nextLine();
    const bytes = lineContent(raw, line);
    if (bytes.length > this.maxLineBytes) return this.lineTooLong(line);
    // Only a line that starts with whitespace can be blank; JSON lines start with `{`.
    if (bytes.length === 0 || (bytes[0] as number) <= 0x20) if (isBlank(bytes)) return undefined;
    let text: string;
    try {
      text = this.utf8.decode(bytes);
    } catch {
      return { kind: 'invalid', line, error: lineError('InvalidUtf8', 'invalid UTF-8') };
    }
    return this.fromJson(line, text);
  }

  /** Parse, decode and apply the id rule to the text of a non-blank line. */
  private fromJson(line: number, text: string): NdjsonItem {
    let parsed: unknown;
    try {
      parsed = parseJsonLine(text);
    } catch (err) {
      return { kind: 'invalid', line, error: lineError('InvalidJson', `invalid JSON: ${oneLine(err)}`) };
    }
    let event: DomainEvent;
    let hash = 0;
    try {
      const r = this.decode(parsed);
      if (r._tag === 'Left') return { kind: 'invalid', line, error: r.left };
      event = r.right;
      if (this.dedupe) hash = this.fingerprint(event);
    } catch (err) {
      // A decoder must not throw; if a custom one does, the line is still reported, not the run lost.
      return { kind: 'invalid', line, error: lineError('DecodeError', `decoder failed: ${oneLine(err)}`) };
    }
    if (!this.dedupe) return { kind: 'event', line, event };
    return this.idRule(line, event, hash);
  }

  /** Spec §2: an identical repeat of an id is a duplicate, the same id with other content invalid. */
  private idRule(line: number, event: DomainEvent, hash: number): NdjsonItem {
    const seen = this.seen.findOrAdd(event.id, line, hash);
    if (seen < 0) return { kind: 'event', line, event };
    return this.repeat(line, event.id, seen, this.seen.fingerprintOf(seen) === hash);
  }

  /** The item of a line whose event id an earlier event used: a duplicate when `identical`. */
  private repeat(line: number, id: string, seen: number, identical: boolean): NdjsonItem {
    const first = this.seen.lineOf(seen);
    if (identical) return { kind: 'duplicate', line, eventId: id, firstLine: first };
    return {
      kind: 'invalid',
      line,
      error: lineError(
        'EventIdReused',
        `event id ${JSON.stringify(id)} was already used on line ${first} for a different event`,
        id,
      ),
    };
  }

  /** Line 1 may also carry the 3-byte BOM, stripped before the length is checked. */
  private keepLimit(): number {
    return this.maxLineBytes + 1 + (this.lineNo === 0 ? 3 : 0);
  }

  /** Finish the current line with `tail` (the bytes before its newline). */
  private endLine(tail: Uint8Array): NdjsonItem | undefined {
    if (this.discarding) {
      this.discarding = false;
      this.pending = [];
      this.pendingBytes = 0;
      return this.lineTooLong(this.nextLine());
    }
    if (this.pendingBytes === 0) return this.fromBytes(tail);
    if (this.pendingBytes + tail.length > this.keepLimit()) {
      this.pending = [];
      this.pendingBytes = 0;
      return this.lineTooLong(this.nextLine());
    }
    this.pending.push(tail);
    const whole = concat(this.pending, this.pendingBytes + tail.length);
    this.pending = [];
    this.pendingBytes = 0;
    return this.fromBytes(whole);
  }

  /** Keep `rest` (bytes of a line whose newline has not come yet), or start discarding it. */
  private keep(rest: Uint8Array): void {
    if (this.discarding || rest.length === 0) return;
    if (this.pendingBytes + rest.length > this.keepLimit()) {
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      return;
    }
    this.pending.push(new Uint8Array(rest));
    this.pendingBytes += rest.length;
    if (this.pendingBytes > this.stats.maxBufferedBytes) this.stats.maxBufferedBytes = this.pendingBytes;
  }
}

/**
 * Read an NDJSON event log. Yields, in line order, one item per non-blank line: the decoded event,
 * the reason it was refused, or that it repeats an earlier identical event. Line numbers are 1-based
 * and count every physical line. Only a failure of `source` itself propagates. Each line is read
 * when its item is asked for.
 */
export async function* readNdjson(
  source: AsyncIterable<Uint8Array | string>,
  options: NdjsonOptions = {},
): AsyncGenerator<NdjsonItem> {
  const reader = new LineReader(options);
  for await (const chunk of source) {
    reader.push(chunk);
    for (let item = reader.next(); item !== undefined; item = reader.next()) yield item;
  }
  // A last line without a newline still counts.
  const last = reader.end();
  if (last !== undefined) yield last;
}

/**
 * The items of {@link readNdjson}, the same ones in the same order, in batches: all the lines that
 * one chunk of `source` completes (at most 8192 items a batch; never an empty batch). For consumers
 * that handle many items per await, such as a fold over a whole log: one await per chunk instead of
 * one per line. The lines of a chunk are read before its batch is yielded, and the next chunk is
 * asked for only after the consumer has taken it.
 */
export async function* readNdjsonBatches(
  source: AsyncIterable<Uint8Array | string>,
  options: NdjsonOptions = {},
  resume: NdjsonResume = {},
): AsyncGenerator<readonly NdjsonItem[]> {
  const reader = new LineReader(options, resume);
  for await (const chunk of source) {
    reader.push(chunk);
    let batch: NdjsonItem[] = [];
    for (let item = reader.next(); item !== undefined; item = reader.next()) {
      batch.push(item);
      if (batch.length === MAX_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  const last = reader.end();
  if (last !== undefined) yield [last];
}
