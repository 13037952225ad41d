/**
 * Concurrency on a real PostgreSQL: racing writers on one stream (each revision written once,
 * losers get the typed conflict, the retrying command handler applies everything), and the
 * invoice numbers (two processes issuing one number on two contracts: exactly one wins), the other
 * rules that span streams (two processes booking one VM, logging one work id on two tickets,
 * raising one alert id on two contracts: one wins, the other gets the decider's refusal), and the
 * sequence-gap problem: writers commit overlapping transactions of random length while a catch-up
 * reader follows, and the reader must see every event exactly once, in stream order.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandHandler,
  isWrongExpectedRevision,
  type Decider,
  type RecordedEvent,
} from '@msp-billing/store';
import {
  contractStream,
  decodeEvent,
  rateCardStream,
  ticketStream,
  type DomainEvent,
} from '@msp-billing/events';
import { contractTestEvent, takeFromSubscription, uniqueStream } from '@msp-billing/store/contract-suite';
import { appendWithClient, PostgresEventStore } from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const invoiceChild = fileURLToPath(new URL('./support/invoiceChild.ts', import.meta.url));
const uniqueIdChild = fileURLToPath(new URL('./support/uniqueIdChild.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Start one writer process; resolves its stdout lines once it exits. */
const startInvoiceWriter = (url: string, args: readonly string[], child = invoiceChild) => {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', () => {
      if (out.includes('ready\n')) resolve();
    });
    proc.on('exit', () => reject(new Error(`writer exited before it was ready: ${err}`)));
  });
  const exited = new Promise<{ code: number | null; lines: string[]; stderr: string }>((resolve) =>
    proc.on('exit', (code) => resolve({ code, lines: out.split('\n').filter((l) => l !== ''), stderr: err })),
  );
  return { ready, exited, go: () => proc.stdin.end('go\n') };
};

/** A valid event for the races' setup. */
const fact = (type: string, occurredAt: string, data: object): DomainEvent => {
  const decoded = decodeEvent({ id: `setup-${randomUUID()}`, type, occurredAt, data });
  if (decoded._tag === 'Left') throw new Error(`bad setup event: ${decoded.left.message}`);
  return decoded.right;
};

