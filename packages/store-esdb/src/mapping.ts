/**
 * Pure translations between our port and EventStoreDB's client (no server needed, unit-tested):
 * expected revisions, event ids (ESDB wants UUIDs; ours are free strings up to 200 characters),
 * and events to/from ESDB's JSON event data.
 */
import { createHash } from 'node:crypto';
import { decodeEvent, encodeEvent, type DomainEvent } from '@msp-billing/events';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendExpectedRevision,
  type CurrentRevision,
} from '@eventstore/db-client';
import type { ExpectedRevision, StreamRevision } from '@msp-billing/store';

/** Our expected revision as ESDB's: the four modes map one to one. */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
};

/** ESDB's "actual revision" of a conflict as ours. */
export const fromEsdbCurrentRevision = (actual: CurrentRevision): StreamRevision =>
  actual === NO_STREAM ? 'no_stream' : actual;

// A fixed, arbitrary namespace for our ids. Never change it: ids derived from it are stored.
const NAMESPACE = Buffer.from('6b8f0c1e4e2a5d7b9c3f1a2b3c4d5e6f', 'hex');

/**
 * A deterministic RFC 4122 version-5 (SHA-1) UUID of our event id: the same event always gets the
 * same ESDB id, so ESDB's own idempotency recognises a re-append, and our id travels in metadata.
 */
export const esdbEventId = (eventId: string): string => {
  const hash = createHash('sha1').update(NAMESPACE).update(eventId, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x50; // version 5
  b[8] = ((b[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** Metadata we put on every domain event; its presence is how readers tell our events apart. */
export interface MspMetadata {
  readonly mspEventId: string;
}

/** ESDB JSON event data of a domain event (the whole wire event as data, our id in metadata). */
export const toEventData = (e: DomainEvent) => ({
  id: esdbEventId(e.id),
  contentType: 'application/json' as const,
  type: e.type,
  data: { ...encodeEvent(e) },
  metadata: { mspEventId: e.id },
});

/** True when ESDB metadata marks a domain event of ours. */
export const isMspMetadata = (m: unknown): m is MspMetadata =>
  typeof m === 'object' && m !== null && typeof (m as { mspEventId?: unknown }).mspEventId === 'string';

/** Decode the data of one of our events, or throw (a stored event must decode). */
export const fromEventData = (data: unknown, where: string): DomainEvent => {
  const decoded = decodeEvent(data);
  if (decoded._tag === 'Left')
    throw new Error(`stored event ${where} no longer decodes: ${decoded.left.message}`);
  return decoded.right;
};
