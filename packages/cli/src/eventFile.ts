/**
 * The bytes of an event log on this machine: a file, or standard input. The wire-format package reads
 * any async iterable of chunks and does no I/O itself; this adapter is where the CLI (and the
 * benchmarks and examples of this repository) open one, with a typed error instead of an exception
 * when it cannot be read.
 */
import { open, type FileHandle } from 'node:fs/promises';

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

/**
 * Bytes read from a file at a time: about three of the NDJSON reader's windows of complete lines
 * (96 KiB each, turned to text at once).
 */
const READ_BYTES = 262_144;

/**
 * The chunks of standard input. Iterated by hand, so that a consumer that stops early leaves standard
 * input open (it is the process's own), and only the source's own failures become SourceUnreadable.
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
 */
async function* fileChunks(path: string, range: ByteRange): AsyncGenerator<Uint8Array> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw sourceUnreadable(path, err);
  }
  try {
    const buffer = Buffer.allocUnsafeSlow(READ_BYTES);
    const end = range.end ?? Number.POSITIVE_INFINITY;
    for (let at = range.start ?? 0; at < end;) {
      let n: number;
      try {
        n = (await file.read(buffer, 0, Math.min(READ_BYTES, end - at), at)).bytesRead;
      } catch (err) {
        throw sourceUnreadable(path, err);
      }
      if (n === 0) return;
      at += n;
      yield buffer.subarray(0, n);
    }
  } finally {
    // Also when a consumer stops early: the file descriptor must not leak.
    await file.close();
  }
}

/**
 * The bytes of an event log: the file at `pathOrDash`, or standard input for `-`, for `readNdjson`
 * or `foldNdjson`. Iterating it throws a {@link SourceUnreadable} (not an Error) when the source
 * cannot be opened or read. A chunk's bytes stay as they are only until the next chunk is asked for:
 * a file is read into one buffer that every read reuses (the NDJSON readers copy what they keep of a
 * chunk); copy a chunk to keep it.
 */
export const openEventSource = (pathOrDash: string, range: ByteRange = {}): AsyncIterable<Uint8Array> => ({
  [Symbol.asyncIterator]: () => (pathOrDash === '-' ? stdinChunks() : fileChunks(pathOrDash, range)),
});

/** Which bytes of a file to read: from `start` (default 0) up to `end` (default: its end). Not for standard input. */
export interface ByteRange {
  readonly start?: number;
  readonly end?: number;
}

/** `source` with `seen` called on each chunk before it is handed on (a progress line, a byte count). */
export const tapChunks = (
  source: AsyncIterable<Uint8Array | string>,
  seen: (chunk: Uint8Array | string) => void,
): AsyncIterable<Uint8Array | string> => ({
  [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array | string> => {
    const it = source[Symbol.asyncIterator]();
    return {
      next: async () => {
        const r = await it.next();
        if (r.done !== true) seen(r.value);
        return r;
      },
      ...(it.return === undefined ? {} : { return: it.return.bind(it) }),
    };
  },
});
