/**
 * The store CONTRACT SUITE: every EventStore adapter runs these tests unchanged, so "every
 * expected-revision mode is enforced, appends are idempotent by event id, reads are ordered" is
 * proven per adapter rather than assumed (Emmett left STREAM_DOES_NOT_EXIST unenforced in one
 * adapter; this suite is why we cannot). Each test writes to fresh, uniquely named streams, so
 * suites of several adapters or files can share one database.
 *
 * Import it from `@msp-billing/store/contract-suite` (not the main entry: it imports vitest).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEvent, decodeEvent, type DomainEvent } from '@msp-billing/events';
import type {
  AppendResult,
  BatchAppendItem,
  EventStoreWithCheckpoints,
  ExpectedRevision,
  RecordedEvent,
  SubscribeOptions,
} from './port.js';

/** Options of `describeEventStoreContract`. */
export interface ContractSuiteOptions {
  /** How long a subscription test waits for its events; default 10 s. */
  readonly subscriptionTimeoutMs?: number;
}

const SLAS = ['Basic', 'Standard', 'Professional', 'Premium'] as const;

/** A valid test event (an `SlaChanged`); `variant` changes its content but not its id. */
export const contractTestEvent = (id: string, contractId: string, variant = 0): DomainEvent => {
  const decoded = decodeEvent({
    id,
    type: 'SlaChanged',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + variant * 60_000).toISOString(),
    data: { contractId, sla: SLAS[variant % SLAS.length] },
  });
  if (decoded._tag === 'Left') throw new Error(`bad test event: ${decoded.left.message}`);
  return decoded.right;
};

/** A valid `InvoiceIssued` of `contractId` under `invoiceNumber` (October 2026, issued in November). */
export const invoiceTestEvent = (id: string, contractId: string, invoiceNumber: string): DomainEvent => {
  const decoded = decodeEvent({
    id,
    type: 'InvoiceIssued',
    occurredAt: '2026-11-02T08:00:00Z',
    data: { contractId, period: '2026-10', invoiceNumber },
  });
  if (decoded._tag === 'Left') throw new Error(`bad test event: ${decoded.left.message}`);
  return decoded.right;
};

const testEvent = (id: string, type: string, occurredAt: string, data: object): DomainEvent => {
  const decoded = decodeEvent({ id, type, occurredAt, data });
  if (decoded._tag === 'Left') throw new Error(`bad test event: ${decoded.left.message}`);
  return decoded.right;
};

/** A valid `MSPBooked` of `contractId` for VM `vmId`. */
export const bookingTestEvent = (id: string, contractId: string, vmId: string): DomainEvent =>
  testEvent(id, 'MSPBooked', '2026-01-05T08:00:00Z', {
    contractId,
    customerId: 'customer-1',
    vmId,
    sla: 'Standard',
    rateCardId: 'rates-1',
  });

/** A valid `MSPCancelled` of `contractId`. */
export const cancellationTestEvent = (id: string, contractId: string): DomainEvent =>
  testEvent(id, 'MSPCancelled', '2026-02-05T08:00:00Z', { contractId, vmDecommissioned: false });

/** A valid `WorkLogged` of `workId` on ticket `ticketId`. */
export const workTestEvent = (id: string, ticketId: string, workId: string): DomainEvent =>
  testEvent(id, 'WorkLogged', '2026-01-06T09:00:00Z', {
    workId,
    ticketId,
    technician: 'tech-1',
    startedAt: '2026-01-06T08:00:00Z',
    minutes: 30,
  });

/** A valid `AlertRaised` of `alertId` for `contractId`. */
export const alertTestEvent = (id: string, contractId: string, alertId: string): DomainEvent =>
  testEvent(id, 'AlertRaised', '2026-01-06T09:00:00Z', { alertId, contractId, metric: 'ram' });

/** A stream name no other test uses. */
export const uniqueStream = (label: string): string => `contract-${label}-${randomUUID()}`;

/**
 * Collect the first `count` records that match `keep` from a subscription, then stop it. Fails after
 * `timeoutMs` with what it had so far.
 */
export const takeFromSubscription = async (
  subscribe: (options: SubscribeOptions) => AsyncIterable<RecordedEvent>,
  options: { readonly fromPosition?: bigint; readonly batchSize?: number },
  keep: (r: RecordedEvent) => boolean,
  count: number,
  timeoutMs: number,
): Promise<RecordedEvent[]> => {
  const controller = new AbortController();
  const got: RecordedEvent[] = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const r of subscribe({ ...options, signal: controller.signal })) {
      if (!keep(r)) continue;
      got.push(r);
      if (got.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  if (got.length < count)
    throw new Error(`subscription delivered ${got.length} of ${count} events within ${timeoutMs} ms`);
  return got;
};

const ids = (records: readonly RecordedEvent[]): string[] => records.map((r) => r.event.id);

/** The append rule of docs/stores.md, written out naively, as the model for randomised checks. */
interface ModelEvent {
  readonly id: string;
  readonly variant: number;
}
type ModelOutcome =
  | { readonly _tag: 'Ok'; readonly nextExpectedRevision: bigint; readonly written: number }
  | { readonly _tag: 'WrongExpectedRevision' | 'EventIdConflict' };

const holds = (expected: ExpectedRevision, last: number): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && last < 0) ||
  (expected === 'stream_exists' && last >= 0) ||
  (typeof expected === 'bigint' && last >= 0 && BigInt(last) === expected);

