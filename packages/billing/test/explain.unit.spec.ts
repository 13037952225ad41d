/**
 * The classification trace behind `explain`: every rule evaluated, in order, with the facts it read,
 * stopping at the rule that decided; billable entries go on through rules 15–17.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { C, base, ticket, work } from './support/log.js';

describe('explain', () => {
  it('lists rules 1–12 then 15–17 for a billable support request, with its pricing', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 50);
    const r = l.ledger().explain('w-1');
    if (E.isLeft(r)) throw new Error(r.left.message);
    const { classification, pricing, entry, timeZone } = r.right;
    expect(classification.trace.map((s) => [s.rule, s.outcome])).toEqual([
      [1, 'passed'],
      [2, 'passed'],
      [3, 'passed'],
      [4, 'passed'],
      [5, 'passed'],
      [6, 'passed'],
      [7, 'passed'],
      [8, 'passed'],
      [9, 'passed'],
      [10, 'passed'],
      [11, 'passed'],
      [12, 'decided'],
      [15, 'passed'],
      [16, 'passed'],
      [17, 'passed'],
    ]);
    expect(classification.trace[0]?.facts).toMatchObject({ startedAt: '2026-09-10T08:00:00.000Z' });
    expect(classification.trace.find((s) => s.rule === 16)?.facts).toMatchObject({
      authorizedRequesters: expect.stringContaining('none named'),
    });
    // 50 min → 60 billed × 100.00 / 60 = 100.00, rate in force since 2026-01-01T00:00+01:00.
    expect(pricing).toEqual({
      hourlyRate: '100.00',
      rateEffectiveFrom: '2025-12-31T23:00:00.000Z',
      billingIncrementMinutes: 15,
      billedMinutes: 60,
      amount: '100.00',
      currency: 'EUR',
    });
    expect([entry.status, entry.clause, timeZone]).toEqual(['billable', '3.1', 'Europe/Berlin']);
  });

  it('stops at the deciding rule and prices nothing for a flagged entry', () => {
    const l = ticket(base(), 't-1', 'backup-run');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    const r = l.ledger().explain('w-1');
    if (E.isLeft(r)) throw new Error(r.left.message);
    const last = r.right.classification.trace.at(-1);
    expect(last).toMatchObject({ rule: 7, clause: '2.2', outcome: 'decided', status: 'flagged' });
    expect(last?.facts).toMatchObject({ nasShareAttached: 'no' });
    expect(r.right.pricing).toBeUndefined();
  });

  it('refuses unknown and voided entries with a readable message', () => {
    const l = ticket(base(), 't-1', 'incident');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 30);
    l.add('WorkLogVoided', '2026-09-11T10:00:00+02:00', { workId: 'w-1', reason: 'twice' });
    const ledger = l.ledger();
    expect(ledger.explain('w-9')).toEqual(
      E.left(
        expect.objectContaining({ _tag: 'UnknownWorkEntry', message: 'no work entry "w-9" in the log' }),
      ),
    );
    expect(ledger.explain('w-1')).toEqual(
      E.left(expect.objectContaining({ message: 'work entry "w-1" is voided' })),
    );
    expect(ledger.invoice('c-9', '2026-09')).toEqual(
      E.left(expect.objectContaining({ _tag: 'UnknownContract' })),
    );
    expect(ledger.invoice(C, '2026-13')).toEqual(E.left(expect.objectContaining({ _tag: 'BadPeriod' })));
  });
});

describe('entry', () => {
  it('is the entry explain states, undefined for a voided or unknown one, and what entries lists', () => {
    const l = ticket(base(), 't-1', 'support-request');
    work(l, 'w-1', 't-1', '2026-09-10T10:00:00+02:00', 50);
    work(l, 'w-2', 't-1', '2026-09-11T10:00:00+02:00', 20);
    work(l, 'w-3', 't-1', '2026-09-12T10:00:00+02:00', 30);
    l.add('WorkLogVoided', '2026-09-12T12:00:00+02:00', { workId: 'w-3', reason: 'logged twice' });
    const ledger = l.ledger();
    const x = ledger.explain('w-1');
    if (E.isLeft(x)) throw new Error(x.left.message);
    expect(ledger.entry('w-1')).toEqual(x.right.entry);
    expect(ledger.entries({ contractId: C })).toEqual([ledger.entry('w-1'), ledger.entry('w-2')]);
    expect(ledger.entry('w-3')).toBeUndefined();
    expect(E.isLeft(ledger.explain('w-3'))).toBe(true);
    expect(ledger.entry('w-unknown')).toBeUndefined();
    expect(E.isLeft(ledger.explain('w-unknown'))).toBe(true);
  });
});
