/**
 * Bulk import: routing (direct and indirect), recording order kept, counts, and re-running after a
 * crash writes only what is missing.
 */
import { describe, expect, it } from 'vitest';
import { importEvents, InMemoryEventStore, type EventStore, type RecordedEvent } from '../src/index.js';
import { sampleLog } from './fixtures.js';

const readEverything = async (store: EventStore): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let from: bigint | undefined;
  for (;;) {
    const page = await store.readAll(
      from === undefined ? { batchSize: 3 } : { fromPosition: from, batchSize: 3 },
    );
    if (page.length === 0) return out;
    out.push(...page);
    from = page[page.length - 1]?.position;
  }
};

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

describe('importEvents', () => {
  it('routes each event to its stream, keeps the input order, and counts the unroutable', async () => {
    const store = new InMemoryEventStore();
    const unroutable: string[] = [];
    const counts = await importEvents(store, sampleLog(), { onUnroutable: (e) => unroutable.push(e.id) });
    expect(counts).toEqual({ read: 9, appended: 8, alreadyPresent: 0, unroutable: 1 });
    expect(unroutable).toEqual(['e8']);
    const all = await readEverything(store);
    expect(all.map((r) => [r.event.id, r.stream])).toEqual([
      ['e1', 'ratecard-rc'],
      ['e2', 'contract-c1'],
      ['e3', 'ticket-t1'],
      ['e4', 'ticket-t1'],
      ['e5', 'contract-c1'],
      ['e6', 'ticket-t1'],
      ['e7', 'contract-c1'],
      ['e9', 'contract-c1'],
    ]);
  });

  it('resolves earlier work entries and alerts through the given resolver', async () => {
    const store = new InMemoryEventStore();
    const counts = await importEvents(store, sampleLog().slice(7, 8), {
      resolver: {
        ticketOfWork: (w) => (w === 'w-unknown' ? 't9' : undefined),
        contractOfAlert: () => undefined,
      },
    });
    expect(counts.appended).toBe(1);
    expect((await store.readStream('ticket-t9')).map((r) => r.event.id)).toEqual(['e8']);
  });

  it('accepts async input and reports progress after each append', async () => {
    const store = new InMemoryEventStore();
    const progress: number[] = [];
    await importEvents(store, asAsync(sampleLog()), {
      batchSize: 1,
      onProgress: (c) => progress.push(c.appended),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('re-run after a crash midway: nothing duplicated, everything present, order kept', async () => {
    const inner = new InMemoryEventStore();
    let appends = 0;
    const crashing: EventStore = {
      appendToStream: (s, e, x) => {
        appends += 1;
        return appends === 4 ? Promise.reject(new Error('connection lost')) : inner.appendToStream(s, e, x);
      },
      readStream: (s, o) => inner.readStream(s, o),
      readAll: (o) => inner.readAll(o),
      subscribeToAll: (o) => inner.subscribeToAll(o),
      close: () => inner.close(),
    };
    await expect(importEvents(crashing, sampleLog(), { batchSize: 2 })).rejects.toMatchObject({
      _tag: 'ImportInterrupted',
      // Appends so far: [e1] [e2] [e3 e4]; the fourth, [e5], fails when e6 (another stream) is read.
      counts: { read: 6, appended: 4, alreadyPresent: 0, unroutable: 0 },
      stream: 'contract-c1',
      eventId: 'e5',
      message: expect.stringContaining('connection lost'),
    });
    const again = await importEvents(crashing, sampleLog(), { batchSize: 3 });
    expect(again.appended + again.alreadyPresent).toBe(8);
    expect(again.alreadyPresent).toBeGreaterThan(0);
    expect((await readEverything(inner)).map((r) => r.event.id)).toEqual([
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
      'e7',
      'e9',
    ]);
    expect(await importEvents(inner, sampleLog())).toEqual({
      read: 9,
      appended: 0,
      alreadyPresent: 8,
      unroutable: 1,
    });
  });

  it('uses appendBatch when the store has it: up to batchSize events per call, runs kept in order', async () => {
    const inner = new InMemoryEventStore();
    const calls: string[][] = [];
    let failOn = -1;
    const batching: EventStore = {
      appendToStream: () => Promise.reject(new Error('appendToStream must not be used')),
      appendBatch: (items) => {
        calls.push(items.map((i) => `${i.stream}:${i.events.map((e) => e.id).join(',')}`));
        return calls.length === failOn ? Promise.reject(new Error('server gone')) : inner.appendBatch(items);
      },
      readStream: (s, o) => inner.readStream(s, o),
      readAll: (o) => inner.readAll(o),
      subscribeToAll: (o) => inner.subscribeToAll(o),
      close: () => inner.close(),
    };
    const progress: number[] = [];
    const counts = await importEvents(batching, sampleLog(), {
      batchSize: 4,
      onProgress: (c) => progress.push(c.appended),
    });
    expect(counts).toEqual({ read: 9, appended: 8, alreadyPresent: 0, unroutable: 1 });
    expect(calls).toEqual([
      ['ratecard-rc:e1', 'contract-c1:e2', 'ticket-t1:e3,e4'],
      ['contract-c1:e5', 'ticket-t1:e6', 'contract-c1:e7,e9'],
    ]);
    expect(progress).toEqual([4, 8]);
    expect((await readEverything(inner)).map((r) => r.event.id)).toEqual([
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
      'e7',
      'e9',
    ]);

    calls.length = 0;
    failOn = 2;
    await expect(
      importEvents(batching, [...sampleLog(), ...sampleLog()], { batchSize: 4 }),
    ).rejects.toMatchObject({
      _tag: 'ImportInterrupted',
      counts: { appended: 0, alreadyPresent: 4 },
      stream: 'contract-c1',
      eventId: 'e5',
      message: expect.stringContaining('server gone'),
    });
  });
});