describe('PostgreSQL concurrency', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.create({
      connectionString: await testDatabaseUrl(),
      maxConnections: 20,
      pollIntervalMs: 10,
    });
  });
  afterAll(async () => {
    await store.close();
  });

  it('two processes issuing one invoice number on two contracts: exactly one wins', async () => {
    const url = await testDatabaseUrl();
    const n = `RE-${randomUUID()}`;
    const [a, b] = [uniqueStream('inv-proc-a'), uniqueStream('inv-proc-b')];
    const writers = [a, b].map((s) => startInvoiceWriter(url, [s, `${s}-i`, n]));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const results = await Promise.all(writers.map((w) => w.exited));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect(results.map((r) => r.lines.at(-1)).toSorted()).toEqual(['InvoiceNumberTaken', 'accepted']);
    const stored = [...(await store.readStream(a)), ...(await store.readStream(b))];
    expect(stored.map((r) => r.event)).toEqual([
      expect.objectContaining({ type: 'InvoiceIssued', data: expect.objectContaining({ invoiceNumber: n }) }),
    ]);
  }, 60_000);

  describe('rules that span streams, two processes racing through the command handler', () => {
    /** Start two writer processes with `args`, let them go together, and collect their outcomes. */
    const race = async (args: readonly (readonly string[])[]) => {
      const url = await testDatabaseUrl();
      const writers = args.map((a) => startInvoiceWriter(url, a, uniqueIdChild));
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.go();
      const results = await Promise.all(writers.map((w) => w.exited));
      expect(results.map((r) => [r.code, r.stderr])).toEqual(args.map(() => [0, '']));
      return results.map((r) => r.lines.at(-1)).toSorted();
    };
    const tag = () => randomUUID().slice(0, 8);
    const bookedContract = async (rateCardId: string) => {
      const contractId = `C-${tag()}`;
      await store.appendToStream(
        contractStream(contractId),
        [
          fact('MSPBooked', '2026-03-01T08:00:00Z', {
            contractId,
            customerId: 'customer-race',
            vmId: `vm-${tag()}`,
            sla: 'Standard',
            rateCardId,
          }),
        ],
        'no_stream',
      );
      return contractId;
    };
    let rateCardId = '';
    beforeAll(async () => {
      rateCardId = `RC-${tag()}`;
      await store.appendToStream(
        rateCardStream(rateCardId),
        [
          fact('RateCardPublished', '2026-01-01T00:00:00Z', {
            rateCardId,
            currency: 'EUR',
            billingIncrementMinutes: 15,
          }),
        ],
        'no_stream',
      );
    });

    it('two processes booking one VM for two contracts: one MSP is booked, the other gets MspAlreadyBookedForVm', async () => {
      const vm = `vm-${tag()}`;
      const [a, b] = [`C-${tag()}`, `C-${tag()}`];
      expect(
        await race([
          ['vm', a, vm, rateCardId],
          ['vm', b, vm, rateCardId],
        ]),
      ).toEqual(['MspAlreadyBookedForVm', 'accepted']);
      const stored = [
        ...(await store.readStream(contractStream(a))),
        ...(await store.readStream(contractStream(b))),
      ];
      expect(
        stored.map((r) => [r.event.type, r.event.type === 'MSPBooked' ? r.event.data.vmId : '']),
      ).toEqual([['MSPBooked', vm]]);
    }, 60_000);

    it('two processes logging one work id on two tickets: one entry is logged, the other gets WorkIdAlreadyUsed', async () => {
      const contractId = await bookedContract(rateCardId);
      const tickets = [`T-${tag()}`, `T-${tag()}`];
      for (const ticketId of tickets)
        await store.appendToStream(
          ticketStream(ticketId),
          [
            fact('TicketOpened', '2026-03-03T08:00:00Z', {
              ticketId,
              contractId,
              channel: 'email',
              requester: 'ops@customer.example',
              subject: 'disk',
              service: 'incident',
            }),
          ],
          'no_stream',
        );
      const workId = `W-${tag()}`;
      expect(await race(tickets.map((t) => ['work', t, contractId, workId]))).toEqual([
        'WorkIdAlreadyUsed',
        'accepted',
      ]);
      const logged = (await Promise.all(tickets.map((t) => store.readStream(ticketStream(t)))))
        .flat()
        .filter((r) => r.event.type === 'WorkLogged');
      expect(logged).toHaveLength(1);
    }, 60_000);

    it('two processes raising one alert id on two contracts: one alert is raised, the other gets AlertIdAlreadyUsed', async () => {
      const contracts = [await bookedContract(rateCardId), await bookedContract(rateCardId)];
      const alertId = `AL-${tag()}`;
      expect(await race(contracts.map((c) => ['alert', c, alertId]))).toEqual([
        'AlertIdAlreadyUsed',
        'accepted',
      ]);
      const raised = (await Promise.all(contracts.map((c) => store.readStream(contractStream(c)))))
        .flat()
        .filter((r) => r.event.type === 'AlertRaised');
      expect(raised).toHaveLength(1);
    }, 60_000);
  });

  it('8 writers at the same exact revision: one wins, 7 get WrongExpectedRevision', async () => {
    const s = uniqueStream('race8');
    await store.appendToStream(s, [contractTestEvent(`${s}-0`, s)], 'no_stream');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, w) => store.appendToStream(s, [contractTestEvent(`${s}-w${w}`, s)], 0n)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(
      Array.from({ length: 7 }, () =>
        expect.objectContaining({ _tag: 'WrongExpectedRevision', stream: s, actual: 1n }),
      ),
    );
  });

  it('8 writers racing with exact revisions write every revision exactly once', async () => {
    const s = uniqueStream('race-loop');
    const perWriter = 10;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let n = 0; n < perWriter;) {
          const last = (await store.readStream(s)).at(-1)?.revision;
          try {
            await store.appendToStream(s, [contractTestEvent(`${s}-${w}-${n}`, s)], last ?? 'no_stream');
            n += 1;
          } catch (err) {
            if (!isWrongExpectedRevision(err)) throw err;
            conflicts += 1;
          }
        }
      }),
    );
    const events = await store.readStream(s);
    expect(events.map((r) => r.revision)).toEqual(Array.from({ length: 80 }, (_, i) => BigInt(i)));
    expect(new Set(events.map((r) => r.event.id)).size).toBe(80);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('the retrying command handler ends with all commands of 8 racing writers applied', async () => {
    interface Command {
      readonly id: string;
    }
    const decider: Decider<Command, number, void, never> = {
      decide: (c) => ({ _tag: 'Right', right: [contractTestEvent(c.id, 'handler')] }),
      evolve: (n) => n + 1,
      initialState: 0,
    };
    const s = uniqueStream('handler');
    const handle = commandHandler(store, decider, { maxRetries: 10 });
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const mine = [];
        for (let n = 0; n < 3; n++) mine.push(await handle(s, { id: `${s}-${w}-${n}` }));
        return mine;
      }),
    );
    expect(results.flat().filter((r) => r._tag === 'Left')).toEqual([]);
    const events = await store.readStream(s);
    expect(events).toHaveLength(24);
    expect(events.map((r) => r.revision)).toEqual(Array.from({ length: 24 }, (_, i) => BigInt(i)));
  });

  it('appendWithClient refuses a transaction whose snapshot predates its lock', async () => {
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const s = uniqueStream('rr');
      await expect(appendWithClient(client, s, [contractTestEvent(`${s}-1`, s)], 'any')).rejects.toThrow(
        /READ COMMITTED/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('the gap scenario, step by step: a later append waits for an open one, so positions follow commit order', async () => {
    const a = uniqueStream('gap-a');
    const b = uniqueStream('gap-b');
    const from = (
      await store.appendToStream(uniqueStream('gap-start'), [contractTestEvent(`${a}-m`, 'm')], 'any')
    ).position;
    const slow = await store.pool.connect();
    try {
      // Transaction A appends and stays open: with a plain sequence it would hold position p while
      // B took p + 1 and committed first, and a reader checkpointing p + 1 would never see p.
      await slow.query('BEGIN');
      const first = await appendWithClient(slow, a, [contractTestEvent(`${a}-1`, a)], 'no_stream');
      let bDone = false;
      const second = store.appendToStream(b, [contractTestEvent(`${b}-1`, b)], 'no_stream').then((r) => {
        bDone = true;
        return r;
      });
      await sleep(300);
      expect(bDone).toBe(false); // B waits for A's lock instead of overtaking it
      expect(
        (await store.readAll({ fromPosition: from })).filter((r) => r.stream === a || r.stream === b),
      ).toEqual([]);
      await slow.query('COMMIT');
      const after = await second;
      expect(after.position).toBeGreaterThan(first.position);
      const seen = (await store.readAll({ fromPosition: from })).filter(
        (r) => r.stream === a || r.stream === b,
      );
      expect(seen.map((r) => [r.stream, r.position])).toEqual([
        [a, first.position],
        [b, after.position],
      ]);
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      slow.release();
    }
  });

  it('a catch-up reader never skips an event committed late by an overlapping transaction', async () => {
    const writers = 8;
    const txPerWriter = 12;
    const perTx = 2;
    const tag = randomUUID();
    const streams = Array.from({ length: writers }, (_, w) => `contract-gap-${tag}-${w}`);
    const mine = new Set(streams);
    const from = (
      await store.appendToStream(uniqueStream('gap-marker'), [contractTestEvent(`gap-${tag}`, 'm')], 'any')
    ).position;
    const total = writers * txPerWriter * perTx;
    const reading = takeFromSubscription(
      (o) => store.subscribeToAll(o),
      { fromPosition: from, batchSize: 7 },
      (r) => mine.has(r.stream),
      total,
      60_000,
    );
    await Promise.all(
      streams.map(async (s, w) => {
        for (let t = 0; t < txPerWriter; t++) {
          const client = await store.pool.connect();
          try {
            await client.query('BEGIN');
            // Random work before and after the append, so transactions overlap and commit out of
            // the order in which they started; some sleep inside the server, some in the client.
            if (Math.random() < 0.5) await client.query('SELECT pg_sleep($1)', [Math.random() * 0.03]);
            else await sleep(Math.random() * 30);
            const events = Array.from({ length: perTx }, (_, k) =>
              contractTestEvent(`${s}-${t}-${k}`, `w${w}`),
            );
            await appendWithClient(client, s, events, 'any');
            await sleep(Math.random() * 8);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      }),
    );
    const seen: RecordedEvent[] = await reading;
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((r) => r.event.id)).size).toBe(total);
    for (const s of streams)
      expect(seen.filter((r) => r.stream === s).map((r) => r.revision)).toEqual(
        Array.from({ length: txPerWriter * perTx }, (_, i) => BigInt(i)),
      );
    // Nothing can have been committed "behind" the reader: reading again gives the same sequence.
    const again: RecordedEvent[] = [];
    for (let p = from; again.length < total;) {
      const page = await store.readAll({ fromPosition: p, batchSize: 100 });
      if (page.length === 0) break;
      again.push(...page.filter((r) => mine.has(r.stream)));
      p = (page.at(-1) as RecordedEvent).position;
    }
    expect(again.map((r) => r.position)).toEqual(seen.map((r) => r.position));
  });
});
