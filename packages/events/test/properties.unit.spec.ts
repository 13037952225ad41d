/**
 * Properties of decoding and reading with fast-check: decoding never throws on any JSON value or on
 * event-shaped garbage, the reader never throws on any text and always explains a refusal with a line
 * number, chunk boundaries never change what is read, and every generated valid event survives
 * encode → decode unchanged.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  canonicalEvent,
  decodeEvent,
  encodeEvent,
  readNdjson,
  type DomainEvent,
  type NdjsonItem,
} from '../src/index.js';
import { arbitraryEvent, arbitraryInstant, arbitraryTimestamp } from '../../testing/src/events.js';
import { chunksAt, reverseKeys } from './support/streams.js';

const RUNS = 1000;

const collect = async (source: AsyncIterable<Uint8Array | string>): Promise<NdjsonItem[]> => {
  const out: NdjsonItem[] = [];
  for await (const item of readNdjson(source)) out.push(item);
  return out;
};

const decoded = (u: unknown): DomainEvent => {
  const r = decodeEvent(u);
  if (r._tag === 'Left') throw new Error(`${r.left.message} in ${JSON.stringify(u)}`);
  return r.right;
};

/** Field names of the catalog, so that random objects hit real fields now and then. */
const FIELD_NAMES = [
  'contractId',
  'ticketId',
  'workId',
  'minutes',
  'startedAt',
  'service',
  'windows',
  'channels',
  'timeZone',
  'vatRatePercent',
  'hourlyRate',
  'email',
  '__proto__',
  'constructor',
];

const eventShaped = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 5 }), fc.string({ minLength: 195, maxLength: 205 }), fc.jsonValue()),
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string(), fc.jsonValue()),
    occurredAt: fc.oneof(arbitraryInstant, fc.string(), fc.jsonValue()),
    schemaVersion: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
    data: fc.oneof(fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue()), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/** Decode `u`; a refusal must be a DecodeError with a non-empty one-line message. */
const explains = (u: unknown): void => {
  const r = decodeEvent(u);
  const refusals = r._tag === 'Left' ? [r.left] : [];
  const unexplained = refusals.filter(
    (e) => e._tag !== 'DecodeError' || e.message.length === 0 || /[\r\n]/.test(e.message),
  );
  expect(unexplained).toEqual([]);
};

