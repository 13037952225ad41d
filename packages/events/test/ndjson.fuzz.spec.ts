/**
 * Fuzzing the NDJSON reader with hostile lines: prototype keys (`__proto__`, `constructor`) at every
 * level, deep nesting, huge and NaN-like numbers, lone surrogates, valid events with one field
 * swapped for something nasty. The reader must never throw, must explain every refusal with a line
 * number and a reason, and must not pollute Object.prototype. The run count comes from MSP_FUZZ_RUNS
 * (small in the normal suite; `pnpm test:fuzz` raises it).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, readNdjson, type NdjsonItem } from '../src/index.js';
import { arbitraryEvent } from '../../testing/src/events.js';

const RUNS = Number(process.env.MSP_FUZZ_RUNS ?? 2000);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Numbers and number-like strings that break naive code. */
const nastyScalar: fc.Arbitrary<string> = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '0.1e1',
  '9007199254740993',
  '123456789012345678901234567890',
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"1e309"',
  '"0x10"',
  '" 15"',
  '"١٥"',
  '"\\ud800"',
  '"\\u0000"',
  '"\\u2028"',
  'null',
  'true',
  '[]',
  '{}',
  '"9999-12-31T23:59:59-23:59"',
  '"2026-10-05T09:00:00+02:00"',
);

/** A JSON text nested `depth` levels deep, in arrays or objects. */
const deep: fc.Arbitrary<string> = fc
  .record({
    depth: fc.integer({ min: 1, max: 1000 }),
    objects: fc.boolean(),
    key: fc.constantFrom(...PROTO_KEYS),
  })
  .map(({ depth, objects, key }) =>
    objects
      ? `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}1${']'.repeat(depth)}`,
  );

/** A JSON value made of hostile pieces. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  nastyScalar,
  deep,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'contractId', 'minutes'), nastyScalar, { maxKeys: 4 }).map(
    (d) =>
      `{${Object.entries(d)
        .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
        .join(',')}}`,
  ),
);

/** An event line with hostile values at envelope or data level, written as raw JSON text. */
const hostileEvent: fc.Arbitrary<string> = fc
  .record({
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom(...PROTO_KEYS)),
    id: fc.oneof(fc.constant('"e-1"'), nastyScalar),
    occurredAt: fc.oneof(fc.constant('"2026-10-05T09:00:00Z"'), nastyScalar),
    schemaVersion: fc.option(nastyScalar),
    dataKey: fc.constantFrom(...PROTO_KEYS, 'contractId', 'ticketId', 'workId', 'minutes', 'windows'),
    dataValue: hostileValue,
    envelopeExtra: fc.option(fc.tuple(fc.constantFrom(...PROTO_KEYS), hostileValue)),
  })
  .map(
    ({ type, id, occurredAt, schemaVersion, dataKey, dataValue, envelopeExtra }) =>
      `{"id":${id},"type":${JSON.stringify(type)},"occurredAt":${occurredAt}` +
      (schemaVersion === null ? '' : `,"schemaVersion":${schemaVersion}`) +
      (envelopeExtra === null ? '' : `,${JSON.stringify(envelopeExtra[0])}:${envelopeExtra[1]}`) +
      `,"data":{"contractId":"c-1",${JSON.stringify(dataKey)}:${dataValue}}}`,
  );

/** A valid event with one data field's raw value swapped for a hostile one. */
const corruptedEvent: fc.Arbitrary<string> = fc
  .record({ e: arbitraryEvent, value: hostileValue, pick: fc.nat() })
  .map(({ e, value, pick }) => {
    const keys = Object.keys(e.data);
    const key = keys[pick % Math.max(keys.length, 1)] ?? '__proto__';
    const placeholder = '"@@HOSTILE@@"';
    return JSON.stringify({ ...e, data: { ...e.data, [key]: '@@HOSTILE@@' } }).replace(placeholder, value);
  });

const hostileLine: fc.Arbitrary<string> = fc.oneof(
  hostileEvent,
  corruptedEvent,
  hostileValue,
  arbitraryEvent.map((e) => JSON.stringify(e)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => s.replace(/\n/g, ' ')),
);

const hostileLog = fc
  .array(fc.record({ line: hostileLine, ending: fc.constantFrom('\n', '\r\n', '\n\n') }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((ls) => ls.map((l) => l.line + l.ending).join(''));

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('readNdjson under hostile input', () => {
  it(
    `never throws, and explains every refusal (${RUNS} runs)`,
    async () => {
      const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).toSorted();
      await fc.assert(
        fc.asyncProperty(hostileLog, async (text) => {
          const physicalLines = text.split('\n').length;
          const items: NdjsonItem[] = [];
          for await (const item of readNdjson(once(Buffer.from(text, 'utf8')))) items.push(item);
          const lines = items.map((i) => i.line);
          expect(
            lines.every(
              (n, k) => Number.isInteger(n) && n >= 1 && n <= physicalLines && n > (lines[k - 1] ?? 0),
            ),
          ).toBe(true);
          const unexplained = items.filter(
            (i) =>
              i.kind === 'invalid' &&
              (typeof i.error.reason !== 'string' ||
                i.error.reason.length === 0 ||
                /[\r\n]/.test(i.error.message) ||
                i.error.message.length > 2000),
          );
          expect(unexplained).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      expect(Object.getOwnPropertyNames(Object.prototype).toSorted()).toEqual(protoKeysBefore);
      expect(({} as Record<string, unknown>)['contractId']).toBeUndefined();
      // About 3 ms a run on CI's 2 cores: give `pnpm test:fuzz` (100 000 runs) the time it needs.
    },
    Math.max(60_000, RUNS * 20),
  );
});
