/**
 * Child process of `pnpm bench:pg` (postgres.ts): the SQL read model's build, in a schema of its own.
 * Run as `node --import tsx pgReadModel.ts <step> <database-url> <schema> [arg]`; prints one JSON
 * object. Steps:
 *
 * - `prepare <log.ndjson>`: create the schema, import the log, create the read model's tables;
 * - `worker <i/n>`: one read-model worker from the start until caught up (1000 events per batch):
 *   wall and CPU time of this process;
 * - `partial <tail>`: one worker from the start up to `tail` events before the end (a snapshot of
 *   its state at its checkpoint when it stops): the checkpoint and the snapshot's size;
 * - `restart <snapshot|replay> <checkpoint>`: the checkpoint put back to `checkpoint` (the rows are
 *   not: only the time counts), then one worker started on it, from its snapshot or replaying the
 *   log, until caught up, storing no snapshot: wall and CPU time;
 * - `digest`: row counts and an md5 of each table's rows in key order (to compare two builds);
 * - `reset`: empty the tables and forget the workers' checkpoints;
 * - `drop`: drop the schema.
 */
import { Pool } from 'pg';
import {
  PostgresEventStore,
  importEvents,
  openEventSource,
  parsePartition,
  prepareReadModel,
  readNdjson,
  runReadModel,
  type DomainEvent,
} from './pgDeps.js';

const [stepName, url, schema, arg, arg2] = process.argv.slice(2);
if (stepName === undefined || url === undefined || schema === undefined)
  throw new Error('usage: pgReadModel.ts <step> <database-url> <schema> [arg]');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema)}`);

const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 3 });
pool.on('error', () => undefined);

const TABLES = {
  billing_entries: 'work_id',
  billing_invoices: 'contract_id, period',
  billing_invoice_lines: 'contract_id, period, line_no',
} as const;

const steps: Record<string, () => Promise<unknown>> = {
  prepare: async () => {
    if (arg === undefined) throw new Error('prepare needs the log file');
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const store = await PostgresEventStore.create({ pool });
    const file = arg;
    async function* events(): AsyncGenerator<DomainEvent> {
      for await (const item of readNdjson(openEventSource(file))) if (item.kind === 'event') yield item.event;
    }
    const t0 = performance.now();
    const counts = await importEvents(store, events());
    // Settle the table (visibility map, statistics) so that no autovacuum of the import runs during
    // the measurements after it, as in pgRun.ts.
    await pool.query('VACUUM (ANALYZE) msp_events');
    await prepareReadModel(pool);
    return { imported: counts.appended, importMs: performance.now() - t0 };
  },
  worker: async () => {
    const partition = parsePartition(arg ?? '0/1');
    if (partition._tag === 'Left') throw new Error(partition.left);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runReadModel({
      pool,
      partition: partition.right,
      batchSize: 1000,
      stopWhenCaughtUp: true,
    });
    const c = process.cpuUsage(c0);
    return {
      partition: arg,
      events: r.events,
      batches: r.batches,
      wallMs: performance.now() - t0,
      cpuMs: (c.user + c.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  },
  partial: async () => {
    const tail = BigInt(arg ?? '1000');
    const head = BigInt(
      (await pool.query<{ head: string }>('SELECT coalesce(max(position), 0)::text AS head FROM msp_events'))
        .rows[0]?.head ?? '0',
    );
    const t0 = performance.now();
    const r = await runReadModel({ pool, batchSize: 1000, stopAtPosition: head - tail });
    const size = await pool.query<{ bytes: number }>(
      `SELECT octet_length(bytes) AS bytes FROM msp_snapshots WHERE partition = 'billing-read-model'
        ORDER BY id DESC LIMIT 1`,
    );
    return {
      checkpoint: r.checkpoint.toString(),
      wallMs: performance.now() - t0,
      snapshotBytes: size.rows[0]?.bytes ?? 0,
    };
  },
  restart: async () => {
    if (arg2 === undefined) throw new Error('restart needs snapshot|replay and the checkpoint');
    await pool.query(`UPDATE msp_checkpoints SET position = $1 WHERE name = 'billing-read-model'`, [arg2]);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runReadModel({
      pool,
      batchSize: 1000,
      stopWhenCaughtUp: true,
      snapshotEvery: 0,
      useSnapshot: arg === 'snapshot',
    });
    const c = process.cpuUsage(c0);
    return {
      mode: arg,
      events: r.events,
      wallMs: performance.now() - t0,
      cpuMs: (c.user + c.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  },
  digest: async () => {
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const [table, key] of Object.entries(TABLES)) {
      const r = await pool.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY ${key}), '')) AS md5
           FROM ${table} t`,
      );
      out[table] = r.rows[0] as { rows: number; md5: string };
    }
    return out;
  },
  reset: async () => {
    await pool.query('TRUNCATE billing_entries, billing_invoices, billing_invoice_lines');
    await pool.query(`DELETE FROM msp_checkpoints WHERE name LIKE 'billing-read-model%'`);
    await pool.query(`DELETE FROM msp_snapshots WHERE partition LIKE 'billing-read-model%'`);
    return {};
  },
  drop: async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    return {};
  },
};

const step = steps[stepName];
if (step === undefined) throw new Error(`unknown step ${stepName}`);
try {
  process.stdout.write(`${JSON.stringify(await step())}\n`);
} finally {
  await pool.end();
}
