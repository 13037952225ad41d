/**
 * The RateCard decider: publishing a rate card and setting its hourly rates (3: "at the hourly rate
 * in force at the time"). A rate takes effect at its `effectiveFrom`, in business time, whatever the
 * order in which rates are recorded (spec §5); two with the same `effectiveFrom`: the later recorded
 * wins. Invoice issue is a contract command (`IssueInvoice`, on the contract's stream).
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { type DomainEvent, type Money } from '@msp-billing/events';
import { makeEvent } from '@msp-billing/events/internal';
import type { RateCardCommand } from './commands.js';
import type { Decider } from './decider.js';
import { refusal, type Refusal } from './refusal.js';
import { emptyTimeline, timelineAppend, timelineChangeAt, type Timeline } from './timeline.js';

/** A rate card's facts. */
export interface RateCardFacts {
  readonly rateCardId: string;
  readonly currency: string;
  readonly billingIncrementMinutes: number;
  /** Hourly rates by `effectiveFrom`. */
  readonly rates: Timeline<Money>;
}

/** The state of the rate-card decider: undefined until published. */
export type RateCardState = RateCardFacts | undefined;

/** The hourly rate in force at t and since when, or undefined when none is (rule 17). */
export const rateAt = (
  card: RateCardFacts,
  t: number,
): { readonly hourlyRate: Money; readonly effectiveFrom: number } | undefined => {
  const change = timelineChangeAt(card.rates, t);
  return change === undefined ? undefined : { hourlyRate: change.value, effectiveFrom: change.at };
};

/** Fold one event into a rate card's facts; other events leave it unchanged. */
export const evolveRateCard = (s: RateCardState, e: DomainEvent): RateCardState => {
  if (e.type === 'RateCardPublished')
    return s !== undefined
      ? s
      : {
          rateCardId: e.data.rateCardId,
          currency: e.data.currency,
          billingIncrementMinutes: e.data.billingIncrementMinutes,
          rates: emptyTimeline(),
        };
  if (e.type === 'HourlyRateSet' && s !== undefined && e.data.rateCardId === s.rateCardId)
    return { ...s, rates: timelineAppend(s.rates, e.data.effectiveFrom, e.data.hourlyRate) };
  return s;
};

/** Decide a rate-card command. */
export const decideRateCard = (
  command: RateCardCommand,
  state: RateCardState,
  _inputs: unknown = undefined,
): Either<Refusal, DomainEvent[]> => {
  const rateCardId = command.data.rateCardId;
  if (command.type === 'PublishRateCard') {
    if (state !== undefined) return left(refusal({ _tag: 'RateCardAlreadyPublished', rateCardId }));
    return right([makeEvent('RateCardPublished', command.eventId, command.occurredAt, command.data)]);
  }
  if (state === undefined || state.rateCardId !== rateCardId)
    return left(refusal({ _tag: 'UnknownRateCard', rateCardId }));
  return right([makeEvent('HourlyRateSet', command.eventId, command.occurredAt, command.data)]);
};

/** The RateCard decider (it reads no other aggregate). */
export const rateCardDecider: Decider<RateCardCommand, RateCardState, unknown> = {
  decide: decideRateCard,
  evolve: evolveRateCard,
  initialState: undefined,
};
