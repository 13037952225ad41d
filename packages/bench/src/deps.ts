/**
 * The sibling packages the benchmarks use. Imported by relative path because packages/bench is not
 * linked into the workspace until `pnpm install` is re-run; after that these can become
 * `@msp-billing/…` imports without any other change. Only the scenario module of the testing
 * package is loaded (its index would also load fast-check, which a benchmark does not need).
 */
export { generateScenarioNdjson, scenarioForEventCount } from '../../testing/src/scenario.js';
export { foldNdjson, type Ledger } from '../../billing/src/index.js';
export { openEventSource, decodeEvent, type DomainEvent } from '../../events/src/index.js';
