/**
 * The workspace packages the benchmarks use, in one place so each benchmark script imports the same
 * entry points the CLI does.
 */
export { generateScenario, generateScenarioNdjson, scenarioForEventCount } from '@msp-billing/testing';
export { foldNdjson, type Ledger } from '@msp-billing/billing';
export { decodeEvent, type DomainEvent } from '@msp-billing/events';
export { openEventSource } from '@msp-billing/cli/event-file';
