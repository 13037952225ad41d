/**
 * The billing laws (spec §5 and issue #4) as reusable checks over a log. Each law returns undefined
 * when it holds, or a violation saying where it broke, so that fast-check shrinks to a readable
 * counterexample. Money is checked with BigInt cents, independently of the engine's decimal.js.
 *
 * (a) issued nets + the next draft's net = the current billable amounts up to that period;
 * (b) an issued invoice never changes when more events are appended;
 * (c) replaying a log with duplicated events gives the same ledger;
 * (d) the ledger does not depend on how contracts' events are interleaved;
 * (e) included, held and flagged entries are never priced;
 * (f) every amount has exactly two decimals and equals rate × billed minutes / 60 rounded half-up;
 * (g) asking the ledger along the way changes nothing: a ledger queried after every few events ends
 *     exactly like one that folded the whole log first (its caches never go stale);
 * (h) an invoice that walks only the entries that can change it equals one that walks every entry
 *     (the Ledger's `walk: 'all'` reference), issued and draft alike, queried along the way or not;
 * (i) a snapshot is the replay it was written from: restored, then given the rest of the log, a
 *     Ledger answers every query exactly as one that replayed the whole log, and writes the same bytes.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DomainEvent, WireEvent } from '@msp-billing/events';
import {
  createLedger,
  readSnapshot,
  writeSnapshot,
  type Invoice,
  type Ledger,
  type LedgerOptions,
} from '@msp-billing/billing';
import { decodeAll } from './logs.js';

/** Where a law broke. */
export interface LawViolation {
  readonly law: string;
  readonly detail: string;
}

/** Fold decoded events into a new Ledger. */
export const foldEvents = (events: readonly DomainEvent[], options: LedgerOptions = {}): Ledger => {
  const ledger = createLedger(options);
  for (const e of events) ledger.apply(e);
  return ledger;
};

/** Parse a money string (`"-95.00"`, `"97.1234"`) into units of 10^-scale, exactly. */
const units = (s: string, scale: number): bigint => {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null) throw new Error(`not a decimal: ${s}`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  if (frac.length > scale) throw new Error(`more than ${scale} decimals: ${s}`);
  const v = BigInt(`${m[2]}${frac}`);
  return m[1] === '-' ? -v : v;
};
const cents = (s: string): bigint => units(s, 2);

const nextPeriod = (p: string): string => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

const invoiceOrThrow = (ledger: Ledger, contractId: string, period: string): Invoice => {
  const r = ledger.invoice(contractId, period);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** The periods worth looking at for a contract: from its first entry or invoice to one after the last. */
const periodsOf = (ledger: Ledger, contractId: string): string[] => {
  const ps = new Set<string>();
  for (const e of ledger.entries({ contractId })) ps.add(e.period);
  for (const i of ledger.issuedInvoices()) if (i.contractId === contractId) ps.add(i.period);
  if (ps.size === 0) return [];
  const sorted = [...ps].toSorted();
  const out: string[] = [];
  const last = nextPeriod(sorted[sorted.length - 1] as string);
  for (let p = sorted[0] as string; p <= last; p = nextPeriod(p)) out.push(p);
  return out;
};

/** Everything a ledger says, per contract: entries and the invoice of every relevant period. */
export const snapshot = (ledger: Ledger): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const c of [...ledger.contractIds()].toSorted()) {
    out[c] = {
      entries: ledger.entries({ contractId: c }),
      invoices: periodsOf(ledger, c).map((p) => invoiceOrThrow(ledger, c, p)),
    };
  }
  return out;
};

/** (a) Nothing billed twice, nothing lost. */
export const lawNothingLostNothingBilledTwice = (
  events: readonly WireEvent[],
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const ledger = foldEvents(decodeAll(events), options);
  for (const c of ledger.contractIds()) {
    const issued = ledger.issuedInvoices().filter((i) => i.contractId === c);
    const lastIssued = issued.length === 0 ? undefined : (issued[issued.length - 1] as Invoice).period;
    const issuedNet = issued.reduce((s, i) => s + cents(i.net), 0n);
    for (const p of periodsOf(ledger, c)) {
      if (lastIssued !== undefined && p <= lastIssued) continue;
      const draft = invoiceOrThrow(ledger, c, p);
      const billable = ledger
        .entries({ contractId: c })
        .filter((e) => e.status === 'billable' && e.period <= p)
        .reduce((s, e) => s + cents(e.amount ?? '0'), 0n);
      if (issuedNet + cents(draft.net) !== billable) {
        return {
          law: 'a',
          detail: `${c} ${p}: issued ${issuedNet} + draft ${cents(draft.net)} ≠ billable ${billable} (cents)`,
        };
      }
    }
  }
  return undefined;
};

/** (b) Invoices issued in the first `cut` events are unchanged by the rest of the log. */
export const lawIssuedInvoicesAreFrozen = (
  events: readonly WireEvent[],
  cut: number,
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const decoded = decodeAll(events);
  const before = foldEvents(decoded.slice(0, cut), options).issuedInvoices();
  const after = foldEvents(decoded, options);
  for (const inv of before) {
    const now = invoiceOrThrow(after, inv.contractId, inv.period);
    if (JSON.stringify(now) !== JSON.stringify(inv)) {
      return { law: 'b', detail: `${inv.contractId} ${inv.period} changed after ${cut} events` };
    }
  }
  return undefined;
};

