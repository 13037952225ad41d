/**
 * Child process of `pnpm bench:pg` (postgres.ts): snapshots of the Ledger on a store that holds the
 * log (imported by pgReadModel.ts `prepare` into `<schema>`). Run as
 * `node --expose-gc --import tsx pgSnapshot.ts <database-url> <schema> <tail>`; prints one JSON object.
 *
 * 1. Full replay: `loadStoreLedger` without a snapshot (readAll + Ledger.apply of every event).
 * 2. A snapshot `tail` events before the end: the Ledger of the log up to there (not timed), written
 *    (`writeSnapshot`) and stored (`saveSnapshot`): wall time of each and the size.
 * 3. Start from it: `loadStoreLedger` (load the row, `readSnapshot`, apply the `tail` events after it),
 *    and whether its answers (every contract's invoice of the last month, every entry) are the full
 *    replay's.
 * 4. `msp-billing invoice --store URL --contract C --period P` end to end (a process of the built
 *    CLI, wall time as the user waits for it), with the snapshot and with `--no-snapshot`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import {
  PostgresEventStore,
  SNAPSHOT_FORMAT,
  createLedger,
  loadStoreLedger,
  readAllEvents,
  saveSnapshot,
  writeSnapshot,
  type Ledger,
} from './pgDeps.js';
import { root } from './args.js';

const [url, schema, tailText] = process.argv.slice(2);
if (url === undefined || schema === undefined || tailText === undefined)
  throw new Error('usage: pgSnapshot.ts <database-url> <schema> <tail>');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema)}`);
const tail = Number(tailText);

const log = (s: string): void => void process.stderr.write(`  ${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 3 });
pool.on('error', () => undefined);
const store = await PostgresEventStore.create({ pool, migrate: false });

const timed = async <A>(name: string, work: () => Promise<A> | A): Promise<{ value: A; wallMs: number }> => {
  gc?.();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  log(`${name}: ${(wallMs / 1000).toFixed(2)} s`);
  return { value, wallMs };
};

/** A digest of what the Ledger answers: every entry, and every contract's invoice of `period`. */
const answers = (ledger: Ledger, period: string): string => {
  const h = createHash('sha256');
  for (const e of ledger.eachEntry()) h.update(JSON.stringify(e));
  for (const c of ledger.contractIds()) h.update(JSON.stringify(ledger.invoice(c, period)));
  return h.digest('hex');
};

/** The CLI's `invoice` as a user runs it: a fresh process, wall time until it exits. */
const cli = (
  args: readonly string[],
): { wallMs: number; code: number | null; stdout: string; stderr: string } => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [resolve(root, 'packages/cli/bin/msp-billing.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { wallMs: performance.now() - t0, code: r.status, stdout: r.stdout, stderr: r.stderr };
};

try {
  await pool.query('DELETE FROM msp_snapshots');
  const full = await timed('full replay (readAll + apply)', () =>
    loadStoreLedger(store, { useSnapshot: false }),
  );
  const end = full.value.position;
  // The last month with work, and a contract to invoice through the CLI.
  const period = [...full.value.ledger.eachEntry()].reduce(
    (p, e) => (e.period > p ? e.period : p),
    '0000-00',
  );
  const contract = full.value.ledger.contractIds()[0] ?? '';
  const fullAnswers = answers(full.value.ledger, period);

  // The Ledger up to `tail` events before the end (the snapshot a service wrote a while ago).
  const head = await store.pool.query<{ p: string }>(
    `SELECT position::text AS p FROM msp_events ORDER BY position DESC OFFSET $1 LIMIT 1`,
    [tail],
  );
  const cut = BigInt(head.rows[0]?.p ?? '0');
  const upToCut = createLedger();
  const counts = { events: 0, duplicates: 0, invalid: 0 };
  for await (const r of readAllEvents(store, { batchSize: 2000 })) {
    if (r.position > cut) break;
    const applied = upToCut.apply(r.event);
    counts.events += 1;
    if (applied._tag === 'Duplicate') counts.duplicates += 1;
    else if (applied._tag === 'Invalid') counts.invalid += 1;
  }
  const meta = {
    position: cut.toString(),
    events: String(counts.events),
    duplicates: String(counts.duplicates),
    invalid: String(counts.invalid),
  };
  const written = await timed('writeSnapshot', () => writeSnapshot(upToCut, meta));
  const saved = await timed('saveSnapshot (one transaction)', () =>
    saveSnapshot(store.pool, {
      partition: '0/1',
      format: SNAPSHOT_FORMAT,
      position: cut,
      bytes: written.value,
    }),
  );
  const restored = await timed(`start from the snapshot (restore + ${tail} events)`, () =>
    loadStoreLedger(store),
  );
  if (restored.value.snapshot === undefined)
    throw new Error(`the snapshot was not used: ${restored.value.notice ?? '?'}`);
  const same = answers(restored.value.ledger, period) === fullAnswers && restored.value.position === end;

  const cliUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const invoiceArgs = ['invoice', '--store', cliUrl, '--contract', contract, '--period', period];
  const withSnapshot = cli(invoiceArgs);
  const withoutSnapshot = cli([...invoiceArgs, '--no-snapshot']);
  if (withSnapshot.code !== 0 || withoutSnapshot.code !== 0)
    throw new Error(`msp-billing invoice failed: ${withSnapshot.stderr}${withoutSnapshot.stderr}`);
  log(
    `invoice --store with a snapshot: ${(withSnapshot.wallMs / 1000).toFixed(2)} s; --no-snapshot: ${(withoutSnapshot.wallMs / 1000).toFixed(2)} s`,
  );
  process.stdout.write(
    `${JSON.stringify({
      events: counts.events + tail,
      tail,
      fullReplayMs: full.wallMs,
      writeMs: written.wallMs,
      saveMs: saved.wallMs,
      bytes: written.value.length,
      restoreMs: restored.wallMs,
      sameAnswers: same,
      invoice: {
        contract,
        period,
        withSnapshotMs: withSnapshot.wallMs,
        withoutSnapshotMs: withoutSnapshot.wallMs,
        sameOutput: withSnapshot.stdout === withoutSnapshot.stdout,
      },
    })}\n`,
  );
} finally {
  await store.close();
  await pool.end();
}