const modelAppend = (
  stream: ModelEvent[],
  batch: readonly ModelEvent[],
  expected: ExpectedRevision,
): ModelOutcome => {
  const unique: ModelEvent[] = [];
  for (const e of batch) {
    const twin = unique.find((u) => u.id === e.id);
    if (twin !== undefined && twin.variant !== e.variant) return { _tag: 'EventIdConflict' };
    const stored = stream.find((x) => x.id === e.id);
    if (stored !== undefined && stored.variant !== e.variant) return { _tag: 'EventIdConflict' };
    if (twin === undefined) unique.push(e);
  }
  const fresh = unique.filter((e) => !stream.some((x) => x.id === e.id));
  if (fresh.length === 0) {
    const indexes = unique.map((e) => stream.findIndex((x) => x.id === e.id));
    if (!holds(expected, Math.min(...indexes) - 1)) return { _tag: 'WrongExpectedRevision' };
    return { _tag: 'Ok', nextExpectedRevision: BigInt(Math.max(...indexes)), written: 0 };
  }
  if (!holds(expected, stream.length - 1)) return { _tag: 'WrongExpectedRevision' };
  stream.push(...fresh);
  return { _tag: 'Ok', nextExpectedRevision: BigInt(stream.length - 1), written: fresh.length };
};

