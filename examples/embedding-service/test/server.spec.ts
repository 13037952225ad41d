/**
 * The embedding-service example, driven over real HTTP with `fetch`: from an empty in-memory store
 * to a rate card, a booking, tickets, work, an update request, an invoice draft and its issue, with
 * refusals, malformed input and unknown ids along the way. The store is passed in explicitly: CI
 * sets DATABASE_URL for the PostgreSQL suites, and this test must not share their database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@msp-billing/store';
import { instantProblems } from '../../../packages/testing/src/instants.js';
import { startServer, storeFromEnv, type RunningServer } from '../src/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, store: new InMemoryEventStore() });
});
afterAll(async () => {
  await server.close();
});

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The `Idempotent-Replayed` header, null when absent. */
  readonly replayedHeader: string | null;
}

const requestTo = async (to: RunningServer, method: string, path: string, body?: string): Promise<Reply> => {
  const res = await fetch(`${to.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  const reply = {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    replayedHeader: res.headers.get('idempotent-replayed'),
  };
  replies.push([`${method} ${path} ${reply.status}`, reply.body]);
  return reply;
};

/** Every reply of the run, for the check that instants are served as RFC 3339. */
const replies: [string, unknown][] = [];

const request = (method: string, path: string, body?: string): Promise<Reply> =>
  requestTo(server, method, path, body);

const command = (type: string, eventId: string, occurredAt: string, data: Record<string, unknown>) =>
  request('POST', '/commands', JSON.stringify({ type, eventId, occurredAt, data }));

const get = (path: string) => request('GET', path);

describe('embedding service over HTTP', () => {
  // The steps build on each other, in order, like a day at the helpdesk.
  it('starts from nothing: rate card, rate, booking', async () => {
    expect(
      await command('PublishRateCard', 'e-1', '2026-10-01T00:00:00Z', {
        rateCardId: 'rc-web',
        currency: 'EUR',
        billingIncrementMinutes: 15,
      }),
    ).toMatchObject({ status: 201, body: { events: [{ id: 'e-1', type: 'RateCardPublished' }] } });
    expect(
      await command('SetHourlyRate', 'e-2', '2026-10-01T00:00:00Z', {
        rateCardId: 'rc-web',
        effectiveFrom: '2026-10-01T00:00:00+02:00',
        hourlyRate: '97.50',
      }),
    ).toMatchObject({ status: 201 });
    const booked = await command('BookMsp', 'e-3', '2026-10-01T08:00:00+02:00', {
      contractId: 'c-1',
      customerId: 'cu-1',
      vmId: 'vm-1',
      sla: 'Standard',
      rateCardId: 'rc-web',
    });
    // The decider writes the wire defaults out (spec §2): Berlin, 19 % VAT.
    expect(booked).toMatchObject({
      status: 201,
      body: { events: [{ type: 'MSPBooked', data: { timeZone: 'Europe/Berlin', vatRatePercent: '19' } }] },
    });
  });

  it('refuses a second MSP for the same VM with 409 and the refusal tag (1)', async () => {
    const r = await command('BookMsp', 'e-4', '2026-10-02T08:00:00+02:00', {
      contractId: 'c-2',
      customerId: 'cu-2',
      vmId: 'vm-1',
      sla: 'Basic',
      rateCardId: 'rc-web',
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ _tag: 'MspAlreadyBookedForVm', vmId: 'vm-1', activeContractId: 'c-1' });
    expect(r.body['message']).toContain('one MSP per VM (1)');
  });

  it('records tickets, work and an update request', async () => {
    const accepted = [
      await command('OpenTicket', 'e-5', '2026-10-05T09:00:00+02:00', {
        ticketId: 't-1',
        contractId: 'c-1',
        channel: 'helpdesk',
        requester: 'ops@customer.example',
        subject: 'nginx returns 502 after our deploy',
        service: 'support-request',
      }),
      await command('LogWork', 'e-6', '2026-10-05T10:00:00+02:00', {
        workId: 'w-1',
        ticketId: 't-1',
        technician: 'anna',
        startedAt: '2026-10-05T09:10:00+02:00',
        minutes: 50,
      }),
      await command('LogWork', 'e-7', '2026-10-07T14:30:00+02:00', {
        workId: 'w-2',
        ticketId: 't-1',
        technician: 'bernd',
        startedAt: '2026-10-07T14:00:00+02:00',
        minutes: 20,
      }),
      await command('OpenTicket', 'e-8', '2026-10-12T03:00:00+02:00', {
        ticketId: 't-2',
        contractId: 'c-1',
        channel: 'phone',
        requester: 'ops@customer.example',
        subject: 'host unreachable',
        service: 'incident',
      }),
      await command('LogWork', 'e-9', '2026-10-12T04:00:00+02:00', {
        workId: 'w-3',
        ticketId: 't-2',
        technician: 'anna',
        startedAt: '2026-10-12T03:05:00+02:00',
        minutes: 40,
      }),
      await command('RequestUpdate', 'e-10', '2026-10-13T11:00:00+02:00', {
        ticketId: 't-3',
        contractId: 'c-1',
        channel: 'email',
        requester: 'ops@customer.example',
        software: 'openssl',
        scope: 'os',
        vendorSupported: true,
      }),
      await command('LogWork', 'e-11', '2026-10-14T23:30:00+02:00', {
        workId: 'w-4',
        ticketId: 't-3',
        technician: 'chris',
        startedAt: '2026-10-14T23:00:00+02:00',
        minutes: 30,
      }),
    ];
    expect(accepted.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201, 201]);
  });

  it('refuses an update of unsupported software with 422 (4.1)', async () => {
    const r = await command('RequestUpdate', 'e-12', '2026-10-15T11:00:00+02:00', {
      ticketId: 't-4',
      contractId: 'c-1',
      channel: 'email',
      requester: 'ops@customer.example',
      software: 'php5',
      scope: 'preinstalled',
      vendorSupported: false,
    });
    expect(r).toMatchObject({ status: 422, body: { _tag: 'UpdateWithoutVendorSupport', software: 'php5' } });
  });

  it('refuses an update scheduled outside every window with 422, the instant in RFC 3339 (4.1)', async () => {
    const requested = await command('RequestUpdate', 'e-u1', '2026-10-15T11:00:00+02:00', {
      ticketId: 't-5',
      contractId: 'c-1',
      channel: 'email',
      requester: 'ops@customer.example',
      software: 'nginx',
      scope: 'preinstalled',
      vendorSupported: true,
    });
    expect(requested.status).toBe(201);
    // Friday 12:00 in Berlin (10:00 UTC); Standard's only window is Wednesday 22:00–06:00.
    const r = await command('ScheduleUpdate', 'e-u2', '2026-10-15T11:05:00+02:00', {
      ticketId: 't-5',
      scheduledFor: '2026-10-16T12:00:00+02:00',
      agreedWithCustomer: false,
    });
    expect(r).toMatchObject({
      status: 422,
      body: { _tag: 'UpdateOutsideMaintenanceWindow', scheduledFor: '2026-10-16T10:00:00.000Z' },
    });
  });

  it('serves the October draft with totals worked out by hand', async () => {
    // Rate card rc-web: 97.50 EUR/h, 15-minute increments; VAT 19 % (booking default).
    //   w-1 support request (3.1, implicit order: nobody authorised was named):
    //       50 min → 60 billed → 97.50 × 60 / 60 = 97.50
    //   w-2 support request: 20 min → 30 billed → 97.50 × 30 / 60 = 48.75
    //   w-3 incident (3.1) and w-4 OS update without schedule (4.1): included, 40 + 30 = 70 min
    // net 97.50 + 48.75 = 146.25; VAT 146.25 × 0.19 = 27.7875 → 27.79; gross 146.25 + 27.79 = 174.04
    const r = await get('/contracts/c-1/invoices/2026-10');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      contractId: 'c-1',
      period: '2026-10',
      status: 'draft',
      invoiceNumber: null,
      currency: 'EUR',
      net: '146.25',
      vatRatePercent: '19',
      vat: '27.79',
      gross: '174.04',
      included: { entries: 2, minutes: 70 },
      held: [],
      flagged: [],
    });
    expect(r.body['lines']).toEqual([
      expect.objectContaining({
        kind: 'work',
        workId: 'w-1',
        billedMinutes: 60,
        hourlyRate: '97.50',
        amount: '97.50',
      }),
      expect.objectContaining({
        kind: 'work',
        workId: 'w-2',
        billedMinutes: 30,
        hourlyRate: '97.50',
        amount: '48.75',
      }),
    ]);
  });

  it('explains an entry rule by rule', async () => {
    const r = await get('/work/w-1/explain');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      entry: { workId: 'w-1', status: 'billable', clause: '3.1', amount: '97.50' },
      classification: { status: 'billable', clause: '3.1', service: 'support-request' },
      pricing: { hourlyRate: '97.50', billingIncrementMinutes: 15, billedMinutes: 60, amount: '97.50' },
    });
    const trace = (r.body['classification'] as { trace: unknown[] }).trace;
    expect(trace.length).toBeGreaterThan(0);
  });

  it('issues the invoice, freezes it, and refuses to issue the period again', async () => {
    expect(
      await command('IssueInvoice', 'e-13', '2026-11-02T06:00:00+01:00', {
        contractId: 'c-1',
        period: '2026-10',
        invoiceNumber: 'RE-2026-1001',
      }),
    ).toMatchObject({ status: 201 });
    // Work recorded after the issue goes onto the next invoice, not this one.
    expect(
      await command('LogWork', 'e-14', '2026-11-03T09:00:00+01:00', {
        workId: 'w-5',
        ticketId: 't-1',
        technician: 'anna',
        startedAt: '2026-10-30T09:00:00+01:00',
        minutes: 15,
      }),
    ).toMatchObject({ status: 201 });
    const issued = await get('/contracts/c-1/invoices/2026-10');
    expect(issued.body).toMatchObject({
      status: 'issued',
      invoiceNumber: 'RE-2026-1001',
      net: '146.25',
      vat: '27.79',
      gross: '174.04',
    });
    // w-5: October work after October was issued → November late-work, 15 min × 97.50 / 60 = 24.375 → 24.38.
    const november = await get('/contracts/c-1/invoices/2026-11');
    expect(november.body).toMatchObject({ status: 'draft', net: '24.38' });
    expect(november.body['lines']).toEqual([expect.objectContaining({ kind: 'late-work', workId: 'w-5' })]);
    const again = await command('IssueInvoice', 'e-15', '2026-11-02T07:00:00+01:00', {
      contractId: 'c-1',
      period: '2026-10',
      invoiceNumber: 'RE-2026-1002',
    });
    expect(again).toMatchObject({ status: 409, body: { _tag: 'InvoicePeriodNotAfterLast' } });
  });

  it('refuses an invoice for a month that is not over (422) and a number already used (409)', async () => {
    // November 2026 ends at 2026-12-01T00:00 Berlin; issuing it on 2026-11-20 is too early.
    const early = await command('IssueInvoice', 'e-16', '2026-11-20T09:00:00+01:00', {
      contractId: 'c-1',
      period: '2026-11',
      invoiceNumber: 'RE-2026-1003',
    });
    expect(early).toMatchObject({ status: 422, body: { _tag: 'InvoicePeriodNotOver' } });
    const reused = await command('IssueInvoice', 'e-17', '2026-12-01T09:00:00+01:00', {
      contractId: 'c-1',
      period: '2026-11',
      invoiceNumber: 'RE-2026-1001',
    });
    expect(reused).toMatchObject({ status: 409, body: { _tag: 'InvoiceNumberAlreadyUsed' } });
  });

  it('answers malformed JSON with 400', async () => {
    const r = await request('POST', '/commands', '{"type": "LogWork",');
    expect(r).toMatchObject({ status: 400, body: { _tag: 'BadJson', path: '' } });
  });

  it('answers a malformed command with 400 and the field path', async () => {
    const zero = await command('LogWork', 'e-16', '2026-10-20T10:00:00+02:00', {
      workId: 'w-9',
      ticketId: 't-1',
      technician: 'anna',
      startedAt: '2026-10-20T09:00:00+02:00',
      minutes: 0,
    });
    expect(zero).toMatchObject({ status: 400, body: { _tag: 'BadCommand', path: 'data.minutes' } });
    const twoProblems = await command('LogWork', 'e-18', '2026-10-20T10:00:00+02:00', {
      workId: 'w-9',
      ticketId: 't-1',
      startedAt: '2026-10-20T09:00:00',
      minutes: 50,
    });
    expect(twoProblems.body['message']).toBe(
      'data.technician: required field is missing; ' +
        'data.startedAt: timestamp has no offset (add Z or ±hh:mm) (got "2026-10-20T09:00:00")',
    );
    const noId = await request(
      'POST',
      '/commands',
      JSON.stringify({ type: 'OpenTicket', occurredAt: '2026-10-20T10:00:00Z', data: {} }),
    );
    expect(noId).toMatchObject({ status: 400, body: { path: 'eventId' } });
    const unknownType = await command('FireCustomer', 'e-17', '2026-10-20T10:00:00Z', {});
    expect(unknownType).toMatchObject({ status: 400, body: { path: 'type' } });
  });

  it('answers unknown ids with 404', async () => {
    expect(await get('/contracts/c-404/invoices/2026-10')).toMatchObject({
      status: 404,
      body: { _tag: 'UnknownContract' },
    });
    expect(await get('/work/w-404/explain')).toMatchObject({
      status: 404,
      body: { _tag: 'UnknownWorkEntry' },
    });
    const onUnknownTicket = await command('LogWork', 'e-18', '2026-10-20T10:00:00+02:00', {
      workId: 'w-10',
      ticketId: 't-404',
      technician: 'anna',
      startedAt: '2026-10-20T09:00:00+02:00',
      minutes: 10,
    });
    expect(onUnknownTicket).toMatchObject({
      status: 404,
      body: { _tag: 'UnknownTicket', ticketId: 't-404' },
    });
    expect(await get('/nowhere')).toMatchObject({ status: 404, body: { _tag: 'NotFound' } });
  });

  it('answers a bad period with 400', async () => {
    expect(await get('/contracts/c-1/invoices/October')).toMatchObject({
      status: 400,
      body: { _tag: 'BadPeriod' },
    });
  });
});

describe('store selection', () => {
  it('serves every instant as RFC 3339, never as epoch milliseconds', () => {
    expect(replies.length).toBeGreaterThan(20);
    expect(replies.flatMap(([what, body]) => instantProblems(body).map((p) => `${what}: ${p}`))).toEqual([]);
  });

  it('keeps events in memory when DATABASE_URL is not set (and never loads pg)', async () => {
    const store = await storeFromEnv({});
    expect(store).toBeInstanceOf(InMemoryEventStore);
    await store.close();
  });
});

describe('a resent command (a client retry after a timeout)', () => {
  // A server of its own, so that the first sending of each command below is really the first.
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer({ port: 0, store: new InMemoryEventStore() });
  });
  afterAll(async () => {
    await own.close();
  });
  const send = (type: string, eventId: string, occurredAt: string, data: Record<string, unknown>) =>
    requestTo(own, 'POST', '/commands', JSON.stringify({ type, eventId, occurredAt, data }));
  const logWork = (eventId: string, minutes: number) =>
    send('LogWork', eventId, '2026-10-05T10:00:00+02:00', {
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'anna',
      startedAt: '2026-10-05T09:10:00+02:00',
      minutes,
    });

  it('is answered 201 the first time, then 200 with replayed: true and the same events', async () => {
    const publish = () =>
      send('PublishRateCard', 'e-1', '2026-10-01T00:00:00Z', {
        rateCardId: 'rc-web',
        currency: 'EUR',
        billingIncrementMinutes: 15,
      });
    const first = await publish();
    expect(first).toMatchObject({ status: 201, body: { replayed: false }, replayedHeader: null });
    const again = await publish();
    expect(again).toMatchObject({ status: 200, body: { replayed: true }, replayedHeader: 'true' });
    expect(again.body['events']).toEqual(first.body['events']);

    const setup = [
      await send('SetHourlyRate', 'e-2', '2026-10-01T00:00:00Z', {
        rateCardId: 'rc-web',
        effectiveFrom: '2026-10-01T00:00:00+02:00',
        hourlyRate: '97.50',
      }),
      await send('BookMsp', 'e-3', '2026-10-01T08:00:00+02:00', {
        contractId: 'c-1',
        customerId: 'cu-1',
        vmId: 'vm-1',
        sla: 'Standard',
        rateCardId: 'rc-web',
      }),
      await send('OpenTicket', 'e-4', '2026-10-05T09:00:00+02:00', {
        ticketId: 't-1',
        contractId: 'c-1',
        channel: 'helpdesk',
        requester: 'ops@customer.example',
        subject: '502 after deploy',
        service: 'support-request',
      }),
    ];
    expect(setup.map((r) => r.status)).toEqual([201, 201, 201]);

    const logged = await logWork('e-5', 50);
    expect(logged).toMatchObject({ status: 201, body: { replayed: false, events: [{ id: 'e-5' }] } });
    const resent = await logWork('e-5', 50);
    expect(resent).toMatchObject({ status: 200, body: { replayed: true }, replayedHeader: 'true' });
    expect(resent.body['events']).toEqual(logged.body['events']);
    // Recorded once: 50 minutes at 97.50/h in 15-minute increments, billed 60 → 97.50 (not twice).
    expect(await requestTo(own, 'GET', '/contracts/c-1/invoices/2026-10')).toMatchObject({
      status: 200,
      body: { lines: [{ workId: 'w-1', amount: '97.50' }], net: '97.50' },
    });
  });

  it('is a 409 only when it really conflicts: same event id with other content, or a work id used', async () => {
    const changed = await logWork('e-5', 55);
    expect([changed.status, changed.body['_tag'], changed.replayedHeader]).toEqual([
      409,
      'CommandIdConflict',
      null,
    ]);
    const otherId = await logWork('e-6', 50);
    expect([otherId.status, otherId.body['_tag']]).toEqual([409, 'WorkIdAlreadyUsed']);
  });
});
