/** Interning: one shared copy of equal strings, in a table that stops growing at its bound. */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@msp-billing/events';
import { createInterner } from '../src/intern.js';
import { evolveTicketFacts, workEntry, type TicketFacts } from '../src/internal.js';
import { at, ev } from './fixtures.js';

// Strings built at run time: equal content, yet distinct strings as decoded events carry them.
const built = (...parts: string[]): string => parts.join('');

describe('createInterner', () => {
  it('returns the string first seen with equal content, keeping one entry per content', () => {
    const table = new Map<string, string>();
    const intern = createInterner(4, table);
    const first = built('dev', '@example.com');
    expect(intern(first)).toBe('dev@example.com');
    expect(intern(built('dev@', 'example.com'))).toBe('dev@example.com');
    expect(intern('ops@example.com')).toBe('ops@example.com');
    expect([...table.keys()]).toEqual(['dev@example.com', 'ops@example.com']);
  });

  it('stops adding at its bound: later strings are returned as they are, earlier ones still shared', () => {
    const table = new Map<string, string>();
    const intern = createInterner(2, table);
    for (let i = 0; i < 100; i++) expect(intern(`vm-${i % 10}`)).toBe(`vm-${i % 10}`);
    expect([...table.keys()]).toEqual(['vm-0', 'vm-1']);
    expect(intern(built('vm-', '1'))).toBe('vm-1');
    expect(table.size).toBe(2);
  });
});

describe('TicketFacts', () => {
  const opened = (ticketId: string, requester: string, vmId: string): DomainEvent =>
    ev('TicketOpened', `e-${ticketId}`, '2026-10-02T00:00:00Z', {
      ticketId,
      contractId: 'c-1',
      channel: 'email',
      requester,
      subject: 'help',
      service: 'support-request',
      vmId,
    });
  const logged = (workId: string, ticketId: string, technician: string): DomainEvent =>
    ev('WorkLogged', `e-${workId}`, '2026-10-02T10:00:00Z', {
      workId,
      ticketId,
      technician,
      startedAt: at('2026-10-02T09:00:00Z'),
      minutes: 30,
    });
  const fold = (...events: DomainEvent[]): TicketFacts =>
    events.reduce(evolveTicketFacts, undefined) as TicketFacts;

  it('tickets and work entries built from distinct equal strings keep equal values', () => {
    const a = fold(
      opened('t-1', built('dev', '@customer.example'), built('vm-', 'web-01')),
      logged('w-1', 't-1', built('tech-', 'anna')),
    );
    const b = fold(
      opened('t-2', built('dev@', 'customer.example'), built('vm-web', '-01')),
      logged('w-2', 't-2', built('tech-a', 'nna')),
    );
    expect([a.requester, a.vmId, workEntry(a, 'w-1')?.technician]).toEqual([
      'dev@customer.example',
      'vm-web-01',
      'tech-anna',
    ]);
    expect([b.requester, b.vmId, workEntry(b, 'w-2')?.technician]).toEqual([
      a.requester,
      a.vmId,
      'tech-anna',
    ]);
  });
});