/** A small seeded generator (mulberry32): the same sequences on every adapter and every run. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Register the contract suite for one adapter; `makeStore` is called once per suite. */
export const describeEventStoreContract = (
  adapterName: string,
  makeStore: () => Promise<EventStoreWithCheckpoints>,
  options: ContractSuiteOptions = {},
): void => {
  const timeoutMs = options.subscriptionTimeoutMs ?? 10_000;

  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStoreWithCheckpoints;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    /** Append one marker event and return its position: everything written later is after it. */
    const head = async (): Promise<bigint> => {
      const s = uniqueStream('marker');
      return (await store.appendToStream(s, [contractTestEvent(`${s}-m`, s)], 'no_stream')).position;
    };

    describe('expected revision', () => {
      it("'no_stream' creates a stream whose first event has revision 0n", async () => {
        const s = uniqueStream('ns');
        const r = await store.appendToStream(
          s,
          [contractTestEvent(`${s}-1`, s), contractTestEvent(`${s}-2`, s)],
          'no_stream',
        );
        expect(r.nextExpectedRevision).toBe(1n);
        expect(r.written).toBe(2);
        expect((await store.readStream(s)).map((x) => x.revision)).toEqual([0n, 1n]);
      });

      it("'no_stream' on an existing stream is refused with the actual revision", async () => {
        const s = uniqueStream('ns-exists');
        await store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 'no_stream');
        await expect(
          store.appendToStream(s, [contractTestEvent(`${s}-2`, s)], 'no_stream'),
        ).rejects.toMatchObject({
          _tag: 'WrongExpectedRevision',
          stream: s,
          expected: 'no_stream',
          actual: 0n,
        });
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`]);
      });

      it("'stream_exists' on a missing stream is refused; on an existing one it appends", async () => {
        const s = uniqueStream('se');
        await expect(
          store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 'stream_exists'),
        ).rejects.toMatchObject({
          _tag: 'WrongExpectedRevision',
          stream: s,
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect(await store.readStream(s)).toEqual([]);
        await store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 'any');
        const r = await store.appendToStream(s, [contractTestEvent(`${s}-2`, s)], 'stream_exists');
        expect(r.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision that is right appends; a wrong one (lower, higher) is refused', async () => {
        const s = uniqueStream('exact');
        await store.appendToStream(
          s,
          [contractTestEvent(`${s}-1`, s), contractTestEvent(`${s}-2`, s)],
          'no_stream',
        );
        for (const wrong of [0n, 2n, 7n]) {
          await expect(
            store.appendToStream(s, [contractTestEvent(`${s}-x`, s)], wrong),
          ).rejects.toMatchObject({
            _tag: 'WrongExpectedRevision',
            expected: wrong,
            actual: 1n,
          });
        }
        const r = await store.appendToStream(s, [contractTestEvent(`${s}-3`, s)], 1n);
        expect(r.nextExpectedRevision).toBe(2n);
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`, `${s}-2`, `${s}-3`]);
      });

      it('an exact revision on a missing stream is refused', async () => {
        const s = uniqueStream('exact-missing');
        await expect(store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 0n)).rejects.toMatchObject({
          _tag: 'WrongExpectedRevision',
          actual: 'no_stream',
        });
      });

      it("'any' appends to a missing and to an existing stream", async () => {
        const s = uniqueStream('any');
        expect(
          (await store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 'any')).nextExpectedRevision,
        ).toBe(0n);
        expect(
          (await store.appendToStream(s, [contractTestEvent(`${s}-2`, s)], 'any')).nextExpectedRevision,
        ).toBe(1n);
      });

      it('of racing appends at the same exact revision exactly one wins', async () => {
        const s = uniqueStream('race');
        await store.appendToStream(s, [contractTestEvent(`${s}-0`, s)], 'no_stream');
        const results = await Promise.allSettled(
          [1, 2, 3, 4, 5].map((i) => store.appendToStream(s, [contractTestEvent(`${s}-${i}`, s)], 0n)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(
          Array.from({ length: 4 }, () =>
            expect.objectContaining({ _tag: 'WrongExpectedRevision', actual: 1n }),
          ),
        );
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('an empty append is a RangeError', async () => {
        await expect(store.appendToStream(uniqueStream('empty'), [], 'any')).rejects.toBeInstanceOf(
          RangeError,
        );
      });
    });

    describe('idempotent appends (spec §2, at-least-once delivery)', () => {
      it('re-appending the same events at the same expected revision succeeds without writing', async () => {
        const s = uniqueStream('idem');
        const batch = [contractTestEvent(`${s}-1`, s), contractTestEvent(`${s}-2`, s)];
        const first = await store.appendToStream(s, batch, 'no_stream');
        const again = await store.appendToStream(s, batch, 'no_stream');
        expect(again).toEqual({ ...first, written: 0 });
        const next = [contractTestEvent(`${s}-3`, s)];
        const third = await store.appendToStream(s, next, 1n);
        expect(await store.appendToStream(s, next, 1n)).toEqual({ ...third, written: 0 });
        expect(await store.appendToStream(s, next, 'any')).toEqual({ ...third, written: 0 });
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`, `${s}-2`, `${s}-3`]);
      });

      it('re-appending written events at an expected revision that did not hold then is refused', async () => {
        const s = uniqueStream('idem-wrong');
        await store.appendToStream(s, [contractTestEvent(`${s}-1`, s)], 'no_stream');
        const second = [contractTestEvent(`${s}-2`, s)];
        await store.appendToStream(s, second, 0n);
        await expect(store.appendToStream(s, second, 'no_stream')).rejects.toMatchObject({
          _tag: 'WrongExpectedRevision',
          actual: 1n,
        });
        await expect(store.appendToStream(s, second, 5n)).rejects.toMatchObject({
          _tag: 'WrongExpectedRevision',
        });
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it("with 'any', events already present are skipped and the new ones appended in order", async () => {
        const s = uniqueStream('idem-partial');
        await store.appendToStream(
          s,
          [contractTestEvent(`${s}-1`, s), contractTestEvent(`${s}-2`, s)],
          'any',
        );
        const r = await store.appendToStream(
          s,
          [contractTestEvent(`${s}-2`, s), contractTestEvent(`${s}-3`, s), contractTestEvent(`${s}-4`, s)],
          'any',
        );
        expect(r).toMatchObject({ nextExpectedRevision: 3n, written: 2 });
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`, `${s}-2`, `${s}-3`, `${s}-4`]);
      });

      it('the same id with other content is refused and nothing of that append is written', async () => {
        const s = uniqueStream('idem-conflict');
        await store.appendToStream(s, [contractTestEvent(`${s}-1`, s, 0)], 'no_stream');
        for (const expected of ['any', 0n, 'stream_exists'] as const) {
          await expect(
            store.appendToStream(
              s,
              [contractTestEvent(`${s}-2`, s), contractTestEvent(`${s}-1`, s, 1)],
              expected,
            ),
          ).rejects.toMatchObject({ _tag: 'EventIdConflict', stream: s, eventId: `${s}-1` });
        }
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`]);
        expect(canonicalEvent((await store.readStream(s))[0]?.event as DomainEvent)).toBe(
          canonicalEvent(contractTestEvent(`${s}-1`, s, 0)),
        );
      });

      it('an id repeated inside one append is written once, or refused when the content differs', async () => {
        const s = uniqueStream('idem-inside');
        const e = contractTestEvent(`${s}-1`, s);
        expect((await store.appendToStream(s, [e, e], 'no_stream')).written).toBe(1);
        await expect(
          store.appendToStream(
            s,
            [contractTestEvent(`${s}-2`, s, 0), contractTestEvent(`${s}-2`, s, 1)],
            'any',
          ),
        ).rejects.toMatchObject({ _tag: 'EventIdConflict', eventId: `${s}-2` });
        expect(ids(await store.readStream(s))).toEqual([`${s}-1`]);
      });
      it('agrees with a naive model of the rule on 30 seeded random append sequences', async () => {
        const next = prng(20261127);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
        for (let run = 0; run < 30; run++) {
          const s = uniqueStream(`model-${run}`);
          const model: ModelEvent[] = [];
          for (let op = 0; op < 8; op++) {
            const batch = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
              id: `${s}-${pick(['a', 'b', 'c', 'd', 'e'])}`,
              variant: next() < 0.85 ? 0 : 1,
            }));
            const expected = pick<ExpectedRevision>(['any', 'no_stream', 'stream_exists', 0n, 1n, 2n, 3n]);
            const want = modelAppend(model, batch, expected);
            const got = await store
              .appendToStream(
                s,
                batch.map((e) => contractTestEvent(e.id, s, e.variant)),
                expected,
              )
              .then(
                (r) => ({ _tag: 'Ok', nextExpectedRevision: r.nextExpectedRevision, written: r.written }),
                (err: unknown) => ({ _tag: (err as { _tag?: unknown })._tag }),
              );
            expect({ run, op, expected, batch, got }).toEqual({ run, op, expected, batch, got: want });
          }
          expect(ids(await store.readStream(s))).toEqual(model.map((e) => e.id));
        }
      });
    });

    describe('invoice numbers are unique across streams (spec §2)', () => {
      it('refuses an InvoiceIssued whose number another stream holds; nothing of that append is written', async () => {
        const [a, b] = [uniqueStream('inv-a'), uniqueStream('inv-b')];
        const n = `RE-${randomUUID()}`;
        await store.appendToStream(a, [invoiceTestEvent(`${a}-i`, a, n)], 'no_stream');
        await expect(
          store.appendToStream(b, [contractTestEvent(`${b}-0`, b), invoiceTestEvent(`${b}-i`, b, n)], 'any'),
        ).rejects.toMatchObject({
          _tag: 'InvoiceNumberConflict',
          stream: b,
          invoiceNumber: n,
          holderStream: a,
        });
        expect(await store.readStream(b)).toEqual([]);
        // The same stream under another event id is refused too; the holder itself re-appends idempotently.
        await expect(
          store.appendToStream(a, [invoiceTestEvent(`${a}-j`, a, n)], 'any'),
        ).rejects.toMatchObject({ _tag: 'InvoiceNumberConflict', eventId: `${a}-j` });
        expect((await store.appendToStream(a, [invoiceTestEvent(`${a}-i`, a, n)], 'no_stream')).written).toBe(
          0,
        );
        // Two events of one append with one number: refused.
        const c = uniqueStream('inv-c');
        const m = `RE-${randomUUID()}`;
        await expect(
          store.appendToStream(
            c,
            [invoiceTestEvent(`${c}-1`, c, m), invoiceTestEvent(`${c}-2`, c, m)],
            'any',
          ),
        ).rejects.toMatchObject({ _tag: 'InvoiceNumberConflict', eventId: `${c}-2` });
        expect(await store.readStream(c)).toEqual([]);
      });

      it('of racing appends of one number to different streams exactly one wins', async () => {
        const n = `RE-${randomUUID()}`;
        const streams = Array.from({ length: 6 }, (_, k) => uniqueStream(`inv-race${k}`));
        const results = await Promise.allSettled(
          streams.map((s) => store.appendToStream(s, [invoiceTestEvent(`${s}-i`, s, n)], 'no_stream')),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(
          Array.from({ length: 5 }, () =>
            expect.objectContaining({ _tag: 'InvoiceNumberConflict', invoiceNumber: n }),
          ),
        );
        const stored = (await Promise.all(streams.map((s) => store.readStream(s)))).flat();
        expect(stored.map((r) => r.event.type)).toEqual(['InvoiceIssued']);
      });
    });

    describe('work ids, alert ids and the active MSP of a VM are unique across streams (spec §2, §6 (1))', () => {
      it('refuses a work id or alert id another stream holds; nothing of that append is written', async () => {
        const [a, b] = [uniqueStream('uid-a'), uniqueStream('uid-b')];
        const [w, al] = [`W-${randomUUID()}`, `AL-${randomUUID()}`];
        await store.appendToStream(
          a,
          [workTestEvent(`${a}-w`, a, w), alertTestEvent(`${a}-al`, a, al)],
          'any',
        );
        await expect(
          store.appendToStream(b, [contractTestEvent(`${b}-0`, b), workTestEvent(`${b}-w`, b, w)], 'any'),
        ).rejects.toMatchObject({
          _tag: 'UniqueIdConflict',
          stream: b,
          kind: 'workId',
          id: w,
          holderStream: a,
        });
        await expect(
          store.appendToStream(b, [alertTestEvent(`${b}-al`, b, al)], 'any'),
        ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', kind: 'alertId', id: al, holderStream: a });
        expect(await store.readStream(b)).toEqual([]);
        // The same stream under another event id is refused too; the holder re-appends idempotently.
        await expect(store.appendToStream(a, [workTestEvent(`${a}-w2`, a, w)], 'any')).rejects.toMatchObject({
          _tag: 'UniqueIdConflict',
          eventId: `${a}-w2`,
          kind: 'workId',
        });
        expect((await store.appendToStream(a, [workTestEvent(`${a}-w`, a, w)], 'any')).written).toBe(0);
        // Twice in one append: refused, nothing written.
        const c = uniqueStream('uid-c');
        const v = `W-${randomUUID()}`;
        await expect(
          store.appendToStream(c, [workTestEvent(`${c}-1`, c, v), workTestEvent(`${c}-2`, c, v)], 'any'),
        ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', eventId: `${c}-2`, kind: 'workId' });
        expect(await store.readStream(c)).toEqual([]);
        // The refused claim did not stick: another stream can take the id.
        await store.appendToStream(b, [workTestEvent(`${b}-v`, b, v)], 'any');
      });

      it('refuses an MSP for a VM with an active one; the cancellation frees the VM', async () => {
        const [a, b, c] = [uniqueStream('vm-a'), uniqueStream('vm-b'), uniqueStream('vm-c')];
        const vm = `vm-${randomUUID()}`;
        await store.appendToStream(a, [bookingTestEvent(`${a}-b`, a, vm)], 'no_stream');
        await expect(
          store.appendToStream(b, [bookingTestEvent(`${b}-b`, b, vm)], 'no_stream'),
        ).rejects.toMatchObject({
          _tag: 'UniqueIdConflict',
          stream: b,
          kind: 'vm',
          id: vm,
          holderStream: a,
          holderContractId: a,
        });
        expect(await store.readStream(b)).toEqual([]);
        await store.appendToStream(a, [cancellationTestEvent(`${a}-x`, a)], 0n);
        await store.appendToStream(b, [bookingTestEvent(`${b}-b`, b, vm)], 'no_stream');
        await expect(
          store.appendToStream(c, [bookingTestEvent(`${c}-b`, c, vm)], 'no_stream'),
        ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', kind: 'vm', holderStream: b });
      });

      it('of racing bookings of one VM, and of racing uses of one work id, exactly one wins', async () => {
        const vm = `vm-${randomUUID()}`;
        const w = `W-${randomUUID()}`;
        const streams = Array.from({ length: 6 }, (_, k) => uniqueStream(`vm-race${k}`));
        const results = await Promise.allSettled(
          streams.flatMap((s) => [
            store.appendToStream(s, [bookingTestEvent(`${s}-b`, s, vm)], 'no_stream'),
            store.appendToStream(`${s}-t`, [workTestEvent(`${s}-w`, `${s}-t`, w)], 'no_stream'),
          ]),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
        expect(
          results
            .filter((r) => r.status === 'rejected')
            .map((r) => (r.reason as { kind: string }).kind)
            .toSorted(),
        ).toEqual(['vm', 'vm', 'vm', 'vm', 'vm', 'workId', 'workId', 'workId', 'workId', 'workId']);
        const stored = (
          await Promise.all(streams.flatMap((s) => [store.readStream(s), store.readStream(`${s}-t`)]))
        ).flat();
        expect(stored.map((r) => r.event.type).toSorted()).toEqual(['MSPBooked', 'WorkLogged']);
      });
    });

    describe('reading', () => {
      it('reads its own writes, content unchanged (quotes, backslashes, $$, unicode)', async () => {
        const s = uniqueStream(`we'ird"\\$$-$1-'; DROP TABLE x;--`);
        const weirdContract = `c-'"\\$$ $tag$ \u00e9\u{1F600}\n\t%_`;
        const e = contractTestEvent(`id-'"\\$$-${s}`, weirdContract, 2);
        const r = await store.appendToStream(s, [e], 'no_stream');
        const [back] = await store.readStream(s);
        expect(back?.stream).toBe(s);
        expect(back?.revision).toBe(0n);
        expect(back?.position).toBe(r.position);
        expect(canonicalEvent(back?.event as DomainEvent)).toBe(canonicalEvent(e));
        expect(back?.event).toEqual(e);
        const all = await store.readAll({ fromPosition: r.position - 1n, batchSize: 10 });
        expect(all.find((x) => x.stream === s)?.event).toEqual(e);
      });

      it('a missing stream reads as empty', async () => {
        expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
      });

      it('readStream keeps revision order past 10 and honours from (inclusive) and maxCount', async () => {
        const s = uniqueStream('range');
        const n = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        await store.appendToStream(
          s,
          n.slice(0, 5).map((i) => contractTestEvent(`${s}-${i}`, s)),
          'no_stream',
        );
        for (const i of n.slice(5))
          await store.appendToStream(s, [contractTestEvent(`${s}-${i}`, s)], BigInt(i - 1));
        expect((await store.readStream(s)).map((r) => r.revision)).toEqual(n.map(BigInt));
        expect(ids(await store.readStream(s, { from: 9n }))).toEqual([`${s}-9`, `${s}-10`, `${s}-11`]);
        expect(ids(await store.readStream(s, { from: 1n, maxCount: 2 }))).toEqual([`${s}-1`, `${s}-2`]);
        expect(await store.readStream(s, { from: 12n })).toEqual([]);
      });

      it('readAll returns events after fromPosition in append order with increasing positions', async () => {
        const a = uniqueStream('order-a');
        const b = uniqueStream('order-b');
        const before = await head();
        const written: string[] = [];
        const positions: bigint[] = [];
        for (let i = 0; i < 4; i++) {
          for (const s of [a, b]) {
            const id = `${s}-${i}`;
            const r = await store.appendToStream(s, [contractTestEvent(id, s)], 'any');
            written.push(id);
            positions.push(r.position);
          }
        }
        const mine: RecordedEvent[] = [];
        let from = before;
        for (;;) {
          const page = await store.readAll({ fromPosition: from, batchSize: 100 });
          if (page.length === 0) break;
          mine.push(...page.filter((r) => r.stream === a || r.stream === b));
          from = (page[page.length - 1] as RecordedEvent).position;
        }
        expect(ids(mine)).toEqual(written);
        expect(mine.map((r) => r.position)).toEqual(positions);
        for (let i = 1; i < mine.length; i++)
          expect((mine[i] as RecordedEvent).position > (mine[i - 1] as RecordedEvent).position).toBe(true);
        expect(mine.filter((r) => r.stream === a).map((r) => r.revision)).toEqual([0n, 1n, 2n, 3n]);
      });

      it('readAll pages of batchSize cover the log without gaps or repeats', async () => {
        const s = uniqueStream('paging');
        const before = await head();
        await store.appendToStream(
          s,
          [0, 1, 2, 3, 4, 5, 6].map((i) => contractTestEvent(`${s}-${i}`, s)),
          'no_stream',
        );
        const seen: RecordedEvent[] = [];
        let from = before;
        for (;;) {
          const page = await store.readAll({ fromPosition: from, batchSize: 2 });
          expect(page.length).toBeLessThanOrEqual(2);
          if (page.length === 0) break;
          seen.push(...page);
          from = (page[page.length - 1] as RecordedEvent).position;
        }
        expect(ids(seen.filter((r) => r.stream === s))).toEqual(
          [0, 1, 2, 3, 4, 5, 6].map((i) => `${s}-${i}`),
        );
        expect(new Set(seen.map((r) => r.position)).size).toBe(seen.length);
        expect(seen.every((r) => r.position > before)).toBe(true);
      });
    });

    describe('catch-up subscription and checkpoints', () => {
      it('a checkpoint store returns undefined for an unknown name, then the last stored position', async () => {
        const name = `cp-${randomUUID()}`;
        expect(await store.checkpoints.load(name)).toBeUndefined();
        await store.checkpoints.store(name, 42n);
        expect(await store.checkpoints.load(name)).toBe(42n);
        await store.checkpoints.store(name, 43n);
        expect(await store.checkpoints.load(name)).toBe(43n);
        expect(await store.checkpoints.load(`${name}-other`)).toBeUndefined();
      });

      it('reads history, then follows new appends', async () => {
        const s = uniqueStream('sub-live');
        const before = await head();
        await store.appendToStream(
          s,
          [contractTestEvent(`${s}-0`, s), contractTestEvent(`${s}-1`, s)],
          'no_stream',
        );
        const pending = takeFromSubscription(
          (o) => store.subscribeToAll(o),
          { fromPosition: before },
          (r) => r.stream === s,
          4,
          timeoutMs,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.appendToStream(s, [contractTestEvent(`${s}-2`, s)], 1n);
        await store.appendToStream(s, [contractTestEvent(`${s}-3`, s)], 2n);
        expect(ids(await pending)).toEqual([0, 1, 2, 3].map((i) => `${s}-${i}`));
      });

      it('resumes from a stored checkpoint without loss or duplication', async () => {
        const s = uniqueStream('sub-resume');
        const name = `sub-${randomUUID()}`;
        await store.checkpoints.store(name, await head());
        await store.appendToStream(
          s,
          [0, 1, 2, 3, 4].map((i) => contractTestEvent(`${s}-${i}`, s)),
          'no_stream',
        );
        const subscribe = (o: SubscribeOptions): AsyncIterable<RecordedEvent> => store.subscribeToAll(o);
        const first = await takeFromSubscription(
          subscribe,
          { fromPosition: (await store.checkpoints.load(name)) as bigint, batchSize: 2 },
          (r) => r.stream === s,
          3,
          timeoutMs,
        );
        await store.checkpoints.store(name, (first[2] as RecordedEvent).position);
        await store.appendToStream(
          s,
          [5, 6, 7].map((i) => contractTestEvent(`${s}-${i}`, s)),
          4n,
        );
        const second = await takeFromSubscription(
          subscribe,
          { fromPosition: (await store.checkpoints.load(name)) as bigint, batchSize: 2 },
          (r) => r.stream === s,
          5,
          timeoutMs,
        );
        expect([...ids(first), ...ids(second)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${s}-${i}`));
      });

      it('stops when its signal aborts', async () => {
        const controller = new AbortController();
        const iterating = (async () => {
          let n = 0;
          for await (const r of store.subscribeToAll({
            fromPosition: await head(),
            signal: controller.signal,
          }))
            n += r ? 1 : 0;
          return n;
        })();
        setTimeout(() => controller.abort(), 50);
        await expect(iterating).resolves.toBeGreaterThanOrEqual(0);
      });
    });
  });
};

/** Every record after `from`, paging through `readAll`. */
const readAllAfter = async (store: EventStoreWithCheckpoints, from: bigint): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (let p = from; ;) {
    const page = await store.readAll({ fromPosition: p, batchSize: 500 });
    if (page.length === 0) return out;
    out.push(...page);
    p = (page[page.length - 1] as RecordedEvent).position;
  }
};

/**
 * The contract of the optional `appendBatch` (bulk import), for adapters that implement it: input
 * order becomes global order, `'any'` idempotency per event id, and all-or-nothing refusals.
 */
export const describeAppendBatchContract = (
  adapterName: string,
  makeStore: () => Promise<EventStoreWithCheckpoints>,
): void => {
  describe(`EventStore appendBatch contract: ${adapterName}`, () => {
    let store: EventStoreWithCheckpoints;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    const batch = (items: readonly BatchAppendItem[]): Promise<readonly AppendResult[]> => {
      const append = store.appendBatch?.bind(store);
      if (append === undefined) throw new Error(`${adapterName} has no appendBatch`);
      return append(items);
    };
    const readAfter = (from: bigint): Promise<RecordedEvent[]> => readAllAfter(store, from);
    /** Append one marker event and return its position: everything written later is after it. */
    const head = async (): Promise<bigint> => {
      const s = uniqueStream('marker');
      return (await store.appendToStream(s, [contractTestEvent(`${s}-m`, s)], 'no_stream')).position;
    };

    it('writes interleaved items in input order: global order, revisions, one result per item', async () => {
      const [a, b, c] = [uniqueStream('batch-a'), uniqueStream('batch-b'), uniqueStream('batch-c')];
      await store.appendToStream(b, [contractTestEvent(`${b}-0`, b)], 'no_stream');
      const before = await head();
      const items = [
        { stream: a, events: [contractTestEvent(`${a}-0`, a), contractTestEvent(`${a}-1`, a)] },
        { stream: b, events: [contractTestEvent(`${b}-1`, b)] },
        { stream: a, events: [contractTestEvent(`${a}-2`, a)] },
        { stream: c, events: [contractTestEvent(`${c}-0`, c)] },
        { stream: b, events: [contractTestEvent(`${b}-2`, b), contractTestEvent(`${b}-3`, b)] },
      ];
      const results = await batch(items);
      expect(results.map((r) => [r.nextExpectedRevision, r.written])).toEqual([
        [1n, 2],
        [1n, 1],
        [2n, 1],
        [0n, 1],
        [3n, 2],
      ]);
      const all = (await readAfter(before)).filter((r) => [a, b, c].includes(r.stream));
      expect(ids(all)).toEqual(items.flatMap((i) => i.events.map((e) => e.id)));
      // Each item's result names the position of its last event, and positions increase.
      const lastOfItem = [1, 2, 3, 4, 6].map((k) => (all[k] as RecordedEvent).position);
      expect(results.map((r) => r.position)).toEqual(lastOfItem);
      expect(all.every((r, k) => k === 0 || r.position > (all[k - 1] as RecordedEvent).position)).toBe(true);
      expect((await store.readStream(b)).map((r) => [r.event.id, r.revision])).toEqual(
        [0, 1, 2, 3].map((k) => [`${b}-${k}`, BigInt(k)]),
      );
      expect(await batch([])).toEqual([]);
    });

    it('is idempotent per event id like appendToStream with any: a re-run writes only what is missing', async () => {
      const [a, b] = [uniqueStream('batch-idem-a'), uniqueStream('batch-idem-b')];
      const items = [
        { stream: a, events: [contractTestEvent(`${a}-0`, a), contractTestEvent(`${a}-1`, a)] },
        { stream: b, events: [contractTestEvent(`${b}-0`, b)] },
      ];
      const first = await batch(items);
      expect(await batch(items)).toEqual(first.map((r) => ({ ...r, written: 0 })));
      // A resumed import with other boundaries: half present, half new; an identical event twice.
      const again = await batch([
        { stream: a, events: [contractTestEvent(`${a}-1`, a), contractTestEvent(`${a}-2`, a)] },
        { stream: b, events: [contractTestEvent(`${b}-0`, b), contractTestEvent(`${b}-1`, b)] },
        { stream: a, events: [contractTestEvent(`${a}-2`, a), contractTestEvent(`${a}-3`, a)] },
      ]);
      expect(again.map((r) => [r.nextExpectedRevision, r.written])).toEqual([
        [2n, 1],
        [1n, 1],
        [3n, 1],
      ]);
      expect(ids(await store.readStream(a))).toEqual([0, 1, 2, 3].map((k) => `${a}-${k}`));
      expect(ids(await store.readStream(b))).toEqual([`${b}-0`, `${b}-1`]);
    });

    it('a same-id-other-content event refuses the whole batch: EventIdConflict, nothing written', async () => {
      const [a, b] = [uniqueStream('batch-conflict-a'), uniqueStream('batch-conflict-b')];
      await store.appendToStream(b, [contractTestEvent(`${b}-0`, b, 0)], 'no_stream');
      const before = await head();
      await expect(
        batch([
          { stream: a, events: [contractTestEvent(`${a}-0`, a)] },
          { stream: b, events: [contractTestEvent(`${b}-1`, b)] },
          { stream: b, events: [contractTestEvent(`${b}-0`, b, 1)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'EventIdConflict', stream: b, eventId: `${b}-0` });
      // Inside the batch: the same id twice in one stream with other content, in two items.
      await expect(
        batch([
          { stream: a, events: [contractTestEvent(`${a}-1`, a, 0)] },
          { stream: b, events: [contractTestEvent(`${b}-2`, b)] },
          { stream: a, events: [contractTestEvent(`${a}-1`, a, 1)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'EventIdConflict', stream: a, eventId: `${a}-1` });
      expect((await readAfter(before)).filter((r) => r.stream === a || r.stream === b)).toEqual([]);
      expect(ids(await store.readStream(b))).toEqual([`${b}-0`]);
      // The store is usable afterwards: the next batch continues from the stream heads.
      const ok = await batch([{ stream: b, events: [contractTestEvent(`${b}-1`, b)] }]);
      expect(ok.map((r) => [r.nextExpectedRevision, r.written])).toEqual([[1n, 1]]);
    });

    it('an invoice number used twice refuses the whole batch: InvoiceNumberConflict, nothing written', async () => {
      const [a, b, c] = [
        uniqueStream('batch-inv-a'),
        uniqueStream('batch-inv-b'),
        uniqueStream('batch-inv-c'),
      ];
      const [n, m] = [`RE-${randomUUID()}`, `RE-${randomUUID()}`];
      await store.appendToStream(c, [invoiceTestEvent(`${c}-i`, c, m)], 'no_stream');
      const before = await head();
      // Twice inside the batch, in two streams.
      await expect(
        batch([
          { stream: a, events: [invoiceTestEvent(`${a}-i`, a, n)] },
          { stream: b, events: [invoiceTestEvent(`${b}-i`, b, n)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'InvoiceNumberConflict', stream: b, holderStream: a });
      // Held by a stored event of another stream.
      await expect(
        batch([
          { stream: a, events: [contractTestEvent(`${a}-0`, a)] },
          { stream: b, events: [invoiceTestEvent(`${b}-i`, b, m)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'InvoiceNumberConflict', stream: b, holderStream: c });
      expect((await readAfter(before)).filter((r) => r.stream === a || r.stream === b)).toEqual([]);
      // A re-run of the holder's own event is idempotent.
      const again = await batch([{ stream: c, events: [invoiceTestEvent(`${c}-i`, c, m)] }]);
      expect(again.map((r) => r.written)).toEqual([0]);
    });

    it('a work id, alert id or VM claimed twice refuses the whole batch; a cancellation earlier in the batch frees its VM', async () => {
      const [a, b, c] = [
        uniqueStream('batch-uid-a'),
        uniqueStream('batch-uid-b'),
        uniqueStream('batch-uid-c'),
      ];
      const [w, al, vm] = [`W-${randomUUID()}`, `AL-${randomUUID()}`, `vm-${randomUUID()}`];
      await store.appendToStream(
        c,
        [bookingTestEvent(`${c}-b`, c, vm), alertTestEvent(`${c}-al`, c, al)],
        'any',
      );
      const before = await head();
      await expect(
        batch([
          { stream: a, events: [workTestEvent(`${a}-w`, a, w)] },
          { stream: b, events: [workTestEvent(`${b}-w`, b, w)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', stream: b, kind: 'workId', holderStream: a });
      await expect(
        batch([
          { stream: a, events: [contractTestEvent(`${a}-0`, a)] },
          { stream: b, events: [alertTestEvent(`${b}-al`, b, al)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', stream: b, kind: 'alertId', holderStream: c });
      await expect(
        batch([
          { stream: a, events: [workTestEvent(`${a}-w`, a, w)] },
          { stream: b, events: [bookingTestEvent(`${b}-b`, b, vm)] },
        ]),
      ).rejects.toMatchObject({ _tag: 'UniqueIdConflict', stream: b, kind: 'vm', holderStream: c });
      expect((await readAfter(before)).filter((r) => r.stream === a || r.stream === b)).toEqual([]);
      // What the refused batches claimed was taken back: the work id is free, and the VM is free
      // once its MSP is cancelled earlier in the same batch.
      const ok = await batch([
        { stream: a, events: [workTestEvent(`${a}-w`, a, w)] },
        { stream: c, events: [cancellationTestEvent(`${c}-x`, c)] },
        { stream: b, events: [bookingTestEvent(`${b}-b`, b, vm)] },
      ]);
      expect(ok.map((r) => r.written)).toEqual([1, 1, 1]);
    });

    it('takes a batch of 12 000 events over 300 streams in order (larger than one INSERT)', async () => {
      const tag = uniqueStream('batch-big');
      const before = await head();
      const events = Array.from({ length: 12_000 }, (_, k) =>
        contractTestEvent(`${tag}-${k}`, `${tag}-${k % 300}`),
      );
      const results = await batch(events.map((e, k) => ({ stream: `${tag}-${k % 300}`, events: [e] })));
      expect(results.reduce((n, r) => n + r.written, 0)).toBe(12_000);
      expect(ids(await readAfter(before))).toEqual(events.map((e) => e.id));
      expect((await store.readStream(`${tag}-7`)).map((r) => r.revision)).toEqual(
        Array.from({ length: 40 }, (_, k) => BigInt(k)),
      );
    });
  });
};
