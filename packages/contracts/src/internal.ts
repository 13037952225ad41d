/**
 * @msp-billing/contracts/internal — what the other packages of this repository share beyond the
 * public API: a contract's and a ticket's facts in business time and the questions classification
 * asks of them, the persistent structures behind them, every command type by name. Not for
 * applications: it changes whenever those packages need it to.
 *
 * @internal
 * @packageDocumentation
 */
export * from './index.js';
export * from './timeline.js';
export * from './keyedLog.js';
export * from './haHistory.js';
export * from './smallArray.js';
export * from './refusal.js';
export * from './commands.js';
export * from './commandInput.js';
export * from './decider.js';
export * from './contractFacts.js';
export * from './ticketFacts.js';
export * from './registry.js';
export * from './existence.js';
export * from './contract.js';
export * from './ticket.js';
export * from './safetyMeasure.js';
export * from './rateCard.js';
export * from './invoiceRules.js';
export {
  cancellationRefusal,
  haRestartRefusal,
  haVmRefusal,
  otherVmRefusal,
  safetyMeasureRefusal,
  scheduleRefusal,
  vendorSupportRefusal,
} from './domainRules.js';
export * from './profile.js';