/** (c) Identical repeats (at-least-once delivery) change nothing. `copies` are [index, gap] pairs. */
export const lawDuplicatesChangeNothing = (
  events: readonly WireEvent[],
  copies: readonly (readonly [number, number])[],
  options: LedgerOptions = {},
): LawViolation | undefined => {
  if (events.length === 0) return undefined;
  const withCopies: WireEvent[] = [...events];
  for (const [i, gap] of copies) {
    const source = events[i % events.length] as WireEvent;
    const at = withCopies.indexOf(source) + 1 + gap;
    withCopies.splice(Math.min(at, withCopies.length), 0, structuredClone(source));
  }
  const a = foldEvents(decodeAll(events), options);
  const b = foldEvents(decodeAll(withCopies), options);
  if (b.invalidEvents().length !== a.invalidEvents().length) {
    return { law: 'c', detail: `duplicates made events invalid: ${b.invalidEvents()[0]?.reason ?? ''}` };
  }
  if (JSON.stringify(snapshot(a)) !== JSON.stringify(snapshot(b))) {
    return { law: 'c', detail: `a replay with ${copies.length} duplicated events gave another ledger` };
  }
  return undefined;
};

/** (d) Two interleavings of the same per-contract sequences give the same per-contract ledger. */
export const lawInterleavingDoesNotMatter = (
  first: readonly WireEvent[],
  second: readonly WireEvent[],
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const a = snapshot(foldEvents(decodeAll(first), options));
  const b = snapshot(foldEvents(decodeAll(second), options));
  return JSON.stringify(a) === JSON.stringify(b)
    ? undefined
    : { law: 'd', detail: 'another interleaving of the contracts gave another ledger' };
};

/** (e) Only billable entries carry a price; (f) every price is exact. */
export const lawPricesAreExact = (
  events: readonly WireEvent[],
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const decoded = decodeAll(events);
  const ledger = foldEvents(decoded, options);
  const increments = new Map<string, number>();
  const cardOf = new Map<string, string>();
  // The first publication and booking count: a second one re-creates what exists, an invalid event.
  for (const e of decoded) {
    if (e.type === 'RateCardPublished' && !increments.has(e.data.rateCardId)) {
      increments.set(e.data.rateCardId, e.data.billingIncrementMinutes);
    }
    if (e.type === 'MSPBooked' && !cardOf.has(e.data.contractId))
      cardOf.set(e.data.contractId, e.data.rateCardId);
  }
  for (const e of ledger.entries()) {
    const priced = [e.billedMinutes, e.hourlyRate, e.amount].map((x) => x !== null);
    if (e.status !== 'billable') {
      if (priced.some(Boolean)) return { law: 'e', detail: `${e.workId} is ${e.status} but priced` };
      continue;
    }
    if (e.amount === null || e.hourlyRate === null || e.billedMinutes === null) {
      return { law: 'e', detail: `${e.workId} is billable but not priced` };
    }
    const inc = increments.get(cardOf.get(e.contractId) ?? '') ?? 0;
    if (e.billedMinutes !== Math.ceil(e.minutes / inc) * inc) {
      return {
        law: 'f',
        detail: `${e.workId}: ${e.minutes} min in ${inc}-min increments billed as ${e.billedMinutes}`,
      };
    }
    if (!/^\d+\.\d{2}$/.test(e.amount))
      return { law: 'f', detail: `${e.workId}: amount ${e.amount} is not x.yy` };
    // amount in cents = rate (in 10^-4) × billed / 6000, rounded half-up.
    const exact = (units(e.hourlyRate, 4) * BigInt(e.billedMinutes) + 3000n) / 6000n;
    if (cents(e.amount) !== exact) {
      return {
        law: 'f',
        detail: `${e.workId}: ${e.hourlyRate} × ${e.billedMinutes} / 60 = ${exact} cents, not ${e.amount}`,
      };
    }
  }
  for (const c of ledger.contractIds()) {
    for (const p of periodsOf(ledger, c)) {
      const inv = invoiceOrThrow(ledger, c, p);
      for (const x of [inv.net, inv.vat, inv.gross, ...inv.lines.map((l) => l.amount)]) {
        if (!/^-?\d+\.\d{2}$/.test(x)) return { law: 'f', detail: `${c} ${p}: ${x} is not x.yy` };
      }
      const net = inv.lines.reduce((s, l) => s + cents(l.amount), 0n);
      if (net !== cents(inv.net))
        return { law: 'f', detail: `${c} ${p}: lines sum to ${net} cents, net is ${inv.net}` };
    }
  }
  return undefined;
};

