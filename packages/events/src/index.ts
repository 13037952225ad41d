/**
 * @msp-billing/events — the wire format of msp-billing (spec §2): io-ts codecs of every event in the
 * catalog, decoding with one-line errors, schemaVersion upcasting, stream names, and a streaming
 * NDJSON reader that applies the id rules.
 *
 * @packageDocumentation
 */
export * from './codec.js';
export * from './primitives.js';
export * from './catalog.js';
export * from './decode.js';
export * from './streams.js';
export * from './ndjson.js';
export { parseJsonLine } from './jsonLine.js';
export { IdTable, KeyTable } from './idTable.js';
export { grownTo, releaseColumn, type TypedColumn } from './release.js';
