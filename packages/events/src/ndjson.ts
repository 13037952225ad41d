/**
 * Streaming NDJSON reader of event logs (spec §2): splits byte chunks on newlines, decodes each line
 * once, and applies the id rule — an identical repeat of an event is a `duplicate` (at-least-once
 * delivery), the same id with other content is invalid. Bad input never throws: every refused line
 * comes back as an `invalid` item with its 1-based line number and a reason, so that commands can
 * report each one (spec §2, "Invalid events"). Memory stays bounded by `maxLineBytes` whatever the
 * input: an over-long line is skipped up to its newline, never accumulated. `readNdjson` yields item
 * by item; `readNdjsonBatches` yields the same items a chunk at a time, for folds over whole logs.
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from './catalog.js';
import { decodeEvent, type DecodeError } from './decode.js';
import { eventFingerprint } from './fingerprint.js';
import { IdTable } from './idTable.js';
import { parseJsonLine } from './jsonLine.js';

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
 * A source of chunks that can read its bytes again, as a regular file can (a pipe cannot): the reader
 * then keeps where each event's line starts instead of a fingerprint of every event, and computes the
 * fingerprints of spec §2's id rule only for the ids that come again (see `LineReader.lazyIdRule`). The
 * iterator of {@link openEventSource} on a file is one.
 */
export interface RereadableChunks extends AsyncIterator<Uint8Array> {
  /** The source's name in error messages: a file's path. */
  readonly path: string;
  /** Whether the bytes read so far can be read again; asked once, after the first chunk. */
  readonly rereadable: () => boolean;
  /**
   * Copy the bytes from `offset` into `into`, synchronously; how many were copied (fewer at the end,
   * 0 past it). Throws a {@link SourceUnreadable} when the source cannot be read.
   */
  readonly readAt: (offset: number, into: Uint8Array) => number;
}

const isRereadable = (it: AsyncIterator<Uint8Array | string>): it is RereadableChunks =>
  typeof (it as Partial<RereadableChunks>).readAt === 'function' &&
  typeof (it as Partial<RereadableChunks>).rereadable === 'function';

/**
 * `source` with `seen` called on each chunk before it is handed on (a progress line, a byte count).
 * A source that can read its bytes again still can, so the reader's id rule works as on `source`.
 */
