/**
 * @msp-billing/store — the EventStore port (appends with expected revisions, idempotent by event id;
 * stream and global reads; catch-up subscriptions; checkpoints), the in-memory store, deciders and
 * the retrying command handler, and bulk import. The contract test suite for adapters is a separate
 * entry, `@msp-billing/store/contract-suite`, because it imports vitest.
 *
 * @packageDocumentation
 */
export * from './port.js';
export * from './appendPlan.js';
export * from './memory.js';
export * from './checkpoints.js';
export * from './subscription.js';
export * from './commandHandler.js';
export * from './import.js';
