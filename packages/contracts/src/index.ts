/**
 * @msp-billing/contracts — the Contract, Ticket and RateCard deciders (Emmett/fmodel style: plain
 * `decide`, `evolve`, `initialState`), every refusal of spec §6 as a typed value, and a contract's
 * facts in business time with the questions classification asks of them (spec §3, §4).
 *
 * @packageDocumentation
 */
export * from './timeline.js';
export * from './keyedLog.js';
export * from './haHistory.js';
export * from './smallArray.js';
export * from './refusal.js';
export * from './commands.js';
export * from './decider.js';
export * from './contractFacts.js';
export * from './ticketFacts.js';
export * from './registry.js';
export * from './contract.js';
export * from './invoiceRules.js';
export * from './ticket.js';
export * from './safetyMeasure.js';
export * from './rateCard.js';
export * from './profile.js';
