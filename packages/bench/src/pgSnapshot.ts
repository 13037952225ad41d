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
 * - `invoice <contract> <period>` (the replay's question): `msp-billing invoice --store URL
 *   --contract C --period P` as a user runs it (the built CLI, a process of its own), with the
 *   snapshot and with `--no-snapshot`;
 * - `service-replay <contract> <period>`: the example embedding service (examples/embedding-service)
 *   started on the store with no snapshot of its own: the wall time until it answers that invoice,
 *   then `close`, which writes its snapshot (Ledger and Registry);
 * - `service-restart <contract> <period>`: the service started again, from that snapshot: the wall
 *   time until it answers the same invoice (the same answer, or the bench says NO), then the first
 *   command (one that the deciders refuse, so nothing is appended), which reads the Registry.
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
import { decodeCommand } from '@msp-billing/contracts';
import { createBillingService } from '../../../examples/embedding-service/src/billingService.js';

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

/**
 * The example service started on the store (its own snapshots, none written while running) until it
 * answers the invoice of the contract and period given after the step's name; and a digest of it.
 */
const serviceAnswering = (name: string) => {
  const [contract = '', period = ''] = process.argv.slice(5);
  return timed(name, async () => {
    const service = createBillingService(store, { snapshots: { store, every: Number.MAX_SAFE_INTEGER } });
    const answer = await service.invoice(contract, period);
    return { service, digest: createHash('sha256').update(JSON.stringify(answer)).digest('hex') };
  });
};

/** Settle the snapshots table as a snapshot written a while before a start is (see `write`). */
const settleSnapshots = async (): Promise<void> => {
  await pool.query('VACUUM msp_snapshots');
  await pool.query('CHECKPOINT').catch(() => log('CHECKPOINT not allowed: the start is measured unsettled'));
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
    // Settled as a snapshot written a while before a start is: the older snapshots' deleted rows
    // vacuumed, and the new one's pages written out by a checkpoint rather than flushed during the
    // start (which made it 25-35 % slower). CHECKPOINT needs a superuser or pg_checkpoint (PG 15): a
    // database of a user without either is measured without it.
    await settleSnapshots();
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
    // The question the replay found (passed in): a Ledger restored here first would leave this
    // process's garbage collector busy on the second core while the CLI runs (0.3-0.5 s slower).
    const [contract = '', period = ''] = process.argv.slice(5);
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
  'service-replay': async () => {
    await pool.query(`DELETE FROM msp_snapshots WHERE partition = 'embedding-service'`);
    const started = await serviceAnswering('example service: start with no snapshot, first answer');
    const closed = await timed('example service: close (writes its snapshot)', () =>
      started.value.service.close(),
    );
    await settleSnapshots();
    return { wallMs: started.wallMs, closeMs: closed.wallMs, digest: started.value.digest };
  },
  'service-restart': async () => {
    const restarted = await serviceAnswering('example service: start from its snapshot, first answer');
    // A work entry on a ticket nobody opened: refused by the decider, so nothing is appended.
    const probe = decodeCommand({
      type: 'LogWork',
      eventId: 'bench-probe-1',
      occurredAt: '2026-10-10T11:00:00Z',
      data: {
        workId: 'bench-probe-w',
        ticketId: 'bench-no-ticket',
        technician: 'bench',
        startedAt: '2026-10-10T10:00:00Z',
        minutes: 5,
      },
    });
    if (probe._tag === 'Left') throw new Error('the probe command does not decode');
    const command = await timed('example service: first command (reads the Registry)', () =>
      restarted.value.service.execute(probe.right),
    );
    if (command.value._tag !== 'Refused') throw new Error('the probe command was accepted');
    return { wallMs: restarted.wallMs, firstCommandMs: command.wallMs, digest: restarted.value.digest };
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
