/**
 * The in-memory store against the shared contract suite, plus what only it promises: speed at the
 * scale of a benchmark, and closing ends subscriptions.
 */
import { describe, expect, it } from 'vitest';
import {
  describeAppendBatchContract,
  describeEventStoreContract,
  contractTestEvent,
} from '../src/contractSuite.js';
import { InMemoryEventStore } from '../src/index.js';

describeEventStoreContract('in-memory', () => Promise.resolve(new InMemoryEventStore()));
describeAppendBatchContract('in-memory', () => Promise.resolve(new InMemoryEventStore()));

describe('InMemoryEventStore', () => {
  it('appends 200 000 events to 2 000 streams in seconds, not minutes (amortised O(1))', async () => {
    const store = new InMemoryEventStore();
    const events = Array.from({ length: 200_000 }, (_, i) => contractTestEvent(`e${i}`, `c${i % 2000}`));
    const started = performance.now();
    for (let i = 0; i < events.length; i++) {
      await store.appendToStream(`contract-c${i % 2000}`, [events[i]!], 'any');
    }
    const ms = performance.now() - started;
    expect(store.size).toBe(200_000);
    expect((await store.readStream('contract-c7')).length).toBe(100);
    // Generous for a loaded CI box; a per-append scan of the log would take minutes, not seconds.
    expect(ms).toBeLessThan(15_000);
  });

  it('ends an open subscription when the store closes', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('contract-a', [contractTestEvent('a1', 'a')], 'no_stream');
    const seen: string[] = [];
    const done = (async () => {
      for await (const r of store.subscribeToAll()) seen.push(r.event.id);
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    await done;
    expect(seen).toEqual(['a1']);
    await expect(store.readAll()).rejects.toThrow(/closed/);
  });
});
