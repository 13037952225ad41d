/**
 * Where a command's Ledger comes from: `--events F` (a file or `-` for standard input), streamed
 * through the NDJSON reader into a Ledger — memory is what the Ledger keeps, not the file — or
 * `--store URL`, an event store read in global order (its recording order, spec §3). The commands
 * only see a {@link LedgerSource}; exactly one of the two options must be given.
 *
 * Also here: the progress line (TTY stderr only, logs over 50 MB) and the invalid-event gate that
 * every log-reading command applies before printing results (spec §2).
 */
import { stat } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import {
  createLedger,
  foldNdjson,
  type FoldStats,
  type InvalidEvent,
  type Ledger,
} from '@msp-billing/billing';
import { readAllEvents } from '@msp-billing/store';
import type { PostgresEventStore } from '@msp-billing/store-postgres';
import type { OptionSpec, ParsedArgs } from './args.js';
import { userError, type UserError } from './errors.js';
import { isSourceUnreadable, openEventSource, tapChunks } from './eventFile.js';
import { addStats, restoreFile, type RestoredFile } from './fileSnapshot.js';
import type { CliIo, Output } from './io.js';
import { openStore, reasonOf, storeKind } from './stores.js';

/** A Ledger and what was read to build it. */
export interface LoadedLedger {
  readonly ledger: Ledger;
  readonly stats: FoldStats;
}

/** Yields the Ledger a command works on, or why it cannot. */
export type LedgerSource = () => Promise<E.Either<UserError, LoadedLedger>>;

/** The options that choose a ledger source (every command that reads a log accepts them). */
export const SOURCE_OPTIONS: readonly OptionSpec[] = [
  { name: 'events', kind: 'string' },
  { name: 'store', kind: 'string' },
  { name: 'snapshot', kind: 'string' },
  { name: 'no-snapshot', kind: 'flag' },
];

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

