/**
 * The embedding service on PostgreSQL, as it runs when DATABASE_URL is set: commands go through the
 * same store-backed command handler into a real database (a fresh one per run on the test server),
 * and a restarted service answers from what it finds there — nothing lives only in memory.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '@msp-billing/events';
import { loadStoreLedger, PostgresEventStore, saveLedgerSnapshot } from '@msp-billing/store-postgres';
import {
  testDatabaseUrl,
  type PostgresTestContext,
} from '../../../packages/store-postgres/test/support/database.js';
import { SERVICE_SNAPSHOTS } from '../src/billingService.js';
import { startServer, storeFromEnv, type RunningServer } from '../src/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

/** `base` naming another database (string-level: unix-socket URLs have an empty host). */
const withDatabase = (base: string, name: string): string => {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(base);
  if (m === null) throw new Error(`not a PostgreSQL URL: ${base}`);
  return `${m[1]}/${name}${m[2]}`;
};

const database = `msp_example_${randomUUID().replace(/-/g, '')}`;
let admin: PostgresEventStore;
let url: string;

beforeAll(async () => {
  const base = await testDatabaseUrl();
  admin = await PostgresEventStore.create({ connectionString: base, migrate: false, maxConnections: 1 });
  await admin.pool.query(`CREATE DATABASE ${database}`);
  url = withDatabase(base, database);
});
afterAll(async () => {
  await admin.pool.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.close();
});

