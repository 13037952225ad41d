/**
 * @msp-billing/events — the wire format of msp-billing (spec §2): io-ts codecs of every event in the
 * catalog, constructors of ids and values, decoding with one-line errors, schemaVersion upcasting,
 * stream names, and a streaming NDJSON reader that applies the id rules.
 *
 * @packageDocumentation
 */
export {
  AlertId,
  ContractId,
  CustomerId,
  EventId,
  InstantC,
  InvoiceNumber,
  Minutes,
  Money,
  RateCardId,
  ServiceKind,
  ShareId,
  SlaLevel,
  TechnicianId,
  Text,
  TicketChannel,
  TicketId,
  VmId,
  WorkId,
  formatInstant,
  type Branded,
  type Instant,
} from './primitives.js';
export { ids, instant, money } from './construct.js';
export {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_TIME_ZONE,
  DEFAULT_VAT_RATE_PERCENT,
  EVENT_TYPES,
  MaintenanceWindowC,
  eventDataCodecs,
  type DomainEvent,
  type EventData,
  type EventDataWire,
  type EventOf,
  type EventType,
  type MaintenanceWindow,
  type WireEvent,
} from './catalog.js';
export {
  canonicalEvent,
  createDecoder,
  decodeEvent,
  encodeEvent,
  type CatalogEntry,
  type DecodeError,
  type DecodeProblem,
  type DecoderOptions,
  type Upcaster,
} from './decode.js';
export { closed, oneOf, optional } from './codec.js';
export {
  PROVIDER_STREAM,
  contractStream,
  customerStream,
  rateCardStream,
  streamOf,
  ticketStream,
  type StreamResolver,
} from './streams.js';
export {
  readNdjson,
  type NdjsonItem,
  type NdjsonLineError,
  type NdjsonOptions,
  type NdjsonStats,
} from './ndjson.js';
