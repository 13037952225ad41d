/**
 * One writer process of the cross-stream races, run as `node --import tsx uniqueIdChild.ts <race>
 * <args…>` with DATABASE_URL set. `vm <contractId> <vmId> <rateCardId>` books an MSP, `work
 * <ticketId> <contractId> <workId>` logs work, `alert <contractId> <alertId>` raises an alert, each
 * through the real decider and the retrying command handler. It loads the decider's inputs (the
 * registry folded from the store, and the contract's facts) first, prints `ready`, waits for a line
 * on standard input (so that racing writers decide on the same facts), and prints the outcome:
 * `accepted` or the refusal's `_tag`.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import {
  command,
  contractDecider,
  emptyRegistry,
  evolveRegistry,
  ticketDecider,
  type ContractInputs,
  type TicketInputs,
} from '@msp-billing/contracts';
import { contractStream, ticketStream } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import { aggregateStream, commandHandler, readAllEvents } from '@msp-billing/store';
import { PostgresEventStore } from '../../src/index.js';

const main = async (): Promise<void> => {
  const [race = '', a = '', b = '', c = ''] = process.argv.slice(2);
  const store = await PostgresEventStore.create({
    connectionString: process.env.DATABASE_URL ?? '',
    maxConnections: 2,
  });
  try {
    let registry = emptyRegistry();
    for await (const r of readAllEvents(store)) registry = evolveRegistry(registry, r.event);
    const catalog = DEFAULT_SLA_CATALOG;
    const eventId = `e-${randomUUID()}`;
    let run: () => Promise<{ _tag: 'Left'; left: { _tag: string } } | { _tag: 'Right' }>;
    if (race === 'vm') {
      const inputs: ContractInputs = { registry, catalog };
      const handle = commandHandler(store, contractDecider);
      const booking = command({
        type: 'BookMsp',
        eventId,
        occurredAt: '2026-03-02T08:00:00Z',
        data: { contractId: a, customerId: 'customer-race', vmId: b, sla: 'Standard', rateCardId: c },
      });
      run = () => handle(contractStream(a), booking, () => inputs);
    } else if (race === 'work') {
      const contract = (await aggregateStream(store, contractStream(b), contractDecider.evolve, undefined))
        .state;
      const inputs: TicketInputs = { contract, registry, catalog };
      const handle = commandHandler(store, ticketDecider);
      const work = command({
        type: 'LogWork',
        eventId,
        occurredAt: '2026-03-03T10:00:00Z',
        data: {
          workId: c,
          ticketId: a,
          technician: 'tech-1',
          startedAt: '2026-03-03T09:00:00Z',
          minutes: 30,
        },
      });
      run = () => handle(ticketStream(a), work, () => inputs);
    } else {
      const inputs: ContractInputs = { registry, catalog };
      const handle = commandHandler(store, contractDecider);
      const alert = command({
        type: 'RaiseAlert',
        eventId,
        occurredAt: '2026-03-03T10:00:00Z',
        data: { alertId: b, contractId: a, metric: 'ram' },
      });
      run = () => handle(contractStream(a), alert, () => inputs);
    }
    process.stdout.write('ready\n');
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    lines.close();
    const outcome = await run();
    process.stdout.write(`${outcome._tag === 'Right' ? 'accepted' : outcome.left._tag}\n`);
  } finally {
    await store.close();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
