/**
 * The public API of @msp-billing/contracts (deciders, commands from plain values, refusals, the Registry), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/contracts/internal`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames, undocumented } from '../../testing/src/publicApi.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** The values (functions, constants, codecs) of the public index. */
const VALUES = [
  'EVENT_OF_COMMAND',
  'activeMspForVm',
  'command',
  'contractDecider',
  'contractOfAlert',
  'contractOfTicket',
  'customerProfileDecider',
  'decodeCommand',
  'emptyRegistry',
  'eventOfCommand',
  'evolveRegistry',
  'isContractBooked',
  'isContractCommand',
  'isProfileCommand',
  'isRateCardCommand',
  'isRateCardPublished',
  'isTicketCommand',
  'providerProfileDecider',
  'rateCardDecider',
  'refusalMessage',
  'registryResolver',
  'ticketDecider',
  'ticketOfWork',
];

/** The names that are types only. */
const TYPES = [
  'Command',
  'CommandDataInput',
  'CommandInput',
  'CommandOf',
  'ContractCommand',
  'ContractFacts',
  'ContractInputs',
  'ContractState',
  'CustomerProfile',
  'Decider',
  'PlainInput',
  'ProfileCommand',
  'ProviderProfile',
  'RateCardCommand',
  'RateCardFacts',
  'RateCardState',
  'Refusal',
  'RefusalData',
  'RefusalTag',
  'Registry',
  'TicketCommand',
  'TicketFacts',
  'TicketInputs',
  'TicketState',
  'UnjustifiedReason',
];

describe('the public API of @msp-billing/contracts', () => {
  it('exports exactly these values', async () => {
    expect(Object.keys(await import('../src/index.js')).toSorted()).toEqual(VALUES);
  });

  it('exports exactly these names, values and types', () => {
    expect(exportedNames(join(src, 'index.ts'))).toEqual([...VALUES, ...TYPES].toSorted());
  });

  it('documents every export with TSDoc', () => {
    expect(undocumented(src, [...VALUES, ...TYPES])).toEqual([]);
  });

  it('stays small', () => {
    expect(VALUES.length + TYPES.length).toBeLessThanOrEqual(62);
  });
});
