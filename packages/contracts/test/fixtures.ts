/**
 * Test helpers: loosely typed builders of events and commands (the wire brands exist to stop
 * unchecked input, not test literals), and `given(events).when(command).then(events | refusal tag)`,
 * which folds the given log the way a service would — the registry over every event, each
 * aggregate's state over its own stream — and routes the command to its decider.
 */
import { expect } from 'vitest';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import {
  contractStream,
  rateCardStream,
  ticketStream,
  type DomainEvent,
  type EventData,
  type EventType,
} from '@msp-billing/events';
import { PROVIDER_STREAM, customerStream, makeEvent, streamOf } from '@msp-billing/events/internal';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import {
  customerProfileDecider,
  isContractCommand,
  isProfileCommand,
  isRateCardCommand,
  providerProfileDecider,
  contractDecider,
  contractOfAlert,
  contractOfTicket,
  emptyRegistry,
  evolveRegistry,
  rateCardDecider,
  registryResolver,
  ticketDecider,
  ticketOfWork,
  type Command,
  type RefusalTag,
  type Registry,
  type TicketCommand,
} from '../src/internal.js';

/** A type with its brands and literal unions widened, for writing test data. */
export type Loose<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? readonly Loose<U>[]
        : T extends object
          ? { [K in keyof T]: Loose<T[K]> }
          : T;

/** Epoch ms of an RFC 3339 timestamp. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad timestamp ${iso}`);
  return ms;
};

/** An event of type `type` (data taken as valid). */
export const ev = <T extends EventType>(type: T, id: string, occurredAt: string, data: Loose<EventData<T>>) =>
  makeEvent(type, id, at(occurredAt), data as unknown as EventData<T>) as DomainEvent;

/** A command of type `type`. */
export const cmd = <K extends Command['type']>(
  type: K,
  eventId: string,
  occurredAt: string,
  data: Loose<Extract<Command, { type: K }>['data']>,
): Extract<Command, { type: K }> =>
  ({ type, eventId, occurredAt: at(occurredAt), data }) as unknown as Extract<Command, { type: K }>;

// ---------------------------------------------------------------------------------------------
// A small world used by most specifications. Berlin is on CEST (UTC+2) in October 2026 until the 25th.

export const RATE_CARD = ev('RateCardPublished', 'e-rc', '2026-09-01T00:00:00Z', {
  rateCardId: 'rc-1',
  currency: 'EUR',
  billingIncrementMinutes: 15,
});

/** `MSPBooked` of contract `contractId` on `vmId` with `sla`, on 2026-10-01 00:00Z. */
export const booked = (
  contractId = 'c-1',
  vmId = 'vm-1',
  sla = 'Basic',
  occurredAt = '2026-10-01T00:00:00Z',
) =>
  ev('MSPBooked', `e-book-${contractId}`, occurredAt, {
    contractId,
    customerId: 'cu-1',
    vmId,
    sla,
    rateCardId: 'rc-1',
    timeZone: 'Europe/Berlin',
    vatRatePercent: '19',
  });

/** The contract c-1 (Basic, vm-1) with its rate card. */
export const CONTRACT = [RATE_CARD, booked()];

// ---------------------------------------------------------------------------------------------
// given / when / then

const registryOf = (events: readonly DomainEvent[]): Registry =>
  events.reduce(evolveRegistry, emptyRegistry());

const streamEvents = (events: readonly DomainEvent[], registry: Registry, stream: string): DomainEvent[] => {
  const resolver = registryResolver(registry);
  return events.filter((e) => streamOf(e, resolver) === stream);
};

const contractStateOf = (
  events: readonly DomainEvent[],
  registry: Registry,
  contractId: string | undefined,
) =>
  contractId === undefined
    ? undefined
    : streamEvents(events, registry, contractStream(contractId)).reduce(
        contractDecider.evolve,
        contractDecider.initialState,
      );

/** Decide `command` after the log `events`, as a service would. */
export const decideAfter = (events: readonly DomainEvent[], command: Command) => {
  const registry = registryOf(events);
  const catalog = DEFAULT_SLA_CATALOG;
  if (isRateCardCommand(command)) {
    const state = streamEvents(events, registry, rateCardStream(command.data.rateCardId)).reduce(
      rateCardDecider.evolve,
      rateCardDecider.initialState,
    );
    return rateCardDecider.decide(command, state, undefined);
  }
  if (isContractCommand(command)) {
    const contractId =
      command.type === 'AcknowledgeAlert'
        ? contractOfAlert(registry, command.data.alertId)
        : command.data.contractId;
    return contractDecider.decide(command, contractStateOf(events, registry, contractId), {
      registry,
      catalog,
    });
  }
  if (isProfileCommand(command)) {
    const stream =
      command.type === 'SetProviderProfile' ? PROVIDER_STREAM : customerStream(command.data.customerId);
    const streamed = streamEvents(events, registry, stream);
    return command.type === 'SetProviderProfile'
      ? providerProfileDecider.decide(
          command,
          streamed.reduce(providerProfileDecider.evolve, providerProfileDecider.initialState),
          undefined,
        )
      : customerProfileDecider.decide(
          command,
          streamed.reduce(customerProfileDecider.evolve, customerProfileDecider.initialState),
          undefined,
        );
  }
  const tc: TicketCommand = command;
  const ticketId =
    tc.type === 'CorrectWorkLog' || tc.type === 'VoidWorkLog'
      ? ticketOfWork(registry, tc.data.workId)
      : tc.data.ticketId;
  const ticket =
    ticketId === undefined
      ? undefined
      : streamEvents(events, registry, ticketStream(ticketId)).reduce(
          ticketDecider.evolve,
          ticketDecider.initialState,
        );
  const contractId =
    tc.type === 'OpenTicket' || tc.type === 'RequestUpdate' || tc.type === 'TakeSafetyMeasure'
      ? tc.data.contractId
      : ticketId === undefined
        ? undefined
        : contractOfTicket(registry, ticketId);
  return ticketDecider.decide(tc, ticket, {
    contract: contractStateOf(events, registry, contractId),
    registry,
    catalog,
  });
};

/** `given(events).when(command).then(expected events | refusal tag)`. */
export const given = (...events: DomainEvent[]) => ({
  when: (command: Command) => ({
    // A specification's `then`, never awaited.
    // oxlint-disable-next-line unicorn/no-thenable
    then: (expected: readonly DomainEvent[] | RefusalTag): void => {
      const result = decideAfter(events, command);
      if (typeof expected === 'string') {
        expect(isLeft(result) ? result.left._tag : 'accepted').toBe(expected);
        // Every refusal carries a readable message.
        expect(isLeft(result) ? result.left.message.length : 0).toBeGreaterThan(10);
      } else {
        expect(isRight(result) ? result.right : result.left).toEqual(expected);
      }
    },
  }),
});
