/**
 * Authorised requesters named late (rule 16, clause 3): an entry reads them at its ticket's opening,
 * so a requester named at T changes the entries of the tickets opened at or after T, however the
 * tickets were recorded, and none opened before. Applied to one Ledger after its entries were
 * classified, as a service would.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decodeEvent } from '@msp-billing/events';
import { C, base, entryOf, ticket, work } from './support/log.js';

describe('a requester named late', () => {
  it('holds the work of tickets opened since, recorded in any order, and no other', () => {
    const l = base();
    // Recorded in this order, opened in another: 09-20, then 09-12, then 09-18.
    ticket(l, 't-20', 'support-request', '2026-09-20T09:00:00+02:00');
    ticket(l, 't-12', 'support-request', '2026-09-12T09:00:00+02:00');
    ticket(l, 't-18', 'support-request', '2026-09-18T09:00:00+02:00');
    work(l, 'w-20', 't-20', '2026-09-20T10:00:00+02:00', 30);
    work(l, 'w-12', 't-12', '2026-09-12T10:00:00+02:00', 30);
    work(l, 'w-18', 't-18', '2026-09-18T10:00:00+02:00', 30);
    const ledger = l.ledger();
    // No authorised requester yet: everyone may order, all billable (30 min at 100.00/h = 50.00).
    expect(['w-20', 'w-12', 'w-18'].map((w) => entryOf(ledger, w).status)).toEqual([
      'billable',
      'billable',
      'billable',
    ]);
    const late = decodeEvent({
      id: 'e-late-requester',
      type: 'AuthorizedRequesterNamed',
      occurredAt: '2026-09-15T00:00:00+02:00',
      data: { contractId: C, email: 'someone.else@customer.example' },
    });
    if (E.isLeft(late)) throw new Error(late.left.message);
    ledger.apply(late.right);
    // The tickets' requester is not the one named: held from 09-15 on (t-18, t-20), not before (t-12).
    expect(['w-20', 'w-12', 'w-18'].map((w) => entryOf(ledger, w).status)).toEqual([
      'held',
      'billable',
      'held',
    ]);
  });
});
