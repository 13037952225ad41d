/**
 * @msp-billing/events/internal — what the other packages of this repository share beyond the public
 * API: columns and tables of the fast paths, hashing, codec building blocks, the fast decoders'
 * helpers. Not for applications: it changes whenever those packages need it to.
 *
 * @internal
 * @packageDocumentation
 */
export * from './index.js';
export * from './codec.js';
export * from './primitives.js';
export * from './catalog.js';
export * from './decode.js';
export * from './streams.js';
export * from './ndjson.js';
export { parseJsonLine } from './jsonLine.js';
export { IdTable, KeyTable } from './idTable.js';
export { grownTo, releaseColumn, type TypedColumn } from './release.js';
