/**
 * Snapshot storage on a real PostgreSQL: bytes come back as stored, the newest of a partition is
 * the one loaded, only the newest two of each partition are kept, a position beyond the log is
 * refused, and a position read while another append is still open is consistent: the late event
 * gets a higher position, so "the events after the snapshot's position" include it.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTestEvent, uniqueStream } from '@msp-billing/store/contract-suite';
import {
  appendWithClient,
  loadLatestSnapshot,
  PostgresEventStore,
  saveSnapshot,
  SNAPSHOTS_KEPT,
} from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';

describe('PostgreSQL snapshot storage', () => {
  let store: PostgresEventStore;
  let head: bigint;
  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: await testDatabaseUrl() });
    const s = uniqueStream('snap');
    head = (await store.appendToStream(s, [contractTestEvent(`${s}-0`, s)], 'no_stream')).position;
  });
  afterAll(async () => {
    await store.close();
  });
  const partition = () => `t-${randomUUID()}`;
  const bytes = (n: number) => Uint8Array.from({ length: n }, (_, k) => (k * 7 + n) % 256);

  it('loads the newest snapshot of a partition, bytes and position as saved', async () => {
    const p = partition();
    expect(await loadLatestSnapshot(store.pool, p)).toBeUndefined();
    await saveSnapshot(store.pool, { partition: p, format: 1, position: head - 1n, bytes: bytes(10) });
    const saved = await saveSnapshot(store.pool, {
      partition: p,
      format: 2,
      position: head,
      bytes: bytes(300),
    });
    // Another partition's newer snapshot does not count.
    await saveSnapshot(store.pool, { partition: partition(), format: 2, position: head, bytes: bytes(5) });
    const loaded = await loadLatestSnapshot(store.pool, p);
    expect(loaded).toEqual({ ...saved, bytes: bytes(300) });
    expect(loaded?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    // Every byte value survives, zero bytes included.
    const all = Uint8Array.from({ length: 256 }, (_, k) => k);
    await saveSnapshot(store.pool, { partition: p, format: 2, position: head, bytes: all });
    expect((await loadLatestSnapshot(store.pool, p))?.bytes).toEqual(all);
  });

  it('stores the bytes out of line and uncompressed (what a start reads whole)', async () => {
    const p = partition();
    // 1 MB repeating every 256 bytes: PostgreSQL's default storage would compress it to a few kB.
    const big = bytes(1 << 20);
    await saveSnapshot(store.pool, { partition: p, format: 1, position: head, bytes: big });
    const stored = await store.pool.query<{ size: number }>(
      'SELECT pg_column_size(bytes) AS size FROM msp_snapshots WHERE partition = $1',
      [p],
    );
    expect(stored.rows).toEqual([{ size: 1 << 20 }]);
    // Read back whole over many pieces of the copy stream, into an array of its own memory.
    const loaded = await loadLatestSnapshot(store.pool, p);
    expect(loaded?.bytes.byteOffset).toBe(0);
    expect(loaded?.bytes.buffer.byteLength).toBe(1 << 20);
    expect(Buffer.from(loaded?.bytes ?? []).equals(Buffer.from(big))).toBe(true);
  });

  it('deleted after it was found, before its bytes were read: as if there were none; the pool goes on', async () => {
    const p = partition();
    const saved = await saveSnapshot(store.pool, {
      partition: p,
      format: 1,
      position: head,
      bytes: bytes(100),
    });
    // One connection: the bytes are read after the delete, which takes it first.
    const one = new Pool({ connectionString: await testDatabaseUrl(), max: 1 });
    try {
      let deleted: Promise<unknown> | undefined;
      const loaded = await loadLatestSnapshot(one, p, () => {
        deleted = one.query('DELETE FROM msp_snapshots WHERE id = $1', [saved.id.toString()]);
      });
      expect(deleted).toBeDefined();
      await deleted;
      expect(loaded).toBeUndefined();
      // The connection the pieces were read on answers the next query.
      expect((await one.query<{ x: number }>('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    } finally {
      await one.end();
    }
  });

  it(`keeps the newest ${SNAPSHOTS_KEPT} of each partition`, async () => {
    const [p, q] = [partition(), partition()];
    await saveSnapshot(store.pool, { partition: q, format: 1, position: 0n, bytes: bytes(1) });
    for (let k = 0; k < 4; k++)
      await saveSnapshot(store.pool, { partition: p, format: 1, position: head, bytes: bytes(k + 1) });
    const rows = await store.pool.query<{ partition: string; n: number }>(
      'SELECT partition, length(bytes) AS n FROM msp_snapshots WHERE partition = ANY($1) ORDER BY id',
      [[p, q]],
    );
    expect(rows.rows).toEqual([
      { partition: q, n: 1 },
      { partition: p, n: 3 },
      { partition: p, n: 4 },
    ]);
  });

  it('refuses a position beyond the last event, and saves nothing', async () => {
    const p = partition();
    await expect(
      saveSnapshot(store.pool, { partition: p, format: 1, position: head + 1_000_000n, bytes: bytes(3) }),
    ).rejects.toMatchObject({ _tag: 'SnapshotPosition' });
    expect(await loadLatestSnapshot(store.pool, p)).toBeUndefined();
  });

  it('a position read while another append is open: the late event lands after it', async () => {
    const a = uniqueStream('snap-late');
    const slow = await store.pool.connect();
    try {
      await slow.query('BEGIN');
      await appendWithClient(slow, a, [contractTestEvent(`${a}-1`, a)], 'no_stream');
      // A reader now: everything committed so far, up to its last position.
      let read = 0n;
      for (let page = await store.readAll({ fromPosition: 0n, batchSize: 5000 }); page.length > 0;) {
        read = page.at(-1)?.position ?? read;
        page = await store.readAll({ fromPosition: read, batchSize: 5000 });
      }
      const p = partition();
      await saveSnapshot(store.pool, { partition: p, format: 1, position: read, bytes: bytes(2) });
      await slow.query('COMMIT');
      const after = await store.readAll({
        fromPosition: (await loadLatestSnapshot(store.pool, p))?.position,
      });
      expect(after.map((r) => r.stream)).toContain(a);
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      slow.release();
    }
  });
});