const post = async (
  server: RunningServer,
  type: string,
  eventId: string,
  occurredAt: string,
  data: object,
) => {
  const res = await fetch(`${server.url}/commands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, eventId, occurredAt, data }),
  });
  return res.status;
};
const draft = async (server: RunningServer): Promise<Record<string, unknown>> =>
  (await (await fetch(`${server.url}/contracts/c-pg/invoices/2026-10`)).json()) as Record<string, unknown>;

describe('embedding service with DATABASE_URL (PostgreSQL)', () => {
  it('stores commands in PostgreSQL and answers the same after a restart', async () => {
    const first = await startServer({ port: 0, store: await storeFromEnv({ DATABASE_URL: url }) });
    const statuses = [
      await post(first, 'PublishRateCard', 'p-1', '2026-01-01T00:00:00Z', {
        rateCardId: 'rc-pg',
        currency: 'EUR',
        billingIncrementMinutes: 15,
      }),
      await post(first, 'SetHourlyRate', 'p-2', '2026-01-01T00:00:00Z', {
        rateCardId: 'rc-pg',
        effectiveFrom: '2026-01-01T00:00:00Z',
        hourlyRate: '90.00',
      }),
      await post(first, 'BookMsp', 'p-3', '2026-10-01T08:00:00+02:00', {
        contractId: 'c-pg',
        customerId: 'acme',
        vmId: 'vm-pg',
        sla: 'Standard',
        rateCardId: 'rc-pg',
      }),
      await post(first, 'OpenTicket', 'p-4', '2026-10-05T09:00:00+02:00', {
        ticketId: 't-pg',
        contractId: 'c-pg',
        channel: 'helpdesk',
        requester: 'ops@acme.example',
        subject: 'DNS zone for the new shop',
        service: 'support-request',
      }),
      await post(first, 'LogWork', 'p-5', '2026-10-05T11:00:00+02:00', {
        workId: 'w-pg',
        ticketId: 't-pg',
        technician: 'anna',
        startedAt: '2026-10-05T10:00:00+02:00',
        minutes: 40,
      }),
    ];
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    // 40 min → 45 billed × 90.00 / 60 = 67.50; VAT 19 % = 12.825 → 12.83; gross 80.33.
    const before = await draft(first);
    expect([before['net'], before['vat'], before['gross']]).toEqual(['67.50', '12.83', '80.33']);
    await first.close();

    // The events are in the database, one per accepted command.
    const reader = await PostgresEventStore.create({
      connectionString: url,
      migrate: false,
      maxConnections: 1,
    });
    const page = await reader.readAll({ batchSize: 100 });
    expect(page.map((r) => r.event.id)).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    await reader.close();

    const second = await startServer({ port: 0, store: await storeFromEnv({ DATABASE_URL: url }) });
    expect(await draft(second)).toEqual(before);
    // A command resent to the restarted service is recognised as already applied: 200, not 201.
    expect(
      await post(second, 'LogWork', 'p-5', '2026-10-05T11:00:00+02:00', {
        workId: 'w-pg',
        ticketId: 't-pg',
        technician: 'anna',
        startedAt: '2026-10-05T10:00:00+02:00',
        minutes: 40,
      }),
    ).toBe(200);
    expect(await draft(second)).toEqual(before);
    await second.close();
  });

  it('restarts from its snapshot, written every N events and on close: the same answers as a full replay', async () => {
    const store = (await storeFromEnv({ DATABASE_URL: url })) as PostgresEventStore;
    const latest = async () =>
      (
        await store.pool.query<{ position: string }>(
          `SELECT position::text AS position FROM msp_snapshots WHERE partition = 'embedding-service'
            ORDER BY id DESC LIMIT 1`,
        )
      ).rows[0]?.position;
    // Every 2 applied events: the start reads the first test's 5 events (from its snapshot at 5:
    // nothing after it), so no new snapshot is due yet.
    const first = await startServer({ port: 0, store, snapshotEvery: 2 });
    expect(await latest()).toBe('5');
    const work = (eventId: string, workId: string, day: string, minutes: number) =>
      post(first, 'LogWork', eventId, `2026-10-${day}T11:00:00+02:00`, {
        workId,
        ticketId: 't-pg',
        technician: 'anna',
        startedAt: `2026-10-${day}T10:00:00+02:00`,
        minutes,
      });
    expect([await work('p-6', 'w-pg-6', '06', 20), await work('p-7', 'w-pg-7', '07', 25)]).toEqual([
      201, 201,
    ]);
    // The command after the second new event found 2 applied since the snapshot: one was written.
    expect(await work('p-8', 'w-pg-8', '08', 5)).toBe(201);
    expect(await latest()).toBe('7');
    const before = await draft(first);
    await first.close();
    expect(await latest()).toBe('8');

    // Another writer appends after the snapshot: a restart reads the snapshot and that event.
    const late = decodeEvent({
      id: 'p-9',
      type: 'WorkLogged',
      occurredAt: '2026-10-09T11:00:00+02:00',
      data: {
        workId: 'w-pg-9',
        ticketId: 't-pg',
        technician: 'anna',
        startedAt: '2026-10-09T10:00:00+02:00',
        minutes: 10,
      },
    });
    if (late._tag === 'Left') throw new Error(late.left.message);
    await store.appendToStream('ticket-t-pg', [late.right], 'any');
    const fromSnapshot = await startServer({ port: 0, store });
    const replayed = await startServer({ port: 0, store, snapshotEvery: 0 });
    const answer = await draft(fromSnapshot);
    expect(answer).toEqual(await draft(replayed));
    expect(answer['net']).not.toEqual(before['net']);
    // Commands read the Registry as the snapshot kept it, with the late event folded in: a work id
    // of the snapshot's and the late one are taken, and a void routes through the snapshot's ids.
    const logAgain = (eventId: string, workId: string) =>
      post(fromSnapshot, 'LogWork', eventId, '2026-10-10T11:00:00+02:00', {
        workId,
        ticketId: 't-pg',
        technician: 'anna',
        startedAt: '2026-10-10T10:00:00+02:00',
        minutes: 5,
      });
    expect(await logAgain('p-10', 'w-pg-6')).toBe(409);
    expect(await logAgain('p-11', 'w-pg-9')).toBe(409);
    const voidWork = (eventId: string, workId: string) =>
      post(fromSnapshot, 'VoidWorkLog', eventId, '2026-10-10T12:00:00+02:00', { workId, reason: 'twice' });
    expect(await voidWork('p-12', 'w-pg-7')).toBe(201);
    expect(await voidWork('p-13', 'w-pg-7')).toBe(409);
    expect(await voidWork('p-14', 'w-pg-99')).toBe(404);
    await fromSnapshot.close();
    await replayed.close();
    await store.close();
  });

  it('rebuilds a Registry its snapshot cannot read from the log, and decides as before', async () => {
    const store = (await storeFromEnv({ DATABASE_URL: url })) as PostgresEventStore;
    const whole = await loadStoreLedger(store, { useSnapshot: false });
    await saveLedgerSnapshot(
      store,
      whole.ledger,
      whole.position,
      whole.counts,
      { registry: '{"not a registry"' },
      SERVICE_SNAPSHOTS,
    );
    const server = await startServer({ port: 0, store });
    // The first test's work id is taken; w-pg-8 (logged on t-pg) is found and voided, once.
    const logTaken = await post(server, 'LogWork', 'p-20', '2026-10-11T11:00:00+02:00', {
      workId: 'w-pg-6',
      ticketId: 't-pg',
      technician: 'anna',
      startedAt: '2026-10-11T10:00:00+02:00',
      minutes: 5,
    });
    expect(logTaken).toBe(409);
    const voidWork = (eventId: string) =>
      post(server, 'VoidWorkLog', eventId, '2026-10-11T12:00:00+02:00', {
        workId: 'w-pg-8',
        reason: 'twice',
      });
    expect([await voidWork('p-21'), await voidWork('p-22')]).toEqual([201, 409]);
    await server.close();
    await store.close();
  });
});
