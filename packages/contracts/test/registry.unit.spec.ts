/** The registry view: which VM has an active MSP (1), where ids belong, and stream resolution. */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DomainEvent } from '@msp-billing/events';
import { streamOf } from '@msp-billing/events';
import {
  activeMspForVm,
  contractOfAlert,
  contractOfTicket,
  emptyRegistry,
  evolveRegistry,
  isContractBooked,
  isRateCardPublished,
  invoiceNumberUse,
  registryFromJson,
  registryResolver,
  registryToJson,
  ticketOfWork,
  type Registry,
} from '../src/internal.js';
import { arbitraryLog, decodeAll } from '../../testing/src/logs.js';
import { CONTRACT, booked, ev } from './fixtures.js';

const fold = (...events: DomainEvent[]) => events.reduce(evolveRegistry, emptyRegistry());
const cancelled = ev('MSPCancelled', 'e-x', '2026-10-05T00:00:00Z', {
  contractId: 'c-1',
  vmDecommissioned: false,
});

describe('Registry', () => {
  it('knows which contract has the active MSP of a VM, until it is cancelled', () => {
    expect(activeMspForVm(fold(...CONTRACT), 'vm-1')).toBe('c-1');
    expect(activeMspForVm(fold(...CONTRACT, cancelled), 'vm-1')).toBeUndefined();
    expect(activeMspForVm(fold(...CONTRACT, cancelled, booked('c-2', 'vm-1')), 'vm-1')).toBe('c-2');
    expect(isContractBooked(fold(...CONTRACT, cancelled), 'c-1')).toBe(true);
    expect(isRateCardPublished(fold(...CONTRACT), 'rc-1')).toBe(true);
    expect(isRateCardPublished(fold(...CONTRACT), 'rc-2')).toBe(false);
  });

  it('a cancellation of an older contract does not free a VM booked again since', () => {
    // c-1 is cancelled, c-2 books vm-1, then a late second cancellation of c-1 arrives.
    const r = fold(
      ...CONTRACT,
      cancelled,
      booked('c-2', 'vm-1'),
      ev('MSPCancelled', 'e-x2', '2026-10-06T00:00:00Z', { contractId: 'c-1', vmDecommissioned: false }),
    );
    expect(activeMspForVm(r, 'vm-1')).toBe('c-2');
  });

  it('resolves tickets, work entries and alerts, and serves as the stream resolver', () => {
    const r = fold(
      ...CONTRACT,
      ev('TicketOpened', 'e-t', '2026-10-02T00:00:00Z', {
        ticketId: 't-1',
        contractId: 'c-1',
        channel: 'email',
        requester: 'dev@example.com',
        subject: 's',
        service: 'support-request',
      }),
      ev('WorkLogged', 'e-w', '2026-10-02T01:00:00Z', {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'tech',
        startedAt: Date.parse('2026-10-02T00:30:00Z'),
        minutes: 10,
      }),
      ev('AlertRaised', 'e-a', '2026-10-02T00:00:00Z', { alertId: 'a-1', contractId: 'c-1', metric: 'ram' }),
    );
    expect(contractOfTicket(r, 't-1')).toBe('c-1');
    expect(ticketOfWork(r, 'w-1')).toBe('t-1');
    expect(contractOfAlert(r, 'a-1')).toBe('c-1');
    const resolver = registryResolver(r);
    expect(
      streamOf(ev('WorkLogVoided', 'e-v', '2026-10-03T00:00:00Z', { workId: 'w-1', reason: 'x' }), resolver),
    ).toBe('ticket-t-1');
    expect(
      streamOf(
        ev('AlertAcknowledged', 'e-k', '2026-10-03T00:00:00Z', { alertId: 'a-1', by: 'x@example.com' }),
        resolver,
      ),
    ).toBe('contract-c-1');
  });
});

describe('registryToJson / registryFromJson', () => {
  /** Every question the registry answers, about every id the events name. */
  const answers = (r: Registry, events: readonly DomainEvent[]) => {
    const ids = new Set<string>();
    for (const e of events) for (const v of Object.values(e.data)) if (typeof v === 'string') ids.add(v);
    return [...ids].map((id) => [
      id,
      activeMspForVm(r, id),
      isContractBooked(r, id),
      contractOfTicket(r, id),
      ticketOfWork(r, id),
      contractOfAlert(r, id),
      isRateCardPublished(r, id),
      invoiceNumberUse(r, id),
    ]);
  };

  it('a registry read back answers like the one written, then and after more events', () => {
    fc.assert(
      fc.property(arbitraryLog(), fc.nat(), (wire, cutAt) => {
        const events = decodeAll(wire);
        const cut = cutAt % (events.length + 1);
        const before = events.slice(0, cut).reduce(evolveRegistry, emptyRegistry());
        const read = registryFromJson(registryToJson(before));
        expect(read).toBeDefined();
        const restored = read as Registry;
        expect(answers(restored, events)).toEqual(answers(before, events));
        const rest = events.slice(cut);
        expect(answers(rest.reduce(evolveRegistry, restored), events)).toEqual(
          answers(rest.reduce(evolveRegistry, before), events),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('refuses text that is no registry', () => {
    expect(registryFromJson('not json')).toBeUndefined();
    expect(registryFromJson('{}')).toBeUndefined();
    expect(
      registryFromJson(
        JSON.stringify({ ...JSON.parse(registryToJson(emptyRegistry())), rateCards: [[1, true]] }),
      ),
    ).toBeUndefined();
  });
});
