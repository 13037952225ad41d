/**
 * `msp-billing import --events F --store URL [--skip-invalid]`: load an NDJSON log into an event
 * store, each event into its stream (spec §2), in the log's order (the recording order, spec §3).
 *
 * One pass, because a log can be far bigger than memory: every event is validated as `check` would
 * (the reader's decoding and id rules, then the Ledger's integrity rules, on a Ledger seeded with
 * what the store already holds) just before it is handed to the import, so an invalid event is
 * never written. Without --skip-invalid the import stops at the first invalid line: the valid
 * events before it are imported, nothing after it; exit 2. With it, invalid lines are reported and
 * skipped. Appends are idempotent by event id, so re-running an import (after a stop, a crash, or
 * twice) never duplicates anything.
 */
import * as E from 'fp-ts/lib/Either.js';
import { createLedger } from '@msp-billing/billing';
import { readNdjson, type DomainEvent } from '@msp-billing/events';
import { importEvents, readAllEvents, type ImportCounts } from '@msp-billing/store';
import { required } from '../args.js';
import { SKIP_INVALID, type Command } from '../command.js';
import { EXIT, userError, type UserError } from '../errors.js';
import type { CliIo, Output } from '../io.js';
import { tapChunks } from '../eventFile.js';
import { logReadFailure, openLog } from '../source.js';
import { openStore, reasonOf, type OpenedStore } from '../stores.js';

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** The progress line of an import: on a TTY stderr only, from its second second, ≤ 5 times a second. */
const importProgress = (io: CliIo, size: number | undefined) => {
  const now = io.now ?? (() => performance.now());
  const started = now();
  let bytes = 0;
  let events = 0;
  let shown = false;
  let last = -Infinity;
  const draw = (): void => {
    if (!io.isTTY) return;
    const t = now();
    // Small imports finish before a line would help; redraw at most 5 times a second.
    if (t - started < 1000 || t - last < 200) return;
    last = t;
    const rate = Math.round(events / ((t - started) / 1000)).toLocaleString('en-US');
    const of = size === undefined ? '' : ` of ${mb(size)}`;
    io.stderr.write(
      `\r\u001b[Kimporting: ${mb(bytes)}${of}, ${events.toLocaleString('en-US')} events, ${rate} events/s`,
    );
    shown = true;
  };
  return {
    chunk(c: Uint8Array | string): void {
      bytes += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    },
    counts(c: ImportCounts): void {
      events = c.appended + c.alreadyPresent;
      draw();
    },
    end(): void {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
};

/** What the store already knows: its events in a Ledger, and the routes of work entries and alerts. */
const seed = async (opened: OpenedStore) => {
  const ledger = createLedger();
  const ticketOfWork = new Map<string, string>();
  const contractOfAlert = new Map<string, string>();
  for await (const r of readAllEvents(opened.store)) {
    ledger.apply(r.event);
    if (r.event.type === 'WorkLogged') ticketOfWork.set(r.event.data.workId, r.event.data.ticketId);
    if (r.event.type === 'AlertRaised') contractOfAlert.set(r.event.data.alertId, r.event.data.contractId);
  }
  return { ledger, ticketOfWork, contractOfAlert };
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const path = required('import', args, 'events', 'a log file, or - for standard input');
  if (E.isLeft(path)) return path;
  const url = required('import', args, 'store', 'an event store URL, e.g. postgres://user@host/db');
  if (E.isLeft(url)) return url;
  const skipInvalid = args.flags.has('skip-invalid');
  const openedLog = await openLog(path.right, io);
  if (E.isLeft(openedLog)) return openedLog;
  const log = openedLog.right;
  const opened = await openStore(url.right, { migrate: true });
  if (E.isLeft(opened)) return opened;
  const { store, what, scrub } = opened.right;
  const storeFailure = (verb: string, err: unknown): UserError =>
    userError('StoreUnavailable', what, `${verb}: ${scrub(reasonOf(err))}`);
  try {
    let known: Awaited<ReturnType<typeof seed>>;
    try {
      known = await seed(opened.right);
    } catch (err) {
      return E.left(storeFailure('cannot read', err));
    }
    const { ledger } = known;
    const bar = importProgress(io, log.size);
    let lines = 0;
    let duplicates = 0;
    let invalid = 0;
    let stoppedAt: number | undefined;
    const lineOf = new WeakMap<DomainEvent, number>();
    const refuse = (line: number, reason: string): boolean => {
      invalid += 1;
      io.stderr.write(`line ${line}: ${reason}\n`);
      if (!skipInvalid) stoppedAt = line;
      return !skipInvalid;
    };
    // Validated events, in line order; returning ends the import after what was yielded so far.
    async function* valid(): AsyncGenerator<DomainEvent> {
      for await (const item of readNdjson(tapChunks(log.bytes, bar.chunk))) {
        lines = item.line;
        if (item.kind === 'duplicate') {
          duplicates += 1;
          continue;
        }
        if (item.kind === 'invalid') {
          if (refuse(item.line, item.error.message)) return;
          continue;
        }
        const applied = ledger.apply(item.event, { line: item.line });
        if (applied._tag === 'Invalid') {
          if (refuse(item.line, applied.reason)) return;
          continue;
        }
        lineOf.set(item.event, item.line);
        yield item.event;
      }
    }
    let counts: ImportCounts;
    try {
      counts = await importEvents(store, valid(), {
        onProgress: (c) => bar.counts(c),
        resolver: {
          ticketOfWork: (w) => known.ticketOfWork.get(w),
          contractOfAlert: (a) => known.contractOfAlert.get(a),
        },
        // The Ledger refuses what cannot be routed (a correction of an unknown work entry) first;
        // this is the safety net, reported like any invalid line.
        onUnroutable: (e) => {
          invalid += 1;
          io.stderr.write(
            `line ${lineOf.get(e) ?? '?'}: cannot tell which stream event ${JSON.stringify(e.id)} belongs to\n`,
          );
        },
      });
    } catch (err) {
      if ((err as { _tag?: unknown })._tag === 'ImportInterrupted') {
        const stopped = err as { counts: ImportCounts; cause: unknown };
        return E.left(
          userError(
            'ImportStopped',
            what,
            `import stopped after ${stopped.counts.appended} appended events: ${scrub(reasonOf(stopped.cause))} ` +
              '(re-run the same import to resume; nothing is duplicated)',
          ),
        );
      }
      return E.left(logReadFailure(path.right, log.what, err));
    } finally {
      bar.end();
    }
    const tail =
      stoppedAt === undefined
        ? ''
        : `; stopped at line ${stoppedAt} (invalid event): the events before it are imported, none after it (--skip-invalid skips invalid lines)`;
    await out.line(
      `import: ${lines} lines, ${counts.read} events read; ${counts.appended} appended, ` +
        `${counts.alreadyPresent} already present, ${duplicates} duplicate${duplicates === 1 ? '' : 's'} ignored, ` +
        `${invalid} invalid${tail}`,
    );
    return E.right(stoppedAt === undefined ? EXIT.ok : EXIT.usage);
  } finally {
    await store.close().catch(() => undefined);
  }
};

/** The `import` command. */
export const importCommand: Command = {
  name: 'import',
  summary: 'load an NDJSON log into an event store (PostgreSQL, EventStoreDB), in log order, idempotently',
  options: [{ name: 'events', kind: 'string' }, { name: 'store', kind: 'string' }, SKIP_INVALID],
  help: `Usage: msp-billing import --events F --store URL [--skip-invalid]

Load the event log F into the event store at URL: each event into its stream, in the log's order
(the store's global order is the recording order). Every event is checked as \`check\` would, against
what the store already holds, before it is written; invalid events are never written. Re-running an
import appends only what is missing.

Options:
  --events F      the event log (NDJSON); - reads standard input
  --store URL     postgres://user:password@host/db (or postgresql://), esdb://host:2113?tls=false
                  (or esdb+discover://); the PostgreSQL schema is created when missing
  --skip-invalid  report invalid lines (line N: <reason>) and go on without them; without it the
                  import stops at the first invalid line, keeping the valid events before it
  --help          this text

Prints one summary line: lines, events read, appended, already present, duplicates, invalid.
A progress line (bytes, events/s) is drawn on a terminal.

Exit status: 0 imported; 2 stopped at an invalid line, or a user error (unreadable log, bad or
unreachable store), on stderr.
`,
  run,
};
