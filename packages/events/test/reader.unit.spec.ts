/**
 * The reader's two ways of reading a line — cut from a window of text (complete ASCII lines of a
 * chunk) or decoded from its own bytes (other lines, lines split over chunks, lines longer than the
 * window) — give the same items; and readNdjsonBatches yields exactly readNdjson's items, in batches.
 * A property compares a whole log read in one chunk with the same bytes cut anywhere (which sends
 * lines down the other way) on logs of valid events, non-ASCII text and bytes that are not UTF-8.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNdjson, readNdjsonBatches, type NdjsonItem, type NdjsonOptions } from '../src/internal.js';
import { arbitraryEvent } from '../../testing/src/events.js';
import { chunksAt } from './support/streams.js';

const RUNS = 2000;

const collect = async (source: AsyncIterable<Uint8Array>, options?: NdjsonOptions): Promise<NdjsonItem[]> => {
  const out: NdjsonItem[] = [];
  for await (const item of readNdjson(source, options)) out.push(item);
  return out;
};

const batches = async (
  source: AsyncIterable<Uint8Array>,
  options?: NdjsonOptions,
): Promise<Array<readonly NdjsonItem[]>> => {
  const out: Array<readonly NdjsonItem[]> = [];
  for await (const batch of readNdjsonBatches(source, options)) out.push(batch);
  return out;
};

const event = (id: string, contractId = 'c-1'): string =>
  JSON.stringify({
    id,
    type: 'ProvisioningCompleted',
    occurredAt: '2026-10-05T09:00:00Z',
    data: { contractId },
  });

/** Raw lines: valid events (some with non-ASCII text), near-JSON, blanks, and bytes that are not UTF-8. */
const rawLine: fc.Arbitrary<Uint8Array> = fc.oneof(
  arbitraryEvent.map((e) => Buffer.from(JSON.stringify(e))),
  fc
    .constantFrom('c-ü', 'c-€', 'c-😀', 'c-\u00ff', 'c-\u0080', '\uFEFF')
    .map((c) => Buffer.from(event('e-x', c))),
  fc.constantFrom('', ' ', '\t\r', '\uFEFF', '\uFEFF{}', '{', 'null', '\u00a0').map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b.map((x) => (x === 0x0a ? 0x20 : x)))),
  fc.constantFrom(
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    Buffer.from([0x22, 0xc3, 0xbc, 0x22]),
  ),
);

const rawLog = fc
  .array(fc.record({ line: rawLine, ending: fc.constantFrom('\n', '\r\n', '\n\n') }), { maxLength: 10 })
  .chain((lines) =>
    fc.record({
      bytes: fc.constant(Buffer.concat(lines.flatMap((l) => [l.line, Buffer.from(l.ending)]))),
      lastNewline: fc.boolean(),
    }),
  )
  .map(({ bytes, lastNewline }) => (lastNewline || bytes.length === 0 ? bytes : bytes.subarray(0, -1)));

describe('reading from a window or from bytes', () => {
  it(`gives the same items however the bytes are cut (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        rawLog,
        fc.array(fc.nat({ max: 3000 }), { maxLength: 8 }),
        fc.constantFrom(undefined, 40, 200),
        async (bytes, cuts, maxLineBytes) => {
          const options = maxLineBytes === undefined ? {} : { maxLineBytes };
          const whole = await collect(chunksAt(bytes, []), options);
          expect(await collect(chunksAt(bytes, cuts), options)).toEqual(whole);
          const oneByOne = Array.from({ length: bytes.length }, (_, i) => i);
          expect(await collect(chunksAt(bytes, oneByOne), options)).toEqual(whole);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('reads non-ASCII lines between ASCII ones, counting their length in bytes', async () => {
    const euro = event('e-2', 'c-€€');
    const bytes = Buffer.byteLength(euro);
    expect(bytes).toBe(euro.length + 4);
    const text = `${event('e-1')}\n${euro}\n${event('e-3', 'c-ü')}\r\n${event('e-4')}\n`;
    const items = await collect(chunksAt(Buffer.from(text), []), { maxLineBytes: bytes });
    expect(items.map((i) => (i.kind === 'event' ? i.event.data : i.kind))).toEqual([
      { contractId: 'c-1' },
      { contractId: 'c-€€' },
      { contractId: 'c-ü' },
      { contractId: 'c-1' },
    ]);
    const shorter = await collect(chunksAt(Buffer.from(text), []), { maxLineBytes: bytes - 1 });
    expect(shorter.map((i) => i.kind)).toEqual(['event', 'invalid', 'event', 'event']);
  });

  it('refuses only the line that is not UTF-8 when it shares a chunk with good ones', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${event('e-1')}\n`),
      Buffer.from([0x7b, 0xc0, 0xaf, 0x7d, 0x0a]),
      Buffer.from(`${event('e-2', 'c-ü')}\n${event('e-3')}\n`),
    ]);
    const items = await collect(chunksAt(bytes, []));
    expect(
      items.map((i) => (i.kind === 'invalid' ? `${i.line}:${i.error.message}` : `${i.line}:${i.kind}`)),
    ).toEqual(['1:event', '2:invalid UTF-8', '3:event', '4:event']);
  });

  it('reads a line longer than the window (and the default 1 MiB limit) from its bytes, within a larger limit', async () => {
    const long = event('e-2').replace('{', `{${' '.repeat(1_200_000)}`);
    const text = `${event('e-1')}\n${long}\n${event('e-3')}\n`;
    const items = await collect(chunksAt(Buffer.from(text), []), { maxLineBytes: 2_000_000 });
    expect(items.map((i) => `${i.line}:${i.kind}`)).toEqual(['1:event', '2:event', '3:event']);
    const refused = await collect(chunksAt(Buffer.from(text), []));
    expect(refused.map((i) => `${i.line}:${i.kind}`)).toEqual(['1:event', '2:invalid', '3:event']);
  });
});

describe('readNdjsonBatches', () => {
  it(`yields readNdjson's items, never an empty batch (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(rawLog, fc.array(fc.nat({ max: 3000 }), { maxLength: 8 }), async (bytes, cuts) => {
        const all = await batches(chunksAt(bytes, cuts));
        expect(all.every((b) => b.length > 0)).toBe(true);
        expect(all.flat()).toEqual(await collect(chunksAt(bytes, cuts)));
      }),
      { numRuns: RUNS },
    );
  });

  it('yields one batch per chunk, of at most 8192 items', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => event(`e-${i}`));
    const first = Buffer.from(`${lines.slice(0, 100).join('\n')}\n`);
    const rest = Buffer.from(lines.slice(100).join('\n'));
    async function* two(): AsyncGenerator<Uint8Array> {
      yield first;
      yield rest;
    }
    const sizes = (await batches(two())).map((b) => b.length);
    // The last line has no newline: it comes once the source has ended.
    expect(sizes).toEqual([100, 8192, 8192, 19_899 - 16_384, 1]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; ; i++) yield Buffer.from(`${event(`e-${i}`)}\n`);
      } finally {
        closed = true;
      }
    }
    for await (const batch of readNdjsonBatches(source())) if (batch[0]?.line === 3) break;
    expect(closed).toBe(true);
  });

  it('refuses a bad maxLineBytes', async () => {
    await expect(batches(chunksAt(Buffer.from(''), []), { maxLineBytes: 0 })).rejects.toThrow(RangeError);
  });
});
