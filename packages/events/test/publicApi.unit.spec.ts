/**
 * The public API of @msp-billing/events (the wire format: codecs, constructors, decoding, stream names, the NDJSON reader), pinned: adding or removing an export fails
 * here until the lists below change with it, so growing the API is a visible decision. Internals
 * shared with the other packages of this repository live in `@msp-billing/events/internal`.
 */
import { describePublicApi } from '../../testing/src/publicApi.js';

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

describePublicApi({
  name: '@msp-billing/events',
  src: new URL('../src/', import.meta.url),
  load: () => import('../src/index.js'),
  values: VALUES,
  types: TYPES,
  atMost: 64,
});
