/**
 * `msp-billing project --store URL [--partition i/n] [--follow] [--batch-size N]`: keep the SQL read
 * model (`billing_entries`, `billing_invoices`, `billing_invoice_lines`, docs/stores.md) in the
 * store's PostgreSQL in step with its log, each batch committed with the worker's checkpoint. Without
 * --follow it stops once caught up; with it, it waits for new events until interrupted (SIGINT,
 * SIGTERM: the batch in flight commits or rolls back, then it stops). The worker stores snapshots of
 * its state with its checkpoint and starts from the latest one (readModel.ts).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { PostgresEventStore } from '@msp-billing/store-postgres';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, userError } from '../errors.js';
import type { CliIo, Output } from '../io.js';
import { openStore, reasonOf, storeKind } from '../stores.js';

/** PostgreSQL's "numeric value out of range": a value wider than the read model's columns. */
const NUMERIC_OUT_OF_RANGE = '22003';

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const url = required('project', args, 'store', 'a PostgreSQL store URL, e.g. postgres://user@host/db');
  if (E.isLeft(url)) return url;
  const kind = storeKind(url.right);
  if (E.isLeft(kind)) return kind;
  const pg = await import('@msp-billing/store-postgres');
  const partitionText = args.values.get('partition');
  const partition = partitionText === undefined ? E.right(undefined) : pg.parsePartition(partitionText);
  if (E.isLeft(partition))
    return E.left(userError('BadOptionValue', `project --partition ${partitionText ?? ''}`, partition.left));
  const batchText = args.values.get('batch-size') ?? '1000';
  const batchSize = /^\d{1,6}$/.test(batchText) ? Number(batchText) : 0;
  if (batchSize < 1)
    return E.left(
      userError(
        'BadOptionValue',
        `project --batch-size ${batchText}`,
        'expected a whole number of events ≥ 1',
      ),
    );
  const everyText = args.values.get('snapshot-every') ?? String(pg.SNAPSHOT_EVERY);
  if (!/^\d{1,9}$/.test(everyText))
    return E.left(
      userError(
        'BadOptionValue',
        `project --snapshot-every ${everyText}`,
        'expected a whole number of events ≥ 0 (0: write no snapshots)',
      ),
    );
  if (kind.right !== 'postgres')
    return E.left(
      userError(
        'BadOptionValue',
        'project --store',
        'the read model lives in PostgreSQL; give a postgres:// or postgresql:// store',
      ),
    );
  const opened = await openStore(url.right, { migrate: false });
  if (E.isLeft(opened)) return opened;
  const { what, scrub } = opened.right;
  const store = opened.right.store as PostgresEventStore;
  const follow = args.flags.has('follow');
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  if (follow) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const name = pg.readModelName(partition.right);
  try {
    await pg.prepareReadModel(store.pool);
    const result = await pg.runReadModel({
      pool: store.pool,
      ...(partition.right === undefined ? {} : { partition: partition.right }),
      batchSize,
      stopWhenCaughtUp: !follow,
      signal: stop.signal,
      pollIntervalMs: 500,
      snapshotEvery: Number(everyText),
      useSnapshot: !args.flags.has('no-snapshot'),
      onNotice: (line) => io.stderr.write(`msp-billing: ${what} — ${line}\n`),
    });
    await out.line(
      `project ${name}: ${result.events} event${result.events === 1 ? '' : 's'} in ${result.batches} batch${result.batches === 1 ? '' : 'es'}; checkpoint at position ${result.checkpoint}`,
    );
    return E.right(EXIT.ok);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === NUMERIC_OUT_OF_RANGE
        ? `a value does not fit the read model's columns (money numeric(14,2), rates numeric(14,4)): ${scrub(reasonOf(err))}`
        : `stopped: ${scrub(reasonOf(err))} (run it again to resume from the last committed batch)`;
    return E.left(userError('StoreUnavailable', what, why));
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await store.close().catch(() => undefined);
  }
};

/** The `project` command. */
export const projectCommand: Command = {
  name: 'project',
  summary: 'keep the SQL read model (billing_entries, billing_invoices, …) in a PostgreSQL store in step',
  options: [
    { name: 'store', kind: 'string' },
    { name: 'partition', kind: 'string' },
    { name: 'batch-size', kind: 'string' },
    { name: 'follow', kind: 'flag' },
    { name: 'snapshot-every', kind: 'string' },
    { name: 'no-snapshot', kind: 'flag' },
  ],
  help: `Usage: msp-billing project --store URL [--partition i/n] [--follow] [--batch-size N]
                           [--snapshot-every N] [--no-snapshot]

Keep the SQL read model in the PostgreSQL store at URL in step with its events: the tables
billing_entries, billing_invoices and billing_invoice_lines and the views billing_month_summary and
billing_work_summary (created when missing). Each batch of events is committed together with the
worker's checkpoint, so a worker that is stopped or killed resumes where it left off and never
applies an event twice. Every N events (--snapshot-every), and when it stops cleanly (caught up, or
interrupted with --follow), the worker stores a snapshot of its state with its checkpoint; started
again, it restores its latest snapshot and reads only the events after it. A snapshot it cannot use
(another format) is named in one line on stderr, and the worker reads the whole log.

Options:
  --store URL       postgres://user:password@host/db (or postgresql://)
  --partition i/n   be worker i of n (0 ≤ i < n): write only the contracts whose id hashes to i;
                    run n workers, one per i, for the whole read model (default 0/1: all of it)
  --follow          keep running and apply new events as they arrive, until interrupted
  --batch-size N    events per transaction (default 1000)
  --snapshot-every N  store a snapshot of the worker every N events (default 200000; 0: none)
  --no-snapshot     start by reading the whole log, not from the worker's latest snapshot
  --help            this text

Prints one line: the worker's checkpoint name, the events and batches it applied, and the position
it reached.

Exit status: 0 caught up (or interrupted with --follow); 2 a user error (bad option, unreachable
store, a value too wide for the tables), on stderr.
`,
  run,
};
