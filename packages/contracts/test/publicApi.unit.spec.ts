/**
 * The public API of @msp-billing/contracts (deciders, commands from plain values, refusals, the Registry), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/contracts/internal`.
 */
import { describePublicApi } from '../../testing/src/publicApi.js';

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
  'registryFromJson',
  'registryResolver',
  'registryToJson',
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

describePublicApi({
  name: '@msp-billing/contracts',
  src: new URL('../src/', import.meta.url),
  load: () => import('../src/index.js'),
  values: VALUES,
  types: TYPES,
  atMost: 62,
});
