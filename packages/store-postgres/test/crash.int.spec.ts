/**
 * Crash and resume. A projection process is killed with SIGKILL mid-batch (rows written, not
 * committed) and restarted: its table ends equal to an uninterrupted run's, because each batch and
 * its checkpoint commit together. And a PostgreSQL server restarted during `importEvents`: the
 * import fails with the connection error, and re-running it leaves every event exactly once, in
 * input order.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, type DomainEvent } from '@msp-billing/events';
import { importEvents, type RecordedEvent } from '@msp-billing/store';
import { contractTestEvent } from '@msp-billing/store/contract-suite';
import { PostgresEventStore, runPostgresProjection } from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';
import { MINUTES_TABLE_SQL, minutesHandler } from './support/minutesProjection.js';
import { startThrowawayPostgres } from './support/pgServer.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./support/projectionChild.ts', import.meta.url));

const workLogged = (id: string, ticketId: string, minutes: number): DomainEvent => {
  const r = decodeEvent({
    id,
    type: 'WorkLogged',
    occurredAt: '2026-10-05T09:00:00+02:00',
    data: { workId: id, ticketId, technician: 'tech', startedAt: '2026-10-05T09:00:00+02:00', minutes },
  });
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
};

interface Child {
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  readonly kill: () => void;
  readonly waitFor: (line: string, times: number) => Promise<void>;
}

const startChild = (url: string, args: readonly string[]): Child => {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners: Array<() => void> = [];
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter((l) => l !== ''));
    for (const l of listeners) l();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      proc.on('exit', (code, signal) => {
        for (const l of listeners) l();
        resolve({ code, signal, stderr });
      }),
  );
  return {
    lines,
    exited,
    kill: () => proc.kill('SIGKILL'),
    waitFor: (line, times) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (lines.filter((l) => l === line).length >= times) resolve();
          else if (proc.exitCode !== null || proc.signalCode !== null)
            reject(new Error(`child exited before printing ${line} ×${times}: ${stderr}`));
        };
        listeners.push(check);
        check();
      }),
  };
};

describe('crash and resume', () => {
  let url: string;
  let store: PostgresEventStore;
  beforeAll(async () => {
    url = await testDatabaseUrl();
    store = await PostgresEventStore.create({ connectionString: url });
    await store.pool.query(MINUTES_TABLE_SQL);
  });
  afterAll(async () => {
    await store.close();
  });

  const tableOf = async (
    projection: string,
  ): Promise<Array<{ ticket: string; minutes: string; events: string }>> =>
    (
      await store.pool.query<{ ticket: string; minutes: string; events: string }>(
        'SELECT ticket, minutes::text AS minutes, events::text AS events FROM msp_test_minutes WHERE projection = $1 ORDER BY ticket',
        [projection],
      )
    ).rows;

  it('a projection killed with SIGKILL mid-batch and restarted ends like an uninterrupted run', async () => {
    const tag = `crash-${randomUUID()}`;
    const marker = (
      await store.appendToStream(`contract-${tag}`, [contractTestEvent(`${tag}-m`, tag)], 'no_stream')
    ).position;
    const expected = new Map<string, { minutes: number; events: number }>();
    const seeded: DomainEvent[] = [];
    let last = marker;
    for (let i = 0; i < 120; i += 5) {
      const ticket = `${tag}-t${(i / 5) % 6}`;
      const batch = [0, 1, 2, 3, 4].map((k) => workLogged(`${tag}-w${i + k}`, ticket, ((i + k) % 90) + 1));
      seeded.push(...batch);
      last = (await store.appendToStream(`ticket-${ticket}`, batch, 'any')).position;
    }
    for (const e of seeded)
      if (e.type === 'WorkLogged') {
        const x = expected.get(e.data.ticketId) ?? { minutes: 0, events: 0 };
        expected.set(e.data.ticketId, { minutes: x.minutes + e.data.minutes, events: x.events + 1 });
      }
    const expectedRows = [...expected.entries()]
      .toSorted(([a], [b]) => (a < b ? -1 : 1))
      .map(([ticket, v]) => ({ ticket, minutes: String(v.minutes), events: String(v.events) }));

    // Both projections start just before the seeded events (not at the start of a shared database).
    const straight = `${tag}-straight`;
    const killed = `${tag}-killed`;
    await store.checkpoints.store(straight, marker);
    await store.checkpoints.store(killed, marker);

    await runPostgresProjection({
      pool: store.pool,
      name: straight,
      batchSize: 10,
      stopAtPosition: last,
      handle: minutesHandler(straight, tag, 0),
    });
    expect(await tableOf(straight)).toEqual(expectedRows);

    const first = startChild(url, [killed, tag, String(last), '400']);
    await first.waitFor('wrote', 3);
    first.kill();
    const end = await first.exited;
    expect(end.signal).toBe('SIGKILL');
    // What the killed run left is exactly its committed batches: the batch in flight left nothing.
    const checkpoint = (await store.checkpoints.load(killed)) as bigint;
    expect(checkpoint).toBeGreaterThan(marker);
    expect(checkpoint).toBeLessThan(last);
    const committed = new Map<string, { minutes: number; events: number }>();
    const upTo = await store.readAll({ fromPosition: marker, batchSize: 10_000 });
    for (const r of upTo)
      if (
        r.position <= checkpoint &&
        r.event.type === 'WorkLogged' &&
        r.event.data.ticketId.startsWith(tag)
      ) {
        const x = committed.get(r.event.data.ticketId) ?? { minutes: 0, events: 0 };
        committed.set(r.event.data.ticketId, {
          minutes: x.minutes + r.event.data.minutes,
          events: x.events + 1,
        });
      }
    expect(await tableOf(killed)).toEqual(
      [...committed.entries()]
        .toSorted(([a], [b]) => (a < b ? -1 : 1))
        .map(([ticket, v]) => ({ ticket, minutes: String(v.minutes), events: String(v.events) })),
    );

    const second = startChild(url, [killed, tag, String(last), '0']);
    const done = await second.exited;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.lines).toContain('done');
    expect(await tableOf(killed)).toEqual(await tableOf(straight));
  });

  it('a server restart during importEvents: the import fails clearly; re-running it completes exactly once', async () => {
    const server = await startThrowawayPostgres('msp_restart');
    const own = await PostgresEventStore.create({ connectionString: server.url });
    try {
      // Interleaved streams through appendBatch, in batches of 20 events: the import is mid-way (many
      // batches still to go) when the server goes.
      const input = Array.from({ length: 600 }, (_, i) => contractTestEvent(`imp-${i}`, `c${i % 25}`, i));
      let restarting: Promise<void> | undefined;
      const outcome = await importEvents(own, input, {
        batchSize: 20,
        onProgress: (c) => {
          if (restarting === undefined && c.appended >= 150) restarting = server.restart();
        },
      }).then(
        (counts) => ({ failed: false as const, counts }),
        (err: unknown) => ({ failed: true as const, err }),
      );
      await restarting;
      // Stopped by the server's shutdown (57P01), or by the connection refused while it was down.
      expect(outcome).toMatchObject({
        failed: true,
        err: {
          _tag: 'ImportInterrupted',
          message: expect.stringMatching(/^import stopped after \d+ appended/),
        },
      });

      // Other batch boundaries on the re-run: idempotency is per event id, not per batch.
      const rerun = await importEvents(own, input, { batchSize: 64 });
      expect(rerun.read).toBe(600);
      expect(rerun.appended + rerun.alreadyPresent).toBe(600);
      expect(rerun.alreadyPresent).toBeGreaterThanOrEqual(150);

      const all: RecordedEvent[] = [];
      for (let p = 0n; ;) {
        const page = await own.readAll({ fromPosition: p, batchSize: 250 });
        if (page.length === 0) break;
        all.push(...page);
        p = (page.at(-1) as RecordedEvent).position;
      }
      expect(all.map((r) => r.event.id)).toEqual(input.map((e) => e.id));
      for (let k = 0; k < 25; k++)
        expect(all.filter((r) => r.stream === `contract-c${k}`).map((r) => r.revision)).toEqual(
          Array.from({ length: 24 }, (_, i) => BigInt(i)),
        );
      const direct = new Pool({ connectionString: server.url, max: 1 });
      try {
        const count = await direct.query<{ n: string }>('SELECT count(*)::text AS n FROM msp_events');
        expect(count.rows[0]?.n).toBe('600');
      } finally {
        await direct.end();
      }
    } finally {
      await own.close();
      await server.stop();
    }
  });
});
