/**
 * @msp-billing/store-esdb — the EventStore port on EventStoreDB (`@eventstore/db-client`).
 * NOT yet run against a server here: see this package's README.
 *
 * @packageDocumentation
 */
export * from './mapping.js';
export * from './store.js';