export const tapChunks = (
  source: AsyncIterable<Uint8Array | string>,
  seen: (chunk: Uint8Array | string) => void,
): AsyncIterable<Uint8Array | string> => ({
  [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array | string> => {
    const it = source[Symbol.asyncIterator]();
    const tapped: AsyncIterator<Uint8Array | string> = {
      next: async () => {
        const r = await it.next();
        if (r.done !== true) seen(r.value);
        return r;
      },
      ...(it.return === undefined ? {} : { return: it.return.bind(it) }),
    };
    if (!isRereadable(it)) return tapped;
    const again: AsyncIterator<Uint8Array | string> &
      Pick<RereadableChunks, 'path' | 'rereadable' | 'readAt'> = {
      ...tapped,
      path: it.path,
      rereadable: () => it.rereadable(),
      readAt: (offset, into) => it.readAt(offset, into),
    };
    return again;
  },
});

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
 * Bytes of complete lines turned to text at once (a 256 KiB chunk of openEventSource is about three
 * windows). Below V8's largest regular heap object (128 KiB), so that a window's text, one character
 * per byte, is an ordinary young string: a larger one is allocated in the large-object space, which
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

/**
 * Bytes read at first when a line is read again (see `LineReader.firstText`): most lines are shorter,
 * and a read costs more the more it copies (~2 µs for 2 KiB, ~13 µs for 64 KiB); a longer line is
 * read on REREAD_BYTES at a time.
 */
const FIRST_REREAD_BYTES = 2_048;
const REREAD_BYTES = 65_536;

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
  private readonly seen = new IdTable();
  private readonly tooLong: string;
  private lineNo = 0;

  // The source, if it can read a line again; whether the id rule does so (decided at the first event);
  // the offset of the current chunk's first byte in the source, of the line being read, and of the
  // unfinished line's first byte.
  private rereader: RereadableChunks | undefined = undefined;
  private lazy: boolean | undefined = undefined;
  private chunkStart = 0;
  private lineStart = 0;
  private pendingStart = 0;
  private rereadBuffer: Uint8Array | undefined = undefined;

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

  constructor(options: NdjsonOptions) {
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

  /** Read lines again from `chunks` when the id rule needs an earlier event (see {@link lazyIdRule}). */
  rereadFrom(chunks: AsyncIterator<Uint8Array | string>): void {
    this.rereader = isRereadable(chunks) ? chunks : undefined;
  }

  /** Start on the next chunk of the source (the previous one must have been read to its end). */
  push(chunk: Uint8Array | string): void {
    this.chunkStart += this.chunk.length;
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
        this.keep(pos === 0 ? bytes : bytes.subarray(pos), this.chunkStart + pos);
        this.pos = bytes.length;
        return undefined;
      }
      this.pos = nl + 1;
      this.lineStart = this.pendingBytes > 0 ? this.pendingStart : this.chunkStart + pos;
      const item = this.endLine(bytes.subarray(pos, nl));
      if (item !== undefined) return item;
    }
  }

  /** The item of a last line without a newline, if any; call once the source has ended. */
  end(): NdjsonItem | undefined {
    this.lineStart = this.pendingStart;
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
    this.lineStart = this.chunkStart + this.pos + from;
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
      if (this.dedupe && !this.isLazy()) hash = this.fingerprint(event);
    } catch (err) {
      // A decoder must not throw; if a custom one does, the line is still reported, not the run lost.
      return { kind: 'invalid', line, error: lineError('DecodeError', `decoder failed: ${oneLine(err)}`) };
    }
    if (!this.dedupe) return { kind: 'event', line, event };
    return this.lazy === true ? this.lazyIdRule(line, event, text) : this.idRule(line, event, hash);
  }

  /**
   * Whether the id rule fingerprints only the events whose id comes again: when the source can read
   * an earlier line again and the fingerprint is the default one (which cannot throw, so a line is
   * never refused for its fingerprint). Decided once, at the first event, after the first chunk.
   */
  private isLazy(): boolean {
    if (this.lazy === undefined)
      this.lazy = this.fingerprint === eventFingerprint && this.rereader?.rereadable() === true;
    return this.lazy;
  }

  /** Spec §2: an identical repeat of an id is a duplicate, the same id with other content invalid. */
  private idRule(line: number, event: DomainEvent, hash: number): NdjsonItem {
    const seen = this.seen.findOrAdd(event.id, line, hash);
    if (seen < 0) return { kind: 'event', line, event };
    return this.repeat(line, event.id, seen, this.seen.fingerprintOf(seen) === hash);
  }

  /**
   * The id rule of {@link idRule}, with the fingerprint of an id's first event computed only when the
   * id comes again: until then the table keeps, in its place, where that event's line starts, as
   * -1 - offset (fingerprints are never negative). Most ids of a log never come again, and
   * fingerprinting every event cost ~5 % of a fold. When an id first comes again, its first line is
   * read again; `text` is the line being read.
   */
  private lazyIdRule(line: number, event: DomainEvent, text: string): NdjsonItem {
    const seen = this.seen.findOrAdd(event.id, line, -1 - this.lineStart);
    if (seen < 0) return { kind: 'event', line, event };
    const hash = eventFingerprint(event);
    const kept = this.seen.fingerprintOf(seen);
    if (kept >= 0) return this.repeat(line, event.id, seen, kept === hash);
    const first = this.firstText(-1 - kept, this.seen.lineOf(seen));
    // The same text is the same event (a log delivered twice): no need to decode the first one. Its
    // fingerprint is then this one's.
    const firstHash = first === text ? hash : this.fingerprintOfText(first, seen, event.id);
    this.seen.setFingerprint(seen, firstHash);
    return this.repeat(line, event.id, seen, firstHash === hash);
  }

  /**
   * The fingerprint of the event in `text`, the first line of the id of `record`, read again. Throws
   * a {@link SourceUnreadable} when it no longer holds an event with that id: the file changed while
   * it was read.
   */
  private fingerprintOfText(text: string | undefined, record: number, id: string): number {
    let event: DomainEvent | undefined;
    try {
      const r = text === undefined ? undefined : this.decode(parseJsonLine(text));
      event = r?._tag === 'Right' ? r.right : undefined;
    } catch {
      event = undefined;
    }
    if (event?.id !== id)
      throw sourceUnreadable(
        (this.rereader as RereadableChunks).path,
        new Error(
          `it changed while it was read (line ${this.seen.lineOf(record)} no longer holds event ${JSON.stringify(id)})`,
        ),
      );
    return eventFingerprint(event);
  }

  /**
   * The text of line number `line`, which starts at `offset`, read again the way it was read first
   * (a CR before the newline and line 1's BOM dropped, UTF-8); undefined if it is not text any more.
   */
  private firstText(offset: number, line: number): string | undefined {
    const rereader = this.rereader as RereadableChunks;
    // Most lines fit the one buffer kept for this; a longer one is read on in fresh blocks.
    const first = (this.rereadBuffer ??= new Uint8Array(FIRST_REREAD_BYTES));
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let block = first; ; block = new Uint8Array(REREAD_BYTES)) {
      const n = rereader.readAt(offset + total, block);
      const nl = block.subarray(0, n).indexOf(LF);
      parts.push(block.subarray(0, nl === -1 ? n : nl));
      total += nl === -1 ? n : nl;
      if (nl !== -1 || n === 0) break;
      if (total > this.keepLimit()) return undefined;
    }
    try {
      return this.utf8.decode(lineContent(concat(parts, total), line));
    } catch {
      return undefined;
    }
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

  /**
   * Keep `rest` (bytes of a line whose newline has not come yet, from offset `start` of the source),
   * or start discarding it.
   */
  private keep(rest: Uint8Array, start: number): void {
    if (this.discarding || rest.length === 0) return;
    if (this.pendingBytes === 0) this.pendingStart = start;
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

/** The chunks of `source`, from one iterator that `reader` may also read lines again from. */
const chunksOf = (
  source: AsyncIterable<Uint8Array | string>,
  reader: LineReader,
): AsyncIterable<Uint8Array | string> => {
  const chunks = source[Symbol.asyncIterator]();
  reader.rereadFrom(chunks);
  return { [Symbol.asyncIterator]: () => chunks };
};

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
  for await (const chunk of chunksOf(source, reader)) {
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
): AsyncGenerator<readonly NdjsonItem[]> {
  const reader = new LineReader(options);
  for await (const chunk of chunksOf(source, reader)) {
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

/** A log source that cannot be opened or read (missing file, no permission, a directory, …). */
export interface SourceUnreadable {
  readonly _tag: 'SourceUnreadable';
  readonly path: string;
  /** One line for the user, without a stack trace. */
  readonly message: string;
}

/** Whether `u` is a {@link SourceUnreadable} (what iterating {@link openEventSource} may throw). */
export const isSourceUnreadable = (u: unknown): u is SourceUnreadable =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'SourceUnreadable';

const ioReasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

const sourceUnreadable = (path: string, err: unknown): SourceUnreadable => {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const why =
    typeof code === 'string' && ioReasons[code] !== undefined
      ? ioReasons[code]
      : err instanceof Error
        ? err.message
        : String(err);
  const name = path === '-' ? 'standard input' : JSON.stringify(path);
  return { _tag: 'SourceUnreadable', path, message: `cannot read events from ${name}: ${why}` };
};

/** Bytes read from a file at a time (about three windows each, see WINDOW_BYTES). */
const READ_BYTES = 262_144;

/**
 * The chunks of standard input, as {@link openEventSource} yields them. Iterated by hand, so that a
 * consumer that stops early leaves standard input open (it is the process's own), and only the
 * source's own failures become SourceUnreadable.
 */
async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  const it = (process.stdin as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Uint8Array | string>;
    try {
      r = await it.next();
    } catch (err) {
      throw sourceUnreadable('-', err);
    }
    if (r.done === true) return;
    yield typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
  }
}

/**
 * The chunks of the file at `path`, read into one buffer that every read reuses: a fresh 256 KiB
 * buffer per read (what a read stream allocates) put ~230 MB through the allocator on a 1M-event
 * log, and those of them that outlived a young-generation GC stayed allocated until a full one.
 * While the file is open and is a regular file, its bytes can be read again (see
 * {@link RereadableChunks}).
 */
const fileChunks = (path: string): RereadableChunks => {
  let file: FileHandle | undefined;
  // The file's identity: a line is read again from this file only, even after it is closed.
  let identity: Stats | undefined;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let opened: FileHandle;
    try {
      opened = await open(path, 'r');
    } catch (err) {
      throw sourceUnreadable(path, err);
    }
    try {
      try {
        identity = await opened.stat();
      } catch (err) {
        throw sourceUnreadable(path, err);
      }
      file = opened;
      const buffer = Buffer.allocUnsafeSlow(READ_BYTES);
      for (;;) {
        let n: number;
        try {
          n = (await opened.read(buffer, 0, READ_BYTES, null)).bytesRead;
        } catch (err) {
          throw sourceUnreadable(path, err);
        }
        if (n === 0) return;
        yield buffer.subarray(0, n);
      }
    } finally {
      // Also when a consumer stops early: the file descriptor must not leak.
      file = undefined;
      await opened.close();
    }
  }
  const it = chunks();
  return {
    path,
    next: () => it.next(),
    return: (value?: unknown) => it.return(value as undefined),
    throw: (err?: unknown) => it.throw(err),
    rereadable: () => identity?.isFile() === true,
    readAt: (offset, into) => {
      try {
        // A positioned read (pread): the offset of the reads above stays where it is.
        if (file !== undefined) return readSync(file.fd, into, 0, into.length, offset);
        // Closed, once read to its end: a last line without a newline is read after that.
        const fd = openSync(path, 'r');
        try {
          const now = fstatSync(fd);
          if (now.dev !== identity?.dev || now.ino !== identity.ino)
            throw new Error('it was replaced while it was read');
          return readSync(fd, into, 0, into.length, offset);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        throw sourceUnreadable(path, err);
      }
    },
  };
};

/**
 * The bytes of an event log: the file at `pathOrDash`, or standard input for `-`. Iterating it
 * throws a {@link SourceUnreadable} (not an Error) when the source cannot be opened or read. A chunk's
 * bytes stay as they are only until the next chunk is asked for: a file is read into one buffer that
 * every read reuses (the NDJSON readers copy what they keep of a chunk); copy a chunk to keep it.
 */
export const openEventSource = (pathOrDash: string): AsyncIterable<Uint8Array> => ({
  [Symbol.asyncIterator]: () =>
    pathOrDash === '-' ? stdinChunks()[Symbol.asyncIterator]() : fileChunks(pathOrDash),
});
