/**
 * `consumeFromCheckpoint`: follow the store from a named checkpoint, store it as events are handled,
 * and resume after a stop with neither loss nor repetition; `readAllEvents`: history to the end.
 */
import { describe, expect, it } from 'vitest';
import { consumeFromCheckpoint, InMemoryEventStore, readAllEvents } from '../src/index.js';
import { contractTestEvent } from '../src/contractSuite.js';

describe('consumeFromCheckpoint', () => {
  it('handles each event once across a stop and a restart', async () => {
    const store = new InMemoryEventStore();
    const handled: string[] = [];
    await store.appendToStream(
      'contract-a',
      [0, 1, 2].map((i) => contractTestEvent(`a${i}`, 'a')),
      'no_stream',
    );

    const first = new AbortController();
    const running = consumeFromCheckpoint(store, {
      name: 'p',
      checkpoints: store.checkpoints,
      signal: first.signal,
      checkpointEvery: 2,
      onEvent: (r) => {
        handled.push(r.event.id);
        if (handled.length === 3) first.abort();
      },
    });
    await running;
    expect(await store.checkpoints.load('p')).toBe(3n);

    await store.appendToStream(
      'contract-a',
      [3, 4].map((i) => contractTestEvent(`a${i}`, 'a')),
      2n,
    );
    const second = new AbortController();
    await consumeFromCheckpoint(store, {
      name: 'p',
      checkpoints: store.checkpoints,
      signal: second.signal,
      onEvent: (r) => {
        handled.push(r.event.id);
        if (handled.length === 5) second.abort();
      },
    });
    expect(handled).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(await store.checkpoints.load('p')).toBe(5n);
  });
});

describe('readAllEvents', () => {
  it('yields every event after the position across pages, then ends', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream(
      'contract-a',
      [0, 1, 2, 3, 4].map((i) => contractTestEvent(`a${i}`, 'a')),
      'no_stream',
    );
    const all: string[] = [];
    for await (const r of readAllEvents(store, { batchSize: 2 })) all.push(r.event.id);
    expect(all).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    const tail: string[] = [];
    for await (const r of readAllEvents(store, { fromPosition: 3n, batchSize: 2 })) tail.push(r.event.id);
    expect(tail).toEqual(['a3', 'a4']);
  });
});
