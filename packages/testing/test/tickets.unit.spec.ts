/**
 * The Ledger keeps a ticket as the values it was opened with, and a record of what was recorded on it
 * since unless it is plain (opened by `TicketOpened`, nothing recorded on it since), and makes its
 * facts again when asked (billing ticketTable.ts); a ticket with work entries in its facts is kept
 * whole. This pins that the facts it gives back are exactly those `evolveTicketFacts` folded, for
 * every ticket after every event of generated logs, and that the generated logs had all three kinds.
 */
import * as fc from 'fast-check';
import { type TicketFacts } from '@msp-billing/contracts';
import { asPlainTicket, evolveTicketFacts, ticketRecord } from '@msp-billing/contracts/internal';
import { TicketTable, type ContractBook } from '@msp-billing/billing/internal';
import { describe, expect, it } from 'vitest';
import { arbitraryLog, decodeAll } from '../src/index.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 300);

// A stand-in book: the table reads only the contract id of a ticket's book.
const bookOf = (contractId: string): ContractBook => ({ facts: { contractId } }) as unknown as ContractBook;

describe("the Ledger's tickets", () => {
  it('give back the facts evolveTicketFacts folds, for plain tickets, recorded ones and whole ones', () => {
    let plain = 0;
    let recorded = 0;
    let whole = 0;
    fc.assert(
      fc.property(arbitraryLog(), (wire) => {
        const table = new TicketTable();
        const numbers = new Map<string, number>();
        const facts = new Map<string, TicketFacts>();
        for (const e of decodeAll(wire)) {
          if (!('ticketId' in e.data)) continue;
          const id = e.data.ticketId;
          const before = facts.get(id);
          const after = evolveTicketFacts(before, e);
          if (after === undefined || after === before) continue;
          facts.set(id, after);
          let t = numbers.get(id);
          if (t === undefined) numbers.set(id, (t = table.add(after, bookOf(after.contractId))));
          else table.set(t, after);
          expect(table.factsOf(t)).toStrictEqual(after);
          if (asPlainTicket(after) !== undefined) plain += 1;
          else if (ticketRecord(after) !== undefined) recorded += 1;
          else whole += 1;
        }
        for (const [id, t] of numbers) expect(table.factsOf(t)).toStrictEqual(facts.get(id));
      }),
      { numRuns },
    );
    expect(plain).toBeGreaterThan(0);
    expect(recorded).toBeGreaterThan(0);
    expect(whole).toBeGreaterThan(0);
  });

  it('keep the facts object of a ticket whose channel or service the wire format does not have', () => {
    // Decoding refuses these; a program that builds its own events may not. The columns hold a
    // channel and a service as their numbers, so such a ticket keeps its facts as they are.
    const opened = evolveTicketFacts(undefined, {
      id: 'e-1',
      type: 'TicketOpened',
      occurredAt: Date.UTC(2026, 8, 10),
      data: { ticketId: 't-1', contractId: 'c-1', channel: 'fax', service: 'telepathy', subject: 's' },
    } as unknown as Parameters<typeof evolveTicketFacts>[1]) as TicketFacts;
    expect(asPlainTicket(opened)).toBeDefined();
    const table = new TicketTable();
    const t = table.add(opened, bookOf('c-1'));
    expect(table.factsOf(t)).toBe(opened);
    expect([opened.channel, opened.openedService]).toEqual(['fax', 'telepathy']);
  });
});
