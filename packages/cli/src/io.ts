/**
 * The streams a command talks to, passed in rather than taken from `process`, so that `run()` is
 * testable in-process; and a buffered writer that respects back-pressure, so that printing a ledger of
 * millions of entries does not queue the whole output in memory.
 */

/** A sink of text (or of bytes, for `datev`): process.stdout / process.stderr, or a collector in tests. */
export interface Writer {
  write(chunk: string | Uint8Array): boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

/** Everything a command may touch outside its arguments. */
export interface CliIo {
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Whether stderr is a terminal: only then is a progress line drawn. */
  readonly isTTY: boolean;
  /** Environment (MSP_DEBUG); default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Logs bigger than this get a progress line on a TTY (default 50 MB); for tests. */
  readonly progressThresholdBytes?: number;
  /** Monotonic milliseconds, for the events/s figure; default performance.now. */
  readonly now?: () => number;
}

/** A buffered output: `write` collects, flushing every 64 KiB and waiting for 'drain' when asked to. */
export interface Output {
  write(text: string): Promise<void>;
  /** Write `text` plus a newline. */
  line(text?: string): Promise<void>;
  /** Write bytes as they are (after the text written so far). */
  bytes(chunk: Uint8Array): Promise<void>;
  flush(): Promise<void>;
}

const FLUSH_AT = 65_536;

/** Wrap a {@link Writer} in an {@link Output}. */
export const output = (w: Writer): Output => {
  let buf: string[] = [];
  let size = 0;
  const send = async (chunk: string | Uint8Array): Promise<void> => {
    const ok = w.write(chunk);
    if (!ok && w.once !== undefined) {
      const once = w.once.bind(w);
      await new Promise<void>((resolve) => once('drain', resolve));
    }
  };
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const text = buf.join('');
    buf = [];
    size = 0;
    await send(text);
  };
  const write = async (text: string): Promise<void> => {
    buf.push(text);
    size += text.length;
    if (size >= FLUSH_AT) await flush();
  };
  const bytes = async (chunk: Uint8Array): Promise<void> => {
    await flush();
    await send(chunk);
  };
  return { write, line: (text = '') => write(`${text}\n`), bytes, flush };
};

/**
 * Write many pieces of text (newlines included) to `out`, joined into strings of about
 * {@link FLUSH_AT} characters: one `await` per such string rather than one per line, which is most of
 * what printing costs on a ledger of many thousand entries. The bytes written are the same.
 */
export const writeAll = async (out: Output, pieces: Iterable<string>): Promise<void> => {
  let chunk = '';
  for (const p of pieces) {
    chunk += p;
    if (chunk.length >= FLUSH_AT) {
      await out.write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await out.write(chunk);
};
