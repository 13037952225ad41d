/**
 * Snapshots of the Ledger (snapshot.ts): the worked sample of examples/data cut anywhere, restored
 * and given the rest gives the expected invoices; a snapshot of another format or damaged bytes are
 * refused with one line, never thrown; a snapshot is read only with options that can continue it.
 * The law over random logs is law (i) of @msp-billing/testing (packages/testing/test/laws.unit.spec.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { decodeEvent, type DomainEvent } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG, type SlaCatalog } from '@msp-billing/sla';
import { describe, expect, it } from 'vitest';
import {
  SNAPSHOT_FORMAT,
  createLedger,
  foldNdjson,
  readSnapshot,
  writeSnapshot,
  type Invoice,
  type Ledger,
  type LedgerOptions,
} from '../src/index.js';
import { keepReaderIds, readSnapshotInPlace } from '../src/internal.js';
import { BOSS, C, base, invoiceOf as invoiceOfC1, work } from './support/log.js';

const here = dirname(fileURLToPath(import.meta.url));
const samples = resolve(here, '../../../examples/data');
const text = readFileSync(resolve(samples, 'example-month.ndjson'), 'utf8');
const lines = text.split('\n').filter((l) => l.trim() !== '');
const events: DomainEvent[] = lines.map((l) => {
  const r = decodeEvent(JSON.parse(l));
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
});
const load = (name: string): unknown => JSON.parse(readFileSync(resolve(samples, name), 'utf8'));

/** Every key of `expected` matches in `actual` (recursively), as the sample's test reads them. */
const expectSubset = (actual: unknown, expected: unknown): void => {
  if (Array.isArray(expected)) {
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((x, i) => expectSubset((actual as unknown[])[i], x));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [k, v] of Object.entries(expected)) {
      expect(actual, `field ${k}`).toHaveProperty(k);
      expectSubset((actual as Record<string, unknown>)[k], v);
    }
  } else expect(actual).toEqual(expected);
};