/** (g) Queries between events (which fill the caches) do not change any later answer. */
export const lawQueriesDoNotChangeAnswers = (
  events: readonly WireEvent[],
  queryAfter: readonly number[],
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const decoded = decodeAll(events);
  const asked = new Set(queryAfter.map((i) => (events.length === 0 ? 0 : i % events.length)));
  const queried = createLedger(options);
  decoded.forEach((e, i) => {
    queried.apply(e);
    if (asked.has(i)) snapshot(queried);
  });
  const fresh = foldEvents(decoded, options);
  return JSON.stringify(snapshot(queried)) === JSON.stringify(snapshot(fresh))
    ? undefined
    : { law: 'g', detail: `a ledger queried after events ${[...asked].join(', ')} answers differently` };
};

/**
 * (h) Walking only what changed is exact: the default Ledger and the `walk: 'all'` reference, both
 * queried after the given events (so drafts are read in between, as a service would), say the same.
 */
export const lawWalkingChangesOnlyIsExact = (
  events: readonly WireEvent[],
  queryAfter: readonly number[],
): LawViolation | undefined => {
  const decoded = decodeAll(events);
  const asked = new Set(queryAfter.map((i) => (events.length === 0 ? 0 : i % events.length)));
  const changed = createLedger();
  const all = createLedger({ walk: 'all' });
  for (const [i, e] of decoded.entries()) {
    changed.apply(e);
    all.apply(e);
    if (asked.has(i) && JSON.stringify(snapshot(changed)) !== JSON.stringify(snapshot(all)))
      return { law: 'h', detail: `after event ${i} the ledger walking only changes answers differently` };
  }
  return JSON.stringify(snapshot(changed)) === JSON.stringify(snapshot(all))
    ? undefined
    : { law: 'h', detail: 'at the end the ledger walking only changes answers differently' };
};

/**
 * Every answer a Ledger gives through its public API: each contract's entries and invoices (issued
 * and drafts, see {@link snapshot}), all entries, the contracts, the issued invoices with what they
 * were issued with, `explain` of every entry, the invalid events, the warnings and the event count.
 */
export const everyAnswer = (ledger: Ledger): Record<string, unknown> => {
  const entries = ledger.entries();
  return {
    byContract: snapshot(ledger),
    entries,
    contracts: ledger.contracts(),
    issued: ledger.issuedInvoices().map((inv) => ({
      invoice: inv,
      with: ledger.issuedWith(inv.contractId, inv.period),
    })),
    explained: entries.map((e) => ledger.explain(e.workId)),
    invalid: ledger.invalidEvents(),
    warnings: ledger.warnings(),
    eventCount: ledger.eventCount,
  };
};

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && a.every((x, k) => x === b[k]);

/**
 * (i) A Ledger restored from the snapshot of the first `cut` events of `events`, then given the rest,
 * answers every query ({@link everyAnswer}) exactly as a Ledger that replayed all of them, also when
 * it was asked nothing before the rest; the bytes it restored from are the bytes it writes again at
 * once; and at the end it writes the same bytes as a replay asked the same queries at the same point. With `queryFirst`, the Ledger that writes the
 * snapshot has answered every query first (its caches are full: the snapshot must not carry them).
 * `events` may hold duplicates and invalid events.
 */
export const lawSnapshotIsTheReplay = (
  events: readonly DomainEvent[],
  cut: number,
  queryFirst: boolean,
  options: LedgerOptions = {},
): LawViolation | undefined => {
  const k = Math.min(Math.max(cut, 0), events.length);
  const before = foldEvents(events.slice(0, k), options);
  if (queryFirst) everyAnswer(before);
  const bytes = writeSnapshot(before, { cut: String(k) });
  const read = readSnapshot(bytes, options);
  if (read._tag !== 'Restored') return { law: 'i', detail: `cut ${k}: ${read.message}` };
  if (read.meta['cut'] !== String(k))
    return { law: 'i', detail: `cut ${k}: the meta came back as ${JSON.stringify(read.meta)}` };
  if (!sameBytes(writeSnapshot(read.ledger, { cut: String(k) }), bytes))
    return { law: 'i', detail: `cut ${k}: the restored Ledger writes other bytes than it was read from` };
  // The rest goes to a second restore of the bytes, asked nothing before: what a restore reads only
  // when first asked for (its warnings, what its invoices were issued with) must still come first.
  const again = readSnapshot(bytes, options);
  if (again._tag !== 'Restored') return { law: 'i', detail: `cut ${k}: ${again.message}` };
  const restored = again.ledger;
  for (const e of events.slice(k)) restored.apply(e);
  const a = JSON.stringify(everyAnswer(restored));
  const b = JSON.stringify(everyAnswer(foldEvents(events, options)));
  if (a !== b) {
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    const around = (x: string): string => x.slice(Math.max(0, at - 80), at + 80);
    return {
      law: 'i',
      detail: `cut ${k}: restored + rest answers ${around(a)} where the replay answers ${around(b)}`,
    };
  }
  // The same events and the same queries at the same points: the same state, byte for byte.
  const same = foldEvents(events.slice(0, k), options);
  if (queryFirst) everyAnswer(same);
  for (const e of events.slice(k)) same.apply(e);
  everyAnswer(same);
  if (!sameBytes(writeSnapshot(restored, {}), writeSnapshot(same, {})))
    return { law: 'i', detail: `cut ${k}: restored + rest writes another snapshot than the replay` };
  return undefined;
};
