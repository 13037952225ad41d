/**
 * The invoicing profiles of spec §8: the provider's own (stream `provider`) and each customer's
 * (stream `customer-<customerId>`). Each `…ProfileSet` replaces the whole profile from its
 * `occurredAt` on, in business time, whatever the order of recording: a profile is a
 * {@link Timeline}, and the profile an issued invoice uses is the one in force at its
 * `InvoiceIssued`'s instant among those recorded before it ({@link profileInForce}; the Ledger asks
 * it when it issues). Neither event changes any classification or amount.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeEvent,
  formatInstant,
  type Instant,
  type DomainEvent,
  type EventData,
} from '@msp-billing/events';
import { makeEvent } from '@msp-billing/events/internal';
import type { ProfileCommand } from './commands.js';
import type { Decider } from './decider.js';
import { refusal, type Refusal } from './refusal.js';
import { emptyTimeline, timelineAppend, timelineAt, type Timeline } from './timeline.js';

/** The provider's invoicing profile (BG-4, BG-5, BG-6, BG-16 of an e-invoice). */
export type ProviderProfile = EventData<'ProviderProfileSet'>;
/** A customer's invoicing profile (BG-7, BG-8, BT-10 of an e-invoice; its DATEV account). */
export type CustomerProfile = EventData<'CustomerProfileSet'>;

/** The profiles set on one profile stream, by `occurredAt`. */
export type ProfileState<P> = Timeline<P>;

/**
 * The profile in force at business instant `at` among those recorded so far: the latest by
 * `occurredAt` at or before `at`, two at the same instant going to the later recorded (spec §8).
 * Asked at the moment an `InvoiceIssued` is recorded, with its `occurredAt`, it is the profile that
 * invoice uses forever: a profile recorded later is not in this timeline's version.
 */
export const profileInForce = <P>(profiles: ProfileState<P>, at: number): P | undefined =>
  timelineAt(profiles, at);

/** Fold one event into the provider's profiles; other events leave them unchanged. */
export const evolveProviderProfile = (
  s: ProfileState<ProviderProfile>,
  e: DomainEvent,
): ProfileState<ProviderProfile> =>
  e.type === 'ProviderProfileSet' ? timelineAppend(s, e.occurredAt, e.data) : s;

/** Fold one event into a customer's profiles (the events of its stream); other events leave them unchanged. */
export const evolveCustomerProfile = (
  s: ProfileState<CustomerProfile>,
  e: DomainEvent,
): ProfileState<CustomerProfile> =>
  e.type === 'CustomerProfileSet' ? timelineAppend(s, e.occurredAt, e.data) : s;

/**
 * Why the wire format would refuse the event a command records (a command an embedding program
 * built itself, not decoded from the wire, may carry a bad field): the field and the reason, as the
 * decoder says them — the rules of the profile fields have their one home in the catalog.
 */
const wireRefusal = (
  command: ProfileCommand,
  type: 'ProviderProfileSet' | 'CustomerProfileSet',
): { readonly field: string; readonly reason: string } | undefined => {
  const r = decodeEvent({
    id: command.eventId,
    type,
    occurredAt: formatInstant(command.occurredAt as Instant),
    data: command.data,
  });
  return E.isRight(r) ? undefined : { field: r.left.path.replace(/^data\.?/, ''), reason: r.left.reason };
};

/** Decide a profile command. The state is that of the command's own stream. */
export const decideProfile = (
  command: ProfileCommand,
  _state: ProfileState<ProviderProfile> | ProfileState<CustomerProfile>,
  _inputs: unknown = undefined,
): E.Either<Refusal, DomainEvent[]> => {
  if (command.type === 'SetProviderProfile') {
    const bad = wireRefusal(command, 'ProviderProfileSet');
    if (bad !== undefined) return E.left(refusal({ _tag: 'InvalidProfile', profile: 'provider', ...bad }));
    return E.right([makeEvent('ProviderProfileSet', command.eventId, command.occurredAt, command.data)]);
  }
  const d = command.data;
  const profile = `customer ${d.customerId}`;
  const bad = wireRefusal(command, 'CustomerProfileSet');
  if (bad !== undefined) return E.left(refusal({ _tag: 'InvalidProfile', profile, ...bad }));
  // Reverse charge (BG-23 category AE) names the customer's VAT id on every invoice (spec §8).
  if (d.reverseCharge && d.vatId === undefined)
    return E.left(refusal({ _tag: 'ReverseChargeWithoutVatId', customerId: d.customerId }));
  return E.right([makeEvent('CustomerProfileSet', command.eventId, command.occurredAt, d)]);
};

/** The provider-profile decider (stream `provider`; it reads no other aggregate). */
export const providerProfileDecider: Decider<ProfileCommand, ProfileState<ProviderProfile>, unknown> = {
  decide: decideProfile,
  evolve: evolveProviderProfile,
  initialState: emptyTimeline(),
};

/** The customer-profile decider (stream `customer-<customerId>`; it reads no other aggregate). */
export const customerProfileDecider: Decider<ProfileCommand, ProfileState<CustomerProfile>, unknown> = {
  decide: decideProfile,
  evolve: evolveCustomerProfile,
  initialState: emptyTimeline(),
};
