/**
 * `msp-billing snapshot --store URL`: write a snapshot of the Ledger of a PostgreSQL store into the
 * store's database (table `msp_snapshots`, with the position of the last event it reflects), so that
 * every later `--store` command starts from it and reads only the events after it. The Ledger is
 * itself built from the latest snapshot there is (and the events after it), so taking snapshots
 * regularly stays cheap. Prints one line: position, events, size and how long writing took.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { PostgresEventStore } from '@msp-billing/store-postgres';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, userError } from '../errors.js';
import type { CliIo, Output } from '../io.js';
import { openStore, reasonOf, storeKind } from '../stores.js';

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const url = required('snapshot', args, 'store', 'a PostgreSQL store URL, e.g. postgres://user@host/db');
  if (E.isLeft(url)) return url;
  const kind = storeKind(url.right);
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
  const opened = await openStore(url.right, { migrate: true });
  if (E.isLeft(opened)) return opened;
  const { what, scrub } = opened.right;
  const store = opened.right.store as PostgresEventStore;
  const now = io.now ?? (() => performance.now());
  try {
    const pg = await import('@msp-billing/store-postgres');
    const loaded = await pg.loadStoreLedger(store, { useSnapshot: !args.flags.has('no-snapshot') });
    if (loaded.notice !== undefined) io.stderr.write(`${what}: ${loaded.notice}\n`);
    const t0 = now();
    const saved = await pg.saveLedgerSnapshot(store, loaded.ledger, loaded.position, loaded.counts);
    const ms = Math.round(now() - t0);
    await out.line(
      `snapshot ${saved.id}: position ${loaded.position}, ${loaded.counts.events} event${loaded.counts.events === 1 ? '' : 's'}, ${saved.bytes.length} bytes, written in ${ms} ms`,
    );
    return E.right(EXIT.ok);
  } catch (err) {
    return E.left(userError('StoreUnavailable', what, `cannot write a snapshot: ${scrub(reasonOf(err))}`));
  } finally {
    await store.close().catch(() => undefined);
  }
};

/** The `snapshot` command. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: "write a snapshot of a PostgreSQL store's Ledger, where --store commands then start",
  options: [
    { name: 'store', kind: 'string' },
    { name: 'no-snapshot', kind: 'flag' },
  ],
  help: `Usage: msp-billing snapshot --store URL [--no-snapshot]

Write a snapshot of the Ledger of the PostgreSQL store at URL into its database (the table
msp_snapshots, created when missing), with the position of the last event it reflects. Every
--store command then starts from the latest snapshot and reads only the events after it; the two
newest snapshots are kept.

Options:
  --store URL      postgres://user:password@host/db (or postgresql://)
  --no-snapshot    build the Ledger by reading every event, not from the latest snapshot
  --help           this text

Prints one line: the snapshot's id, the position and number of events it reflects, its size in
bytes and how long writing it took.

Exit status: 0 written; 2 a user error (bad option, unreachable store), on stderr.
`,
  run,
};
