/**
 * Child process of `pnpm bench:pg` (postgres.ts): snapshots of the Ledger on a store that holds the
 * log (imported by pgReadModel.ts `prepare` into `<schema>`). Run as
 * `node --expose-gc --import tsx pgSnapshot.ts <step> <database-url> <schema> [tail]`; prints one JSON
 * object. Each step is a fresh process, as a restarting service or a CLI command is:
 *
 * - `replay`: the Ledger by a full replay (`loadStoreLedger` without a snapshot): wall time, and a
 *   digest of its answers (every entry, every contract's invoice of the last month with work);
 * - `write <tail>`: the Ledger of the log up to `tail` events before its end (not timed), written
 *   (`writeSnapshot`) and stored (`saveSnapshot`, one transaction): wall time of each, and the size;
 * - `restore`: the Ledger from that snapshot and the events after it (`loadStoreLedger`): wall time,
 *   and the digest of its answers (the same as the replay's, or the bench says NO);
 * - `invoice`: `msp-billing invoice --store URL --contract C --period P` as a user runs it (the built
 *   CLI, a process of its own), with the snapshot and with `--no-snapshot`.
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
import { isBuildFresh } from '../../cli/bin/fresh.js';

const [stepName, url, schema, tailText] = process.argv.slice(2);
if (stepName === undefined || url === undefined || schema === undefined)
  throw new Error('usage: pgSnapshot.ts <step> <database-url> <schema> [tail]');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema)}`);

const log = (s: string): void => void process.stderr.write(`  ${s}\n`);

const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 3 });
pool.on('error', () => undefined);
const store = await PostgresEventStore.create({ pool, migrate: false });

const timed = async <A>(name: string, work: () => Promise<A> | A): Promise<{ value: A; wallMs: number }> => {
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  log(`${name}: ${(wallMs / 1000).toFixed(2)} s`);
  return { value, wallMs };
};

/** The last month with work, and the first contract: what `invoice` asks for. */
const question = (ledger: Ledger): { period: string; contract: string } => {
  let period = '0000-00';
  for (const e of ledger.eachEntry()) if (e.period > period) period = e.period;
  return { period, contract: ledger.contractIds()[0] ?? '' };
};

/** A digest of what the Ledger answers: every entry, and every contract's invoice of `period`. */
const answers = (ledger: Ledger, period: string): string => {
  const h = createHash('sha256');
  for (const e of ledger.eachEntry()) h.update(JSON.stringify(e));
  for (const c of ledger.contractIds()) h.update(JSON.stringify(ledger.invoice(c, period)));
  return h.digest('hex');
};

/** A CLI command as a user runs it: a fresh process, wall time until it exits. */
const cli = (args: readonly string[]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [resolve(root, 'packages/cli/bin/msp-billing.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { wallMs: performance.now() - t0, code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const steps: Record<string, () => Promise<unknown>> = {
  replay: async () => {
    const full = await timed('full replay (readAll + apply)', () =>
      loadStoreLedger(store, { useSnapshot: false }),
    );
    const q = question(full.value.ledger);
    return {
      ...q,
      events: full.value.counts.events,
      wallMs: full.wallMs,
      digest: answers(full.value.ledger, q.period),
    };
  },
  write: async () => {
    const tail = Number(tailText ?? '0');
    await pool.query('DELETE FROM msp_snapshots');
    // The Ledger up to `tail` events before the end (the snapshot a service wrote a while ago).
    const head = await pool.query<{ p: string }>(
      'SELECT position::text AS p FROM msp_events ORDER BY position DESC OFFSET $1 LIMIT 1',
      [tail],
    );
    const cut = BigInt(head.rows[0]?.p ?? '0');
    const ledger = createLedger();
    const counts = { events: 0, duplicates: 0, invalid: 0 };
    for await (const r of readAllEvents(store, { batchSize: 2000 })) {
      if (r.position > cut) break;
      const applied = ledger.apply(r.event);
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
    const written = await timed('writeSnapshot', () => writeSnapshot(ledger, meta));
    const saved = await timed('saveSnapshot (one transaction)', () =>
      saveSnapshot(pool, { partition: '0/1', format: SNAPSHOT_FORMAT, position: cut, bytes: written.value }),
    );
    // The older snapshots' deleted rows, vacuumed now rather than by an autovacuum during a start.
    await pool.query('VACUUM msp_snapshots');
    return { tail, writeMs: written.wallMs, saveMs: saved.wallMs, bytes: written.value.length };
  },
  restore: async () => {
    const restored = await timed('start from the snapshot (restore + the events after it)', () =>
      loadStoreLedger(store),
    );
    if (restored.value.snapshot === undefined)
      throw new Error(`the snapshot was not used: ${restored.value.notice ?? '?'}`);
    const { period } = question(restored.value.ledger);
    return {
      wallMs: restored.wallMs,
      tail: restored.value.tail,
      digest: answers(restored.value.ledger, period),
    };
  },
  invoice: async () => {
    const full = await loadStoreLedger(store);
    const { contract, period } = question(full.ledger);
    const cliUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const args = ['invoice', '--store', cliUrl, '--contract', contract, '--period', period];
    const withSnapshot = cli(args);
    const withoutSnapshot = cli([...args, '--no-snapshot']);
    if (withSnapshot.code !== 0 || withoutSnapshot.code !== 0)
      throw new Error(`msp-billing invoice failed: ${withSnapshot.stderr}${withoutSnapshot.stderr}`);
    log(
      `invoice --store with a snapshot: ${(withSnapshot.wallMs / 1000).toFixed(2)} s; --no-snapshot: ${(withoutSnapshot.wallMs / 1000).toFixed(2)} s`,
    );
    return {
      contract,
      period,
      // Whether `msp-billing` ran compiled (`pnpm build`) or from its sources through tsx (slower start).
      compiled: isBuildFresh(resolve(root, 'packages/cli/dist')),
      withSnapshotMs: withSnapshot.wallMs,
      withoutSnapshotMs: withoutSnapshot.wallMs,
      sameOutput: withSnapshot.stdout === withoutSnapshot.stdout,
    };
  },
};

const step = steps[stepName];
if (step === undefined) throw new Error(`unknown step ${stepName}`);
try {
  process.stdout.write(`${JSON.stringify(await step())}\n`);
} finally {
  await store.close();
  await pool.end();
}
