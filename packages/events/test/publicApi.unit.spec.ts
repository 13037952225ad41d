/**
 * The public API of @msp-billing/events (the wire format: codecs, constructors, decoding, stream names, the NDJSON reader), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/events/internal`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames, undocumented } from '../../testing/src/publicApi.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** The values (functions, constants, codecs) of the public index. */
const VALUES = [
  'AlertId',
  'CURRENT_SCHEMA_VERSION',
  'ContractId',
  'CustomerId',
  'DEFAULT_TIME_ZONE',
  'DEFAULT_VAT_RATE_PERCENT',
  'EVENT_TYPES',
  'EventId',
  'InstantC',
  'InvoiceNumber',
  'MaintenanceWindowC',
  'Minutes',
  'Money',
  'PROVIDER_STREAM',
  'RateCardId',
  'ServiceKind',
  'ShareId',
  'SlaLevel',
  'TechnicianId',
  'Text',
  'TicketChannel',
  'TicketId',
  'VmId',
  'WorkId',
  'canonicalEvent',
  'closed',
  'contractStream',
  'createDecoder',
  'customerStream',
  'decodeEvent',
  'encodeEvent',
  'eventDataCodecs',
  'formatInstant',
  'ids',
  'instant',
  'money',
  'oneOf',
  'optional',
  'rateCardStream',
  'readNdjson',
  'streamOf',
  'ticketStream',
];

/** The names that are types only. */
const TYPES = [
  'Branded',
  'CatalogEntry',
  'DecodeError',
  'DecodeProblem',
  'DecoderOptions',
  'DomainEvent',
  'EventData',
  'EventDataWire',
  'EventOf',
  'EventType',
  'Instant',
  'MaintenanceWindow',
  'NdjsonItem',
  'NdjsonLineError',
  'NdjsonOptions',
  'NdjsonStats',
  'StreamResolver',
  'Upcaster',
  'WireEvent',
];

describe('the public API of @msp-billing/events', () => {
  it('exports exactly these values', async () => {
    expect(Object.keys(await import('../src/index.js')).toSorted()).toEqual(VALUES);
  });

  it('exports exactly these names, values and types', () => {
    expect(exportedNames(join(src, 'index.ts'))).toEqual([...VALUES, ...TYPES].toSorted());
  });

  it('documents every export with TSDoc', () => {
    expect(undocumented(src, [...VALUES, ...TYPES])).toEqual([]);
  });

  it('stays small', () => {
    expect(VALUES.length + TYPES.length).toBeLessThanOrEqual(64);
  });
});
