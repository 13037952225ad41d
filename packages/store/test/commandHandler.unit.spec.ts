/**
 * The command handler: decide on the folded state, append at the exact revision, retry conflicts a
 * bounded number of times, and report refusals and exhaustion as Left values.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  commandHandler,
  InMemoryEventStore,
  WrongExpectedRevisionError,
  type Decider,
  type EventStore,
} from '../src/index.js';
import { contractTestEvent } from '../src/contractSuite.js';

interface Command {
  readonly eventId: string;
  readonly refuse?: boolean;
}
interface Refused {
  readonly _tag: 'Refused';
}
/** Counts its events; refuses on request. */
const counter: Decider<Command, number, void, Refused> = {
  decide: (c, _n) =>
    c.refuse === true ? E.left({ _tag: 'Refused' }) : E.right([contractTestEvent(c.eventId, 'k')]),
  evolve: (n) => n + 1,
  initialState: 0,
};

describe('commandHandler', () => {
  it("appends with 'no_stream' to an empty stream, then with the exact revision", async () => {
    const store = new InMemoryEventStore();
    const handle = commandHandler(store, counter);
    expect(await handle('contract-k', { eventId: 'x1' })).toEqual(
      E.right({
        events: [contractTestEvent('x1', 'k')],
        state: 1,
        alreadyApplied: false,
        nextExpectedRevision: 0n,
      }),
    );
    expect(await handle('contract-k', { eventId: 'x2' })).toMatchObject(
      E.right({ state: 2, nextExpectedRevision: 1n }),
    );
  });

  it('returns a refusal as Left and writes nothing', async () => {
    const store = new InMemoryEventStore();
    expect(await commandHandler(store, counter)('contract-k', { eventId: 'x', refuse: true })).toEqual(
      E.left({ _tag: 'Refused' }),
    );
    expect(await store.readStream('contract-k')).toEqual([]);
  });

  it('applies every one of 8 racing commands by retrying conflicts', async () => {
    const store = new InMemoryEventStore();
    const handle = commandHandler(store, counter, { maxRetries: 10 });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => handle('contract-race', { eventId: `r${i}` })),
    );
    expect(results.every(E.isRight)).toBe(true);
    const stored = await store.readStream('contract-race');
    expect(stored.map((r) => r.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(new Set(stored.map((r) => r.event.id)).size).toBe(8);
  });

  it('gives up with ConflictRetriesExhausted after maxRetries + 1 attempts', async () => {
    const inner = new InMemoryEventStore();
    let attempts = 0;
    const alwaysConflicting: EventStore = {
      appendToStream: (stream, _events, expected) => {
        attempts += 1;
        return Promise.reject(new WrongExpectedRevisionError(stream, expected, 3n));
      },
      readStream: (s, o) => inner.readStream(s, o),
      readAll: (o) => inner.readAll(o),
      subscribeToAll: (o) => inner.subscribeToAll(o),
      close: () => inner.close(),
    };
    const r = await commandHandler(alwaysConflicting, counter, { maxRetries: 2 })('contract-k', {
      eventId: 'x',
    });
    expect(r).toMatchObject(E.left({ _tag: 'ConflictRetriesExhausted', stream: 'contract-k', attempts: 3 }));
    expect(attempts).toBe(3);
  });

  it('lets other store errors reject', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('contract-k', [contractTestEvent('dup', 'k', 1)], 'no_stream');
    await expect(commandHandler(store, counter)('contract-k', { eventId: 'dup' })).rejects.toMatchObject({
      _tag: 'EventIdConflict',
    });
  });

  it('reloads the inputs on every attempt, so a retry decides on fresh facts from other aggregates', async () => {
    const store = new InMemoryEventStore();
    // Refuses unless the input says "open"; the input changes between the two attempts.
    const gated: Decider<Command, number, string, Refused> = {
      decide: (c, _n, gate) =>
        gate === 'open' ? E.right([contractTestEvent(c.eventId, 'g')]) : E.left({ _tag: 'Refused' }),
      evolve: (n) => n + 1,
      initialState: 0,
    };
    let loads = 0;
    // First attempt: a concurrent writer takes revision 0 between read and append → conflict.
    const racing: EventStore = {
      appendToStream: async (stream, events, expected) => {
        if (loads === 1) await store.appendToStream(stream, [contractTestEvent('other', 'g')], 'any');
        return store.appendToStream(stream, events, expected);
      },
      readStream: (stream, options) => store.readStream(stream, options),
      readAll: (options) => store.readAll(options),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => store.close(),
    };
    const handle = commandHandler(racing, gated, { backoffMs: () => 0 });
    const r = await handle('contract-g', { eventId: 'mine' }, () => {
      loads += 1;
      return 'open';
    });
    expect(r).toMatchObject(E.right({ alreadyApplied: false, nextExpectedRevision: 1n }));
    expect(loads).toBe(2);
  });

  it('answers a resent command as already applied, and a reused id with other content as a conflict', async () => {
    const store = new InMemoryEventStore();
    const handle = commandHandler(store, counter, {
      recordedEvent: (c) => contractTestEvent(c.eventId, 'k'),
    });
    expect(await handle('contract-k', { eventId: 'once' })).toMatchObject(E.right({ alreadyApplied: false }));
    expect(await handle('contract-k', { eventId: 'once' })).toMatchObject(
      E.right({ alreadyApplied: true, state: 1, events: [contractTestEvent('once', 'k')] }),
    );
    expect((await store.readStream('contract-k')).length).toBe(1);
    const other = commandHandler(store, counter, {
      recordedEvent: (c) => contractTestEvent(c.eventId, 'other-contract'),
    });
    expect(await other('contract-k', { eventId: 'once' })).toMatchObject(
      E.left({ _tag: 'CommandIdConflict', eventId: 'once' }),
    );
  });
});