const invoiceOf = (ledger: Ledger, period: string): Invoice => {
  const r = ledger.invoice('msp-4711', period);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const fold = (evs: readonly DomainEvent[], options: LedgerOptions = {}): Ledger => {
  const ledger = createLedger(options);
  for (const e of evs) ledger.apply(e);
  return ledger;
};

const restored = (bytes: Uint8Array, options: LedgerOptions = {}): Ledger => {
  const r = readSnapshot(bytes, options);
  if (r._tag !== 'Restored') throw new Error(r.message);
  return r.ledger;
};

/** A snapshot of the whole sample. */
const sampleSnapshot = (): Uint8Array => writeSnapshot(fold(events), { source: 'sample' });

async function* chunksOf(s: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(s);
}

describe('snapshots of the worked sample (examples/data)', () => {
  it('cut at every event, restored and given the rest, give the expected invoices', () => {
    for (let cut = 0; cut <= events.length; cut++) {
      const ledger = restored(writeSnapshot(fold(events.slice(0, cut)), { cut: String(cut) }));
      for (const e of events.slice(cut)) ledger.apply(e);
      expectSubset(invoiceOf(ledger, '2026-09'), load('example-month.invoice-2026-09.json'));
      expectSubset(invoiceOf(ledger, '2026-10'), load('example-month.invoice-2026-10.json'));
      expect(ledger.eventCount).toBe(events.length);
      expect(ledger.invalidEvents()).toEqual([]);
    }
  });

  it('as a file: the fold of its first lines, restored, reads the rest from the next line on', async () => {
    const half = Math.floor(lines.length / 2);
    const first = createLedger({ dedupe: false });
    expect(keepReaderIds(first)).toBe(true);
    await foldNdjson(chunksOf(lines.slice(0, half).join('\n') + '\n'), { into: first });
    const ledger = restored(writeSnapshot(first, { line: String(half + 1) }), { dedupe: false });
    // The rest, with a repeat of the first line (a duplicate: its id is known from before the cut)
    // and the first line's id with other content (invalid, naming the line it was used on).
    const repeat = lines[0] as string;
    const reused = repeat.replace(
      '"occurredAt":"2026-01-01T00:00:00Z"',
      '"occurredAt":"2026-01-02T00:00:00Z"',
    );
    expect(reused).not.toBe(repeat);
    const rest = [...lines.slice(half), repeat, reused].join('\n') + '\n';
    const { stats } = await foldNdjson(chunksOf(rest), { into: ledger, firstLine: half + 1 });
    expect(stats).toMatchObject({ duplicates: 1, lines: lines.length + 2 });
    expectSubset(invoiceOf(ledger, '2026-09'), load('example-month.invoice-2026-09.json'));
    expectSubset(invoiceOf(ledger, '2026-10'), load('example-month.invoice-2026-10.json'));
    const whole = await foldNdjson(chunksOf(lines.join('\n') + '\n' + repeat + '\n' + reused + '\n'));
    expect(ledger.invalidEvents()).toEqual(whole.ledger.invalidEvents());
    expect(ledger.invalidEvents()[0]?.line).toBe(lines.length + 2);
    expect(ledger.invalidEvents()[0]?.reason).toMatch(/already used on line 1 for a different event/);
  });
});

describe('a snapshot written again from its restore', () => {
  it('is the same bytes when an entry billed before holds an equal result of its own (a rebased entry)', () => {
    // Work on an update of customer-installed software bills with a reason naming the software: its
    // result is the entry's own object, not one shared by every entry with that reason.
    const l = base()
      .add('UpdateRequested', '2026-09-14T10:00:00+02:00', {
        ticketId: 't-u',
        contractId: C,
        channel: 'email',
        requester: BOSS,
        software: 'openssl',
        scope: 'customer-installed',
        vendorSupported: true,
      })
      .add('UpdateScheduled', '2026-09-14T10:05:00+02:00', {
        ticketId: 't-u',
        scheduledFor: '2026-09-16T23:00:00+02:00',
        agreedWithCustomer: false,
      });
    work(l, 'w-1', 't-u', '2026-09-16T23:00:00+02:00', 50);
    l.add('InvoiceIssued', '2026-10-01T10:00:00+02:00', {
      contractId: C,
      period: '2026-09',
      invoiceNumber: 'INV-9',
    });
    // A correction that changes no value: the entry is priced again, to an equal but new result,
    // and issuing October moves the entry's basis to that result without billing it again.
    l.add('WorkLogCorrected', '2026-10-05T10:00:00+02:00', { workId: 'w-1', reason: 'checked', minutes: 50 });
    l.add('InvoiceIssued', '2026-11-01T10:00:00+02:00', {
      contractId: C,
      period: '2026-10',
      invoiceNumber: 'INV-10',
    });
    const ledger = l.ledger();
    // 50 min → 60 billed × 100.00 / 60 = 100.00, billed once, in September.
    expect(invoiceOfC1(ledger, '2026-09').net).toBe('100.00');
    expect(invoiceOfC1(ledger, '2026-10').lines).toEqual([]);
    const bytes = writeSnapshot(ledger, { at: 'end' });
    expect(Buffer.from(writeSnapshot(restored(bytes), { at: 'end' })).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('snapshots that cannot be read', () => {
  it('of another format: OtherFormat, with one line saying so', () => {
    const bytes = sampleSnapshot();
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, SNAPSHOT_FORMAT + 1, true);
    expect(readSnapshot(bytes)).toEqual({
      _tag: 'OtherFormat',
      format: SNAPSHOT_FORMAT + 1,
      message: `snapshot format ${SNAPSHOT_FORMAT + 1}, this engine reads ${SNAPSHOT_FORMAT}: replaying the whole log`,
    });
  });

  it('not a snapshot at all: Unreadable', () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('{"id":"e1"}\n'), new Uint8Array(64)])
      expect(readSnapshot(bytes)).toEqual({
        _tag: 'Unreadable',
        message: 'not a Ledger snapshot (no MSPBSNAP at its start)',
      });
  });

  it('cut short anywhere: Unreadable, one line', () => {
    const bytes = sampleSnapshot();
    for (let n = 16; n < bytes.length; n++) {
      const r = readSnapshot(bytes.subarray(0, n));
      expect(r).toEqual({
        _tag: 'Unreadable',
        message: expect.stringMatching(/^snapshot unreadable: [^\n]+$/),
      });
    }
    expect(readSnapshot(bytes)._tag).toBe('Restored');
  });

  it('with bytes changed anywhere: never throws, and says what it made of them in one line', () => {
    const bytes = sampleSnapshot();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (changes) => {
          const changed = bytes.slice();
          for (const [at, b] of changes) changed[at] = b;
          const r = readSnapshot(changed);
          expect(r._tag === 'Restored' || /^[^\n]+$/.test(r.message)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with bytes after its end: Unreadable', () => {
    const bytes = sampleSnapshot();
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(readSnapshot(longer)).toEqual({
      _tag: 'Unreadable',
      message: 'snapshot unreadable: bytes after its last chunk',
    });
  });
});

describe('snapshots and the options of the Ledger reading them', () => {
  it('are read only with the SLA catalog they were written with', () => {
    const other: SlaCatalog = {
      ...DEFAULT_SLA_CATALOG,
      Basic: { ...DEFAULT_SLA_CATALOG.Basic, mspMandatory: true },
    };
    expect(readSnapshot(sampleSnapshot(), { slaCatalog: other })).toEqual({
      _tag: 'Unreadable',
      message: 'snapshot written with another SLA catalog: replaying the whole log',
    });
    const withOther = writeSnapshot(fold(events, { slaCatalog: other }), {});
    expect(readSnapshot(withOther, { slaCatalog: other })._tag).toBe('Restored');
    expect(readSnapshot(withOther)._tag).toBe('Unreadable');
  });

  it('a Ledger applying the id rule continues only a snapshot of one that did', () => {
    const without = writeSnapshot(fold(events, { dedupe: false }), {});
    expect(readSnapshot(without)).toEqual({
      _tag: 'Unreadable',
      message: 'snapshot of a Ledger that did not apply the id rule itself: replaying the whole log',
    });
    // Without the id rule a Ledger continues any: a repeat after the cut is applied again.
    const ledger = restored(sampleSnapshot(), { dedupe: false });
    expect(ledger.apply(events[0] as DomainEvent)._tag).toBe('Invalid');
    // With it, a repeat of an event from before the cut is a duplicate, as in the whole replay.
    const strict = restored(sampleSnapshot());
    expect(strict.apply(events[0] as DomainEvent)).toEqual({ _tag: 'Duplicate' });
    expect(strict.eventCount).toBe(events.length + 1);
  });

  it('are read from a Node Buffer that is a view of a larger buffer', () => {
    const bytes = sampleSnapshot();
    const pool = Buffer.alloc(bytes.length + 24);
    pool.set(bytes, 24);
    const view = pool.subarray(24);
    const a = restored(view);
    // Written before it is asked anything: what a query classifies is part of the state.
    expect(writeSnapshot(a, { source: 'sample' })).toEqual(bytes);
    expect(a.entries()).toEqual(restored(bytes).entries());
  });

  it('read in place, from bytes at any offset, answer as when copied; a copy does not share its bytes', () => {
    const bytes = sampleSnapshot();
    const copied = restored(bytes);
    // At offset 8 the columns are kept as views of the bytes; at 3 they cannot be, and are copied.
    for (const offset of [0, 8, 3]) {
      const pool = new Uint8Array(bytes.length + offset);
      pool.set(bytes, offset);
      const r = readSnapshotInPlace(pool.subarray(offset));
      if (r._tag !== 'Restored') throw new Error(r.message);
      expect(writeSnapshot(r.ledger, { source: 'sample' })).toEqual(bytes);
      expect(r.ledger.entries()).toEqual(copied.entries());
      expect(r.ledger.issuedInvoices()).toEqual(copied.issuedInvoices());
    }
    const mine = bytes.slice();
    const ledger = restored(mine);
    mine.fill(0);
    expect(writeSnapshot(ledger, { source: 'sample' })).toEqual(bytes);
  });

  it('read the warnings when first asked for them: damaged ones make that query fail in one line', () => {
    const bytes = sampleSnapshot();
    // The chunks: the header, the body, the invalid events, the warnings (snapshot.ts).
    let at = 16;
    for (let k = 0; k < 3; k++) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getUint32(0, true);
      at += 8 + length + ((8 - (length % 8)) % 8);
    }
    bytes[at + 8] = '{'.charCodeAt(0);
    const ledger = restored(bytes);
    expect(ledger.entries()).toEqual(fold(events).entries());
    expect(() => ledger.warnings()).toThrow(/^snapshot unreadable: its warnings: [^\n]+$/);
  });

  it('read what each invoice was issued with when first asked for: a list of another length or none is one line', () => {
    /** The sample's snapshot with the chunk of what its invoices were issued with holding `json`. */
    const withIssuedWith = (json: string): Uint8Array => {
      const bytes = sampleSnapshot();
      // The chunks: the header, the body, the invalid events, the warnings, then this one (snapshot.ts).
      let at = 16;
      for (let k = 0; k < 4; k++) {
        const length = new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getUint32(0, true);
        at += 8 + length + ((8 - (length % 8)) % 8);
      }
      const length = new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getUint32(0, true);
      bytes.set(new TextEncoder().encode(json.padEnd(length, ' ')), at + 8);
      return bytes;
    };
    const issued = fold(events).issuedInvoices().length;
    expect(issued).toBeGreaterThan(0);
    // An empty list (a list is headed by -1: snapshotCodec.ts).
    const none = restored(withIssuedWith('[-1]'));
    expect(none.entries()).toEqual(fold(events).entries());
    expect(() => none.issuedWith('msp-4711', '2026-09')).toThrow(
      new RegExp(`^snapshot unreadable: its invoices' profiles: 0 where ${issued} belong$`),
    );
    const notList = restored(withIssuedWith('0'));
    expect(() => notList.issuedWith('msp-4711', '2026-09')).toThrow(
      /^snapshot unreadable: its invoices' profiles: not a list$/,
    );
  });

  it('written meta comes back as it was', () => {
    const meta = { position: '123456', note: 'ünïcode ✓' };
    const r = readSnapshot(writeSnapshot(fold(events), meta));
    expect(r._tag === 'Restored' ? r.meta : undefined).toEqual(meta);
  });

  it('writeSnapshot refuses what createLedger did not make', () => {
    const fake = { ...fold([]) } as Ledger;
    expect(() => writeSnapshot(fake, {})).toThrow(/not a Ledger made by createLedger/);
  });
});
