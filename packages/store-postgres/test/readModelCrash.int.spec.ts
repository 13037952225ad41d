/**
 * The read model killed with SIGKILL mid-batch (rows written, not committed) and restarted in a new
 * process: what the killed run left is exactly its committed batches, and the restarted one ends
 * with the tables of an uninterrupted run — the Ledger's answers for the whole log; also when it
 * stores snapshots and the restarted process starts from one older than its checkpoint.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importEvents, type RecordedEvent } from '@msp-billing/store';
import { decodeAll, generateScenario, scenarioForEventCount } from '@msp-billing/testing';
import { loadLatestSnapshot, PostgresEventStore, prepareReadModel, readModelName } from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';
import { expectedTables, freshDatabase, readTables, resetReadModel } from './support/readModelTables.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./support/readModelChild.ts', import.meta.url));

/** Start the worker process; resolves when it has printed `wrote` `times` times (or exited). */
const startWorker = (url: string, slowMs: number, killAfterWrites?: number, snapshotEvery?: number) => {
  const args = [childScript, String(slowMs), ...(snapshotEvery === undefined ? [] : [String(snapshotEvery)])];
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter((l) => l !== ''));
    if (killAfterWrites !== undefined && lines.filter((l) => l === 'wrote').length >= killAfterWrites)
      proc.kill('SIGKILL');
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>(
    (resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, lines, stderr })),
  );
};

describe('the read model after SIGKILL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshDatabase(await testDatabaseUrl());
    store = await PostgresEventStore.create({ connectionString: db.url });
    await prepareReadModel(store.pool);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('killed mid-batch and restarted, it ends with the tables of an uninterrupted run', async () => {
    const events = decodeAll([...generateScenario(scenarioForEventCount(1500, 3))]);
    await importEvents(store, events);
    const recorded = await store.readAll({ batchSize: 10_000 });
    expect(recorded.length).toBe(events.length);

    const killed = await startWorker(db.url, 1500, 4);
    expect(killed.signal).toBe('SIGKILL');
    // Three batches committed, the fourth written but not committed when the process died.
    const checkpoint = (await store.checkpoints.load(readModelName())) as bigint;
    const committed = recorded.filter((r: RecordedEvent) => r.position <= checkpoint).length;
    expect(committed).toBe(150);
    expect(await readTables(store.pool)).toEqual(expectedTables(events.slice(0, committed)));

    const restarted = await startWorker(db.url, 0);
    expect({ code: restarted.code, stderr: restarted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(restarted.lines).toContain('done');
    expect(await readTables(store.pool)).toEqual(expectedTables(events));
  }, 180_000);

  it('with snapshots: killed mid-batch, restarted from a snapshot older than its checkpoint', async () => {
    await resetReadModel(store.pool);
    const events = decodeAll([...generateScenario(scenarioForEventCount(1500, 3))]);
    if ((await store.readAll({ batchSize: 1 })).length === 0) await importEvents(store, events);
    const recorded = await store.readAll({ batchSize: 10_000 });
    expect(recorded.length).toBe(events.length);
    // 50 events per batch, a snapshot whenever the checkpoint is 70 positions past the last one:
    // after batches 2 (position 100) and 4 (200); killed while batch 5 waits to commit.
    const killed = await startWorker(db.url, 1500, 5, 70);
    expect(killed.signal).toBe('SIGKILL');
    const checkpoint = (await store.checkpoints.load(readModelName())) as bigint;
    expect(recorded.filter((r: RecordedEvent) => r.position <= checkpoint).length).toBe(200);
    // Started again with snapshots rarer (every 1000): it starts from batch 4's snapshot, commits
    // batch 5 and is killed in batch 6, which leaves the latest snapshot behind the checkpoint.
    const second = await startWorker(db.url, 1500, 2, 1000);
    expect(second.signal).toBe('SIGKILL');
    const advanced = (await store.checkpoints.load(readModelName())) as bigint;
    const committed = recorded.filter((r: RecordedEvent) => r.position <= advanced).length;
    expect(committed).toBe(250);
    const snapshot = await loadLatestSnapshot(store.pool, readModelName());
    expect(snapshot?.position).toBe((recorded[199] as RecordedEvent).position);
    expect(await readTables(store.pool)).toEqual(expectedTables(events.slice(0, committed)));

    const restarted = await startWorker(db.url, 0, undefined, 1000);
    expect({ code: restarted.code, stderr: restarted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await readTables(store.pool)).toEqual(expectedTables(events));
  }, 180_000);
});