const ioReasonOf = (err: unknown): string => {
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
export const progress = (io: CliIo, size: number | undefined) => {
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

/** The bytes of a log and how to talk about it, once it is known to be readable. */
export interface OpenedLog {
  readonly bytes: AsyncIterable<Uint8Array | string>;
  /** Its size when it is a file (for the progress line). */
  readonly size: number | undefined;
  /** `--events "<path>"` for messages. */
  readonly what: string;
}

/** Open `--events` (a path, or `-` for standard input); a missing file or a directory is a user error. */
export const openLog = async (path: string, io: CliIo): Promise<E.Either<UserError, OpenedLog>> => {
  const what = `--events ${path === '-' ? '-' : JSON.stringify(path)}`;
  if (path === '-') return E.right({ bytes: io.stdin, size: undefined, what });
  // Stat first: a missing file or a directory is reported before anything is read.
  try {
    const s = await stat(path);
    if (s.isDirectory()) return E.left(userError('SourceUnreadable', what, 'is a directory'));
    return E.right({ bytes: openEventSource(path), size: s.size, what });
  } catch (err) {
    return E.left(userError('SourceUnreadable', what, ioReasonOf(err)));
  }
};

/** A failure while reading a log, as a user error (rethrows what is not the source's fault). */
export const logReadFailure = (path: string, what: string, err: unknown): UserError => {
  if (isSourceUnreadable(err)) return userError('SourceUnreadable', what, err.message);
  if (path === '-' && err instanceof Error && 'code' in err)
    return userError('SourceUnreadable', what, ioReasonOf(err));
  throw err;
};

/**
 * A ledger folded from an NDJSON log at `path` (or standard input for `-`); with `snapshot`, restored
 * from that snapshot of the file's first lines (fileSnapshot.ts) and folded on from there, or from
 * the start with a one-line notice on stderr when the snapshot cannot be used.
 */
export const eventsSource =
  (path: string, io: CliIo, snapshot?: string): LedgerSource =>
  async () => {
    const opened = await openLog(path, io);
    if (E.isLeft(opened)) return opened;
    const log = opened.right;
    let from: RestoredFile | undefined;
    if (snapshot !== undefined && log.size !== undefined) {
      let r: Awaited<ReturnType<typeof restoreFile>>;
      try {
        r = await restoreFile(path, log.size, snapshot);
      } catch (err) {
        return E.left(logReadFailure(path, log.what, err));
      }
      if ('notice' in r)
        io.stderr.write(`msp-billing: --snapshot ${JSON.stringify(snapshot)} — ${r.notice}\n`);
      else from = r.restored;
    }
    const bar = progress(
      io,
      log.size === undefined || from === undefined ? log.size : log.size - from.offset,
    );
    try {
      if (from !== undefined) {
        const rest = openEventSource(path, { start: from.offset });
        const { stats } = await foldNdjson(tapChunks(rest, bar.chunk), {
          into: from.ledger,
          firstLine: from.line,
        });
        return E.right({ ledger: from.ledger, stats: addStats(from.stats, stats) });
      }
      const { ledger, stats } = await foldNdjson(tapChunks(log.bytes, bar.chunk));
      return E.right({ ledger, stats });
    } catch (err) {
      // Only the source's own failures are the user's business; anything else is a bug.
      return E.left(logReadFailure(path, log.what, err));
    } finally {
      bar.end();
    }
  };

/** PostgreSQL's undefined_table: nothing was ever imported into this database. */
const isUndefinedTable = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '42P01';

/**
 * A ledger of everything in the store at `url`, read page by page in global order (the recording
 * order). Stored events are decoded already; invalid ones are reported as `event N` (their place
 * in the store's order), since a store has no lines. A PostgreSQL store starts from its latest
 * snapshot and reads only the events after it (unless `useSnapshot` is false); a snapshot it cannot
 * use is named in one line on stderr and the whole log is read: the output is the same.
 */
export const storeSource =
  (url: string, io: CliIo, useSnapshot = true): LedgerSource =>
  async () => {
    const opened = await openStore(url, { migrate: false });
    if (E.isLeft(opened)) return opened;
    const { store, what, scrub } = opened.right;
    try {
      const ledger = createLedger();
      let events = 0;
      let duplicates = 0;
      let invalid = 0;
      try {
        const kind = storeKind(url);
        if (E.isRight(kind) && kind.right === 'postgres') {
          const pg = await import('@msp-billing/store-postgres');
          const loaded = await pg.loadStoreLedger(store as PostgresEventStore, {
            useSnapshot,
          });
          if (loaded.notice !== undefined) io.stderr.write(`msp-billing: ${what} — ${loaded.notice}\n`);
          const c = loaded.counts;
          return E.right({
            ledger: loaded.ledger,
            stats: { lines: c.events, events: c.events, duplicates: c.duplicates, invalid: c.invalid },
          });
        }
        for await (const r of readAllEvents(store)) {
          events += 1;
          const applied = ledger.apply(r.event);
          if (applied._tag === 'Duplicate') duplicates += 1;
          else if (applied._tag === 'Invalid') invalid += 1;
        }
      } catch (err) {
        if (isUndefinedTable(err))
          return E.left(
            userError(
              'StoreUnavailable',
              what,
              'holds no msp-billing events (no msp_events table; run msp-billing import first)',
            ),
          );
        return E.left(userError('StoreUnavailable', what, `cannot read: ${scrub(reasonOf(err))}`));
      }
      return E.right({ ledger, stats: { lines: events, events, duplicates, invalid } });
    } finally {
      await store.close().catch(() => undefined);
    }
  };

/** The ledger source chosen by the command line: exactly one of `--events F` and `--store URL`. */
export const resolveSource = (
  command: string,
  args: ParsedArgs,
  io: CliIo,
): E.Either<UserError, LedgerSource> => {
  const events = args.values.get('events');
  const store = args.values.get('store');
  const snapshot = args.values.get('snapshot');
  if (snapshot !== undefined && (events === undefined || events === '-' || snapshot === ''))
    return E.left(
      userError(
        'BadOptionValue',
        `${command} --snapshot`,
        snapshot === ''
          ? 'needs a snapshot file'
          : 'goes with --events FILE (a log file, not standard input)',
      ),
    );
  if (events !== undefined && store !== undefined)
    return E.left(
      userError(
        'BadOptionValue',
        `${command} --events and --store`,
        'give exactly one of them (a log file or an event store)',
      ),
    );
  if (store !== undefined) {
    if (store === '') return E.left(userError('MissingOption', `${command} --store`, 'needs a store URL'));
    return E.right(storeSource(store, io, !args.flags.has('no-snapshot')));
  }
  if (events === undefined || events === '') {
    return E.left(
      userError(
        'MissingOption',
        `${command} --events`,
        'is required (a log file, or - for standard input), or --store URL (an event store)',
      ),
    );
  }
  return E.right(eventsSource(events, io, snapshot));
};

/** `line N: <reason>`: how an invalid event is reported everywhere (spec §2). */
export const invalidLine = (e: InvalidEvent): string =>
  `${e.line === undefined ? `event ${e.position + 1}` : `line ${e.line}`}: ${e.reason}`;

/** Under a table: the invalid events `--skip-invalid` went past, one per line (nothing when none). */
export const printSkipped = async (out: Output, invalid: readonly InvalidEvent[]): Promise<void> => {
  if (invalid.length === 0) return;
  await out.line('');
  await out.line(`Invalid events skipped (${invalid.length}):`);
  for (const e of invalid) await out.line(`  ${invalidLine(e)}`);
};

/** An invalid event as listed in JSON output (`invalidEvents`): where, its code (the refusal's tag), why. */
export const invalidJson = (
  e: InvalidEvent,
): { line: number | null; eventId?: string; code: string; reason: string } => ({
  line: e.line ?? null,
  ...(e.eventId === undefined ? {} : { eventId: e.eventId }),
  code: e.code,
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
