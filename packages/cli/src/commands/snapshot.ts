/**
 * `msp-billing snapshot`: write a snapshot of a Ledger for later reads to start from.
 *
 * - `--events F [--out S]`: of the log file F (its complete lines), to S (default `F.snapshot`), for
 *   the commands that read F to start from with `--snapshot S` (fileSnapshot.ts). Prints one line:
 *   events, bytes, milliseconds.
 * - `--store URL [--no-snapshot]`: of a PostgreSQL store, into the store's database (table
 *   `msp_snapshots`, with the position of the last event it reflects), so that every later `--store`
 *   command starts from it and reads only the events after it. The Ledger is itself built from the
 *   latest snapshot there is (and the events after it), so taking snapshots regularly stays cheap.
 *   Prints one line: position, events, size and how long writing took.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { PostgresEventStore } from '@msp-billing/store-postgres';
import type { Command } from '../command.js';
import { EXIT, userError } from '../errors.js';
import { snapshotFile } from '../fileSnapshot.js';
import { plural } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { logReadFailure, openLog } from '../source.js';
import { openStore, reasonOf, storeKind } from '../stores.js';

const runEvents: Command['run'] = async (args, io: CliIo, out: Output) => {
  const path = args.values.get('events');
  if (path === undefined || path === '')
    return E.left(
      userError('MissingOption', 'snapshot --events', 'is required (a log file), or --store URL'),
    );
  if (path === '-')
    return E.left(
      userError(
        'BadOptionValue',
        'snapshot --events -',
        'needs a file: a snapshot stands for its first lines',
      ),
    );
  const target = args.values.get('out') ?? `${path}.snapshot`;
  if (target === '') return E.left(userError('MissingOption', 'snapshot --out', 'needs a file name'));
  const opened = await openLog(path, io);
  if (E.isLeft(opened)) return opened;
  const now = io.now ?? (() => performance.now());
  const started = now();
  let written: Awaited<ReturnType<typeof snapshotFile>>;
  try {
    written = await snapshotFile(path, opened.right.size ?? 0, target);
  } catch (err) {
    // A failed file operation names its file: the snapshot's (writing), else the log's (reading).
    const { code, path: failed } = err as { code?: unknown; path?: unknown };
    if (typeof code === 'string' && failed === target)
      return E.left(
        userError('OutputUnwritable', `snapshot --out ${JSON.stringify(target)}`, `cannot write: ${code}`),
      );
    if (typeof code === 'string' && failed === path)
      return E.left(userError('SourceUnreadable', opened.right.what, `cannot read: ${code}`));
    return E.left(logReadFailure(path, opened.right.what, err));
  }
  const ms = Math.round(now() - started);
  await out.line(
    `snapshot ${JSON.stringify(target)}: ${plural(written.events, 'event', 'events')}, ${plural(written.bytes, 'byte', 'bytes')}, ${ms} ms`,
  );
  return E.right(EXIT.ok);
};

const runStore = async (
  url: string,
  args: Parameters<Command['run']>[0],
  io: CliIo,
  out: Output,
): ReturnType<Command['run']> => {
  if (url === '') return E.left(userError('MissingOption', 'snapshot --store', 'needs a store URL'));
  const kind = storeKind(url);
  if (E.isLeft(kind)) return kind;
  if (kind.right !== 'postgres')
    return E.left(
      userError(
        'BadOptionValue',
        'snapshot --store',
        'snapshots are kept in the PostgreSQL store; give a postgres:// or postgresql:// store',
      ),
    );
  // Migrations: an older database gets the snapshot table (and nothing else changes for readers).
  const opened = await openStore(url, { migrate: true });
  if (E.isLeft(opened)) return opened;
  const { what, scrub } = opened.right;
  const store = opened.right.store as PostgresEventStore;
  const now = io.now ?? (() => performance.now());
  try {
    const pg = await import('@msp-billing/store-postgres');
    const loaded = await pg.loadStoreLedger(store, { useSnapshot: !args.flags.has('no-snapshot') });
    if (loaded.notice !== undefined) io.stderr.write(`msp-billing: ${what} — ${loaded.notice}\n`);
    const t0 = now();
    const saved = await pg.saveLedgerSnapshot(store, loaded.ledger, loaded.position, loaded.counts);
    const ms = Math.round(now() - t0);
    await out.line(
      `snapshot ${saved.id}: position ${loaded.position}, ${plural(loaded.counts.events, 'event', 'events')}, ${saved.bytes.length} bytes, written in ${ms} ms`,
    );
    return E.right(EXIT.ok);
  } catch (err) {
    return E.left(userError('StoreUnavailable', what, `cannot write a snapshot: ${scrub(reasonOf(err))}`));
  } finally {
    await store.close().catch(() => undefined);
  }
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  if (args.values.has('partition'))
    return E.left(
      userError(
        'BadOptionValue',
        'snapshot --partition',
        "read-model workers store their own snapshots (msp-billing project --partition i/n); snapshot writes the whole log's",
      ),
    );
  const store = args.values.get('store');
  if (store === undefined) return runEvents(args, io, out);
  if (args.values.has('events') || args.values.has('out'))
    return E.left(
      userError(
        'BadOptionValue',
        'snapshot --store and --events/--out',
        'give a log file (--events F [--out S]) or a store (--store URL), not both',
      ),
    );
  return runStore(store, args, io, out);
};

/** The `snapshot` command. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'write a snapshot of a log file (for --snapshot) or of a PostgreSQL store',
  options: [
    { name: 'events', kind: 'string' },
    { name: 'out', kind: 'string' },
    { name: 'store', kind: 'string' },
    { name: 'no-snapshot', kind: 'flag' },
    // Accepted only to refuse it with the reason (a worker's snapshot is the worker's to write).
    { name: 'partition', kind: 'string' },
  ],
  help: `Usage: msp-billing snapshot --events F [--out S]
       msp-billing snapshot --store URL [--no-snapshot]

Write a snapshot of the Ledger of the log file F (its complete lines: a last line without a newline
is left to be read after it) to S. The commands that read F (invoice, invoices, ledger, explain,
check, …) start from it with --snapshot S and read only the lines after it, with the same output. If
F's first lines are not those the snapshot was written from, or S is of another format, they say so
in one line on stderr and read the whole file.

With --store, write a snapshot of the Ledger of the PostgreSQL store at URL into its database (the
table msp_snapshots, created when missing), with the position of the last event it reflects. Every
--store command then starts from the latest snapshot and reads only the events after it (the two
newest are kept); one of another format is named on stderr and the whole log is read. The
read-model workers of msp-billing project store snapshots of their own, under their own name.

Options:
  --events F       the event log (NDJSON), a file
  --out S          where to write the snapshot (default: F.snapshot)
  --store URL      postgres://user:password@host/db (or postgresql://)
  --no-snapshot    with --store: build the Ledger from every event, not from the latest snapshot
  --help           this text

Prints one line: for a file, the events, bytes and milliseconds; for a store, the snapshot's id, the
position and number of events it reflects, its size in bytes and how long writing it took.

Exit status: 0 written; 2 user error (bad option, unreachable store), on stderr.
`,
  run,
};
