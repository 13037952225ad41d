/**
 * @msp-billing/contracts — the Contract, Ticket and RateCard deciders (Emmett/fmodel style: plain
 * `decide`, `evolve`, `initialState`), commands built from plain values, every refusal of spec §6 as
 * a typed value, and the Registry of facts that span aggregates (spec §3, §4, §6).
 *
 * @packageDocumentation
 */
export {
  EVENT_OF_COMMAND,
  eventOfCommand,
  isContractCommand,
  isProfileCommand,
  isRateCardCommand,
  isTicketCommand,
  type Command,
  type CommandOf,
  type ContractCommand,
  type ProfileCommand,
  type RateCardCommand,
  type TicketCommand,
} from './commands.js';
export {
  command,
  decodeCommand,
  type CommandDataInput,
  type CommandInput,
  type PlainInput,
} from './commandInput.js';
export type { Decider } from './decider.js';
export {
  refusalMessage,
  type Refusal,
  type RefusalData,
  type RefusalTag,
  type UnjustifiedReason,
} from './refusal.js';
export {
  activeMspForVm,
  contractOfAlert,
  contractOfTicket,
  emptyRegistry,
  evolveRegistry,
  isContractBooked,
  isRateCardPublished,
  registryFromJson,
  registryResolver,
  registryToJson,
  ticketOfWork,
  type Registry,
} from './registry.js';
export { contractDecider, type ContractInputs } from './contract.js';
export { ticketDecider, type TicketInputs } from './ticket.js';
export { rateCardDecider, type RateCardFacts, type RateCardState } from './rateCard.js';
export type { ContractFacts, ContractState } from './contractFacts.js';
export type { TicketFacts, TicketState } from './ticketFacts.js';
export {
  customerProfileDecider,
  providerProfileDecider,
  type CustomerProfile,
  type ProviderProfile,
} from './profile.js';
