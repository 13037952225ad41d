/**
 * The scenario generator's promises: the same seed gives the same bytes, every event is valid
 * (the Ledger finds no invalid event at ~20 000 events on several seeds), ids are unique, and a few
 * months already show every status and every invoice line kind.
 */
import { describe, expect, it } from 'vitest';
import { decodeEvent, type WireEvent } from '@msp-billing/events';
import { createLedger, type Ledger } from '@msp-billing/billing';
import { generateScenario, generateScenarioNdjson, type ScenarioOptions } from '../src/scenario.js';

/** Fold wire events into a Ledger the way a reader would: decode, then apply in order. */
const fold = (events: Iterable<WireEvent>): { ledger: Ledger; count: number; ids: Set<string> } => {
  const ledger = createLedger();
  const ids = new Set<string>();
  let count = 0;
  for (const w of events) {
    count += 1;
    ids.add(w.id);
    const d = decodeEvent(w);
    if (d._tag === 'Left') throw new Error(`line ${count}: ${d.left.message}`);
    ledger.apply(d.right, { line: count });
  }
  return { ledger, count, ids };
};

describe('generateScenario', () => {
  it('is deterministic: the same seed gives the same log, another seed another', () => {
    const opts: ScenarioOptions = { seed: 7, contracts: 12, from: '2026-03', months: 4 };
    const a = [...generateScenarioNdjson(opts)].join('');
    const b = [...generateScenarioNdjson(opts)].join('');
    const c = [...generateScenarioNdjson({ ...opts, seed: 8 })].join('');
    expect(a.length).toBeGreaterThan(10_000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('stops at `limit` with a prefix of the full log', () => {
    const opts: ScenarioOptions = { seed: 3, contracts: 5, from: '2026-01', months: 3 };
    const full = [...generateScenario(opts)];
    const cut = [...generateScenario({ ...opts, limit: 100 })];
    expect(cut).toEqual(full.slice(0, 100));
  });

  // Many contracts over few months: the same number of events folds faster (the Ledger's cost grows
  // with months per contract, see docs/benchmarks.md), which keeps this test quick on a busy machine.
  it.each([1, 2, 3])(
    'seed %i: ~20 000 valid events with unique ids, mostly in time order',
    (seed) => {
      const events = [
        ...generateScenario({ seed, contracts: 140, from: '2026-01', months: 6, limit: 20_000 }),
      ];
      const { ledger, count, ids } = fold(events);
      expect(count).toBe(20_000);
      expect(ids.size).toBe(count);
      expect(ledger.invalidEvents()).toEqual([]);
      // Recording order is mostly, not strictly, business-time order: some facts are recorded late.
      let inOrder = 0;
      let late = 0;
      for (let i = 1; i < events.length; i++) {
        const prev = Date.parse((events[i - 1] as WireEvent).occurredAt);
        const cur = Date.parse((events[i] as WireEvent).occurredAt);
        if (cur >= prev) inOrder += 1;
        else late += 1;
      }
      expect(inOrder / count).toBeGreaterThan(0.9);
      expect(late).toBeGreaterThan(0);
    },
    120_000,
  );

  it('shows every status and every line kind within a few months', () => {
    const { ledger } = fold(generateScenario({ seed: 1, contracts: 20, from: '2026-01', months: 4 }));
    const statuses = new Set(ledger.entries().map((e) => e.status));
    expect([...statuses].toSorted()).toEqual(['billable', 'flagged', 'held', 'included']);
    const kinds = new Set(ledger.issuedInvoices().flatMap((inv) => inv.lines.map((l) => l.kind)));
    expect([...kinds].toSorted()).toEqual(['correction', 'late-work', 'reversal', 'work']);
    const services = new Set(ledger.entries().map((e) => e.service));
    expect(services.size).toBeGreaterThanOrEqual(17);
  });
});
