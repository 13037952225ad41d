/**
 * @msp-billing/events/internal — what the other packages of this repository share beyond the public
 * API: columns and tables of the fast paths (all in src/storage/), hashing, codec building blocks,
 * the fast decoders' helpers. Not for applications: it changes whenever those packages need it to.
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
export { parseJsonLine } from './storage/jsonLine.js';
export { IdTable, KeyTable } from './storage/idTable.js';
export { grown, grownTo, releaseColumn, type TypedColumn } from './storage/release.js';
