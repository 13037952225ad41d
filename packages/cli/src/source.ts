/**
 * Where a command's Ledger comes from. Today: `--events F` (a file or `-` for standard input),
 * streamed through the NDJSON reader into a Ledger; memory is what the Ledger keeps, not the file.
 * The commands only see a {@link LedgerSource}, so another source (`--store URL`) plugs in here
 * without touching them.
 *
 * Also here: the progress line (TTY stderr only, logs over 50 MB) and the invalid-event gate that
 * every log-reading command applies before printing results (spec §2).
 */
import { stat } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { isSourceUnreadable, openEventSource } from '@msp-billing/events';
import { foldNdjson, type FoldStats, type InvalidEvent, type Ledger } from '@msp-billing/billing';
import type { OptionSpec, ParsedArgs } from './args.js';
import { userError, type UserError } from './errors.js';
import type { CliIo } from './io.js';

/** A Ledger and what was read to build it. */
export interface LoadedLedger {
  readonly ledger: Ledger;
  readonly stats: FoldStats;
}

/** Yields the Ledger a command works on, or why it cannot. */
export type LedgerSource = () => Promise<E.Either<UserError, LoadedLedger>>;

/** The options that choose a ledger source (every command that reads a log accepts them). */
export const SOURCE_OPTIONS: readonly OptionSpec[] = [{ name: 'events', kind: 'string' }];

/** Default threshold of the progress line: 50 MB. */
export const PROGRESS_THRESHOLD_BYTES = 50_000_000;

const ioReasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
};

const reasonOf = (err: unknown): string => {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && ioReasons[code] !== undefined) return ioReasons[code] as string;
  return err instanceof Error ? err.message : String(err);
};

const countNewlines = (c: Uint8Array | string): number => {
  const bytes = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) n += 1;
  return n;
};

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;

/**
 * The progress line: drawn in place with `\r` and cleared at the end, only on a TTY stderr, only once
 * the log is known to be big (its size, or for stdin the bytes read so far), at most 5 times a second.
 */
const progress = (io: CliIo, size: number | undefined) => {
  const threshold = io.progressThresholdBytes ?? PROGRESS_THRESHOLD_BYTES;
  const now = io.now ?? (() => performance.now());
  const started = now();
  let bytes = 0;
  let events = 0;
  let shown = false;
  let last = -Infinity;
  const draw = (): void => {
    const t = now();
    if (t - last < 200) return;
    last = t;
    const seconds = Math.max((t - started) / 1000, 0.001);
    const rate = Math.round(events / seconds).toLocaleString('en-US');
    const of = size === undefined ? '' : ` of ${mb(size)}`;
    io.stderr.write(`\r\u001b[Kreading events: ${mb(bytes)}${of}, ${rate} events/s`);
    shown = true;
  };
  return {
    chunk(c: Uint8Array | string): void {
      bytes += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
      if (!io.isTTY) return;
      // Lines read, as the event count: the fold reports its own count only every 65 536 events,
      // which makes a sawtooth of the rate. Counted only on a TTY, where the line is drawn.
      events += countNewlines(c);
      if ((size ?? bytes) > threshold) draw();
    },
    end(): void {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
};

/** A ledger folded from an NDJSON log at `path` (or standard input for `-`). */
export const eventsSource =
  (path: string, io: CliIo): LedgerSource =>
  async () => {
    const what = `--events ${path === '-' ? '-' : JSON.stringify(path)}`;
    let size: number | undefined;
    if (path !== '-') {
      // Stat first: a missing file or a directory is reported before anything is read.
      try {
        const s = await stat(path);
        if (s.isDirectory()) return E.left(userError('SourceUnreadable', what, 'is a directory'));
        size = s.size;
      } catch (err) {
        return E.left(userError('SourceUnreadable', what, reasonOf(err)));
      }
    }
    const bytes = path === '-' ? io.stdin : openEventSource(path);
    const bar = progress(io, size);
    async function* counted(): AsyncGenerator<Uint8Array | string> {
      for await (const chunk of bytes) {
        bar.chunk(chunk);
        yield chunk;
      }
    }
    try {
      const { ledger, stats } = await foldNdjson(counted());
      return E.right({ ledger, stats });
    } catch (err) {
      // Only the source's own failures are the user's business; anything else is a bug.
      if (isSourceUnreadable(err)) return E.left(userError('SourceUnreadable', what, err.message));
      if (path === '-' && err instanceof Error && 'code' in err)
        return E.left(userError('SourceUnreadable', what, reasonOf(err)));
      throw err;
    } finally {
      bar.end();
    }
  };

/** The ledger source chosen by the command line (`--events`; `--store` will join it). */
export const resolveSource = (
  command: string,
  args: ParsedArgs,
  io: CliIo,
): E.Either<UserError, LedgerSource> => {
  const events = args.values.get('events');
  if (events === undefined || events === '') {
    return E.left(
      userError('MissingOption', `${command} --events`, 'is required (a log file, or - for standard input)'),
    );
  }
  return E.right(eventsSource(events, io));
};

/** `line N: <reason>`: how an invalid event is reported everywhere (spec §2). */
export const invalidLine = (e: InvalidEvent): string =>
  `${e.line === undefined ? `event ${e.position + 1}` : `line ${e.line}`}: ${e.reason}`;

/** An invalid event as listed in JSON output (`invalidEvents`). */
export const invalidJson = (e: InvalidEvent): { line: number | null; eventId?: string; reason: string } => ({
  line: e.line ?? null,
  ...(e.eventId === undefined ? {} : { eventId: e.eventId }),
  reason: e.reason,
});

/**
 * The invalid-event gate (spec §2): without --skip-invalid, print each on stderr and stop (exit 2)
 * before any result; with it, go on (the command lists them in its output).
 */
export const gateInvalid = (ledger: Ledger, args: ParsedArgs, io: CliIo): 'stop' | 'go' => {
  const invalid = ledger.invalidEvents();
  if (invalid.length === 0 || args.flags.has('skip-invalid')) return 'go';
  // Only `line N: …` lines: scripts match on that shape (spec §2), so no summary line is added.
  for (const e of invalid) io.stderr.write(`${invalidLine(e)}\n`);
  return 'stop';
};