describe('decodeEvent never throws', () => {
  it('on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), explains), { numRuns: RUNS });
  });

  it('on event-shaped objects with random fields', () => {
    fc.assert(fc.property(eventShaped, explains), { numRuns: RUNS });
  });

  it('on valid events with one data field replaced by any JSON value or removed', () => {
    fc.assert(
      fc.property(arbitraryEvent, fc.nat(), fc.option(fc.jsonValue()), (e, pick, value) => {
        const keys = Object.keys(e.data);
        const key = keys.length === 0 ? 'x' : (keys[pick % keys.length] as string);
        const data: Record<string, unknown> = { ...e.data };
        if (value === null) delete data[key];
        else data[key] = value;
        explains(JSON.parse(JSON.stringify({ ...e, data })));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('valid events', () => {
  it('decode, and encode → decode gives the same event and canonical text', () => {
    fc.assert(
      fc.property(arbitraryEvent, (wire) => {
        const e = decoded(JSON.parse(JSON.stringify(wire)));
        expect(e.id).toBe(wire.id);
        expect(e.type).toBe(wire.type);
        const again = decoded(JSON.parse(JSON.stringify(encodeEvent(e))));
        expect(again).toEqual(e);
        expect(canonicalEvent(again)).toBe(canonicalEvent(e));
        expect(encodeEvent(again)).toEqual(encodeEvent(e));
      }),
      { numRuns: RUNS },
    );
  });

  it('read timestamps in any offset as the instant they denote', () => {
    fc.assert(
      fc.property(arbitraryTimestamp, ({ text, ms }) => {
        const e = decoded({
          id: 'e-1',
          type: 'ProvisioningCompleted',
          occurredAt: text,
          data: { contractId: 'c-1' },
        });
        expect(e.occurredAt).toBe(ms);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Text made of lines from a mix of valid events, garbage and blanks, joined by LF or CRLF. */
const hostileText = fc
  .array(
    fc.record({
      body: fc.oneof(
        arbitraryEvent.map((e) => JSON.stringify(e)),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }).map((s) => s.replace(/\n/g, '')),
        fc.constantFrom('', ' ', '\t', '\r', '{', '[]', 'null', '\uFEFF{}', '\u0000'),
      ),
      ending: fc.constantFrom('\n', '\r\n', '\n\n'),
    }),
    { maxLength: 12 },
  )
  .map((lines) => lines.map((l) => l.body + l.ending).join(''));

describe('the id rule over generated events', () => {
  it('sees a re-spelled repeat (UTC instants, defaults written out, keys reversed) as a duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEvent, async (wire) => {
        const respelled = reverseKeys(encodeEvent(decoded(wire)));
        const text = `${JSON.stringify(wire)}\n${JSON.stringify(respelled)}\n`;
        const items = await collect(chunksAt(Buffer.from(text), []));
        expect(items.map((i) => `${i.line}:${i.kind}`)).toEqual(['1:event', '2:duplicate']);
      }),
      { numRuns: RUNS },
    );
  });

  it('tells a repeated id apart exactly when canonicalEvent differs', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEvent, arbitraryEvent, async (a, other) => {
        const b = { ...other, id: a.id };
        const same = canonicalEvent(decoded(a)) === canonicalEvent(decoded(b));
        const items = await collect(chunksAt(Buffer.from(`${JSON.stringify(a)}\n${JSON.stringify(b)}`), []));
        expect(items.map((i) => i.kind)).toEqual(['event', same ? 'duplicate' : 'invalid']);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('readNdjson', () => {
  it('never throws on any text, and explains every refusal with a line number and a reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileText, fc.string({ unit: 'binary' }), fc.string()),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 6 }),
        async (text, cuts) => {
          const bytes = Buffer.from(text, 'utf8');
          const physicalLines = text.split('\n').length;
          const items = await collect(chunksAt(bytes, cuts));
          const lines = items.map((i) => i.line);
          expect(lines).toEqual(lines.toSorted((a, b) => a - b));
          expect(new Set(lines).size).toBe(lines.length);
          expect(lines.every((n) => Number.isInteger(n) && n >= 1 && n <= physicalLines)).toBe(true);
          const unexplained = items.filter(
            (i) => i.kind === 'invalid' && (i.error.reason.length === 0 || /[\r\n]/.test(i.error.message)),
          );
          expect(unexplained).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reads the same items however the bytes are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.array(fc.nat({ max: 3000 }), { maxLength: 8 }), async (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(await collect(chunksAt(bytes, cuts))).toEqual(await collect(chunksAt(bytes, [])));
      }),
      { numRuns: RUNS },
    );
  });

  it('reads every valid event on its line, and each identical repeat as a duplicate of it', async () => {
    const logs = fc
      .uniqueArray(arbitraryEvent, { selector: (e) => e.id, minLength: 1, maxLength: 15 })
      .chain((events) =>
        fc.record({
          events: fc.constant(events),
          repeats: fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 5 }),
          blankEvery: fc.integer({ min: 2, max: 5 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(logs, async ({ events, repeats, blankEvery }) => {
        const lines: string[] = [];
        const expected: string[] = [];
        const firstLine = new Map<string, number>();
        const push = (text: string): number => {
          if ((lines.length + 1) % blankEvery === 0) lines.push('');
          lines.push(text);
          return lines.length;
        };
        for (const e of events) {
          const n = push(JSON.stringify(e));
          firstLine.set(e.id, n);
          expected.push(`${n}:event:${e.id}`);
        }
        for (const r of repeats) {
          const e = events[r] as (typeof events)[number];
          const n = push(JSON.stringify(e));
          expected.push(`${n}:duplicate:${e.id}@${firstLine.get(e.id)}`);
        }
        const items = await collect(chunksAt(Buffer.from(lines.join('\r\n')), [100, 1000]));
        expect(
          items.map((i) =>
            i.kind === 'event'
              ? `${i.line}:event:${i.event.id}`
              : i.kind === 'duplicate'
                ? `${i.line}:duplicate:${i.eventId}@${i.firstLine}`
                : `${i.line}:invalid:${i.error.message}`,
          ),
        ).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
