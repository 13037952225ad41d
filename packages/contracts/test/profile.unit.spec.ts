/**
 * The invoicing profiles (spec §8): setting them (deciders and their refusals), their streams, and
 * which profile is in force at an instant — latest by occurredAt at or before it, ties to the later
 * recorded, whatever the order of recording.
 */
// Some assertions of these specifications live in `then` (fixtures.ts), which the rule cannot see.
/* oxlint-disable vitest/expect-expect */
import { describe, expect, it } from 'vitest';
import { isLeft } from 'fp-ts/lib/Either.js';
import { streamOf, type DomainEvent } from '@msp-billing/events';
import {
  customerProfileDecider,
  decideProfile,
  evolveCustomerProfile,
  evolveProviderProfile,
  emptyTimeline,
  profileInForce,
  providerProfileDecider,
  registryResolver,
  emptyRegistry,
  type CustomerProfile,
  type ProviderProfile,
} from '../src/internal.js';
import { exampleCustomerProfile, exampleProviderProfile } from '../../testing/src/profiles.js';
import { at, cmd, ev, given } from './fixtures.js';

const PROVIDER = exampleProviderProfile();

const CUSTOMER = { ...exampleCustomerProfile(), reverseCharge: false };

describe('setting the provider profile', () => {
  it('records ProviderProfileSet with the command data', () => {
    given()
      .when(cmd('SetProviderProfile', 'e-p1', '2026-09-01T00:00:00Z', PROVIDER))
      .then([ev('ProviderProfileSet', 'e-p1', '2026-09-01T00:00:00Z', PROVIDER)]);
  });

  it('refuses a field the wire format refuses, naming it (a command built in code)', () => {
    const r = decideProfile(
      cmd('SetProviderProfile', 'e-p1', '2026-09-01T00:00:00Z', {
        ...PROVIDER,
        iban: 'DE88370400440532013000',
      }),
      emptyTimeline<ProviderProfile>(),
    );
    expect(isLeft(r) && r.left).toMatchObject({
      _tag: 'InvalidProfile',
      profile: 'provider',
      field: 'iban',
      message:
        'provider profile: iban: IBAN check digits are wrong (ISO 13616 mod 97) (got "DE88370400440532013000") (spec §8)',
    });
    given()
      .when(cmd('SetProviderProfile', 'e-p1', '2026-09-01T00:00:00Z', { ...PROVIDER, countryCode: 'de' }))
      .then('InvalidProfile');
    given()
      .when(cmd('SetProviderProfile', 'e-p1', '2026-09-01T00:00:00Z', { ...PROVIDER, name: '' }))
      .then('InvalidProfile');
  });
});

describe('setting a customer profile', () => {
  it('records CustomerProfileSet on the customer stream', () => {
    given()
      .when(cmd('SetCustomerProfile', 'e-c1', '2026-09-01T00:00:00Z', CUSTOMER))
      .then([ev('CustomerProfileSet', 'e-c1', '2026-09-01T00:00:00Z', CUSTOMER)]);
  });

  it('refuses reverse charge without the customer VAT id', () => {
    given()
      .when(cmd('SetCustomerProfile', 'e-c1', '2026-09-01T00:00:00Z', { ...CUSTOMER, reverseCharge: true }))
      .then('ReverseChargeWithoutVatId');
    given()
      .when(
        cmd('SetCustomerProfile', 'e-c1', '2026-09-01T00:00:00Z', {
          ...CUSTOMER,
          reverseCharge: true,
          vatId: 'ATU12345678',
        }),
      )
      .then([
        ev('CustomerProfileSet', 'e-c1', '2026-09-01T00:00:00Z', {
          ...CUSTOMER,
          reverseCharge: true,
          vatId: 'ATU12345678',
        }),
      ]);
  });

  it('refuses a debtor account outside 10000..99999999 and names the customer', () => {
    const r = customerProfileDecider.decide(
      cmd('SetCustomerProfile', 'e-c1', '2026-09-01T00:00:00Z', { ...CUSTOMER, debtorAccount: 9999 }),
      emptyTimeline(),
      undefined,
    );
    expect(isLeft(r) && r.left.message).toBe(
      'customer cust-1 profile: debtorAccount: expected an integer 10000..99999999 (got 9999) (spec §8)',
    );
  });
});

describe('profile streams', () => {
  it('puts the provider profile on `provider` and a customer profile on `customer-<customerId>`', () => {
    const resolve = registryResolver(emptyRegistry());
    expect(streamOf(ev('ProviderProfileSet', 'e-p', '2026-09-01T00:00:00Z', PROVIDER), resolve)).toBe(
      'provider',
    );
    expect(streamOf(ev('CustomerProfileSet', 'e-c', '2026-09-01T00:00:00Z', CUSTOMER), resolve)).toBe(
      'customer-cust-1',
    );
  });
});

describe('the profile in force', () => {
  const provider = (id: string, occurredAt: string, name: string): DomainEvent =>
    ev('ProviderProfileSet', id, occurredAt, { ...PROVIDER, name });
  const foldProvider = (...events: DomainEvent[]) =>
    events.reduce(evolveProviderProfile, providerProfileDecider.initialState);
  const nameAt = (events: DomainEvent[], t: string): string | undefined =>
    profileInForce(foldProvider(...events), at(t))?.name;

  it('is the latest by occurredAt at or before the instant, whatever the recording order', () => {
    const a = provider('e-a', '2026-09-01T00:00:00Z', 'A');
    const b = provider('e-b', '2026-10-01T00:00:00Z', 'B');
    for (const log of [
      [a, b],
      [b, a],
    ]) {
      expect(nameAt(log, '2026-08-31T23:59:59Z')).toBeUndefined();
      expect(nameAt(log, '2026-09-01T00:00:00Z')).toBe('A');
      expect(nameAt(log, '2026-09-30T23:59:59Z')).toBe('A');
      expect(nameAt(log, '2026-10-01T00:00:00Z')).toBe('B');
      expect(nameAt(log, '2027-01-01T00:00:00Z')).toBe('B');
    }
  });

  it('goes to the later recorded of two at the same instant', () => {
    const a = provider('e-a', '2026-09-01T00:00:00Z', 'A');
    const b = provider('e-b', '2026-09-01T00:00:00+00:00', 'B');
    expect(nameAt([a, b], '2026-09-02T00:00:00Z')).toBe('B');
    expect(nameAt([b, a], '2026-09-02T00:00:00Z')).toBe('A');
  });

  it('changes only with a profile event of its own kind', () => {
    const other = ev('CustomerProfileSet', 'e-x', '2026-09-01T00:00:00Z', {
      ...CUSTOMER,
      customerId: 'cust-2',
    });
    const mine = ev('CustomerProfileSet', 'e-y', '2026-09-02T00:00:00Z', CUSTOMER);
    const unrelated = ev('ProvisioningCompleted', 'e-z', '2026-09-03T00:00:00Z', { contractId: 'c-1' });
    const s = [mine, unrelated].reduce(evolveCustomerProfile, emptyTimeline<CustomerProfile>());
    expect(profileInForce(s, at('2026-09-05T00:00:00Z'))).toEqual(CUSTOMER);
    expect(evolveCustomerProfile(s, unrelated)).toBe(s);
    expect(evolveProviderProfile(emptyTimeline<ProviderProfile>(), other)).toEqual(emptyTimeline());
  });
});
