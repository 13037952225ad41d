/**
 * The integrity of ids (spec §2) has one home, `existenceRefusal` of @msp-billing/contracts, asked of
 * the Registry and of the Ledger's own tables: over random logs whose events come out of order, go
 * missing or come twice under new ids, both refuse the same events with the same refusal. The
 * Ledger's other integrity rules (a VM with an active MSP, the invoicing rules, who may order) come
 * after the ids, so wherever the registry refuses an event the Ledger refuses it the same way.
 * MSP_LAW_RUNS sets the number of runs.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLedger } from '@msp-billing/billing';
import {
  REGISTRY_IDS,
  emptyRegistry,
  evolveRegistry,
  existenceRefusal,
  type ExistenceRefusal,
} from '@msp-billing/contracts/internal';
import type { WireEvent } from '@msp-billing/events';
import { arbitraryLog, decodeAll } from '../src/index.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 60);

/** Tags of `existenceRefusal`; anything else the Ledger refuses for is one of its other rules. */
const EXISTENCE_TAGS: ReadonlySet<string> = new Set<ExistenceRefusal['_tag']>([
  'RateCardAlreadyPublished',
  'UnknownRateCard',
  'ContractAlreadyBooked',
  'UnknownContract',
  'TicketIdAlreadyUsed',
  'UnknownTicket',
  'UnknownAlert',
  'AlertIdAlreadyUsed',
  'WorkIdAlreadyUsed',
  'UnknownWorkEntry',
  'WorkEntryVoided',
]);

/**
 * A valid log broken: some of its events dropped, some moved elsewhere, and some repeated elsewhere
 * under a new event id (so that they re-create what they created).
 */
const brokenLogs: fc.Arbitrary<WireEvent[]> = arbitraryLog({ maxContracts: 3 }).chain((log) =>
  fc
    .record({
      drops: fc.array(fc.nat(), { maxLength: 5 }),
      moves: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
      again: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 15 }),
    })
    .map(({ drops, moves, again }) => {
      const out = [...log];
      for (const at of drops) out.splice(at % Math.max(1, out.length), 1);
      for (const [from, to] of moves) {
        const [e] = out.splice(from % out.length, 1);
        if (e !== undefined) out.splice(to % (out.length + 1), 0, e);
      }
      for (const [which, to] of again) {
        const e = log[which % log.length] as WireEvent;
        out.splice(to % (out.length + 1), 0, { ...e, id: `${e.id}-again-${out.length}` });
      }
      return out;
    }),
);

describe('the integrity of ids has one home', () => {
  it('the Registry and the Ledger refuse the same events with the same refusal', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(brokenLogs, (wire) => {
        const ledger = createLedger();
        let registry = emptyRegistry();
        for (const ev of decodeAll(wire)) {
          const byRegistry = existenceRefusal(REGISTRY_IDS, registry, ev);
          const applied = ledger.apply(ev);
          const refusal = applied._tag === 'Invalid' ? ledger.invalidEvents().at(-1)?.refusal : undefined;
          const ids = refusal !== undefined && EXISTENCE_TAGS.has(refusal._tag) ? refusal : undefined;
          expect(byRegistry).toEqual(ids);
          if (ids !== undefined) seen.set(ids._tag, (seen.get(ids._tag) ?? 0) + 1);
          // Only what the Ledger applied is part of the log the next event is judged against.
          if (applied._tag === 'Applied') registry = evolveRegistry(registry, ev);
        }
      }),
      { numRuns },
    );
    // The logs break ids in many ways, not in one: most kinds of refusal were met.
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });
});
