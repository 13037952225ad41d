/**
 * @msp-billing/testing — fast-check generators of valid events and logs, and the billing laws as
 * reusable properties, shared by every package's tests. A plain list of re-exports.
 *
 * @packageDocumentation
 */
export * from './events.js';
export * from './logs.js';
export * from './laws.js';
export * from './scenario.js';
export * from './profiles.js';
