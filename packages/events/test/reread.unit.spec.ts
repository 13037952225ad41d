/**
 * The id rule on a source that can read its bytes again (a file): the reader keeps where each event's
 * line starts and fingerprints an event only when its id comes again, reading the first line again
 * then. It must give exactly the items of the reader that fingerprints every event (any other
 * source), read each repeated id's first line once, and refuse to go on when that line no longer
 * holds the event it held.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  encodeEvent,
  isSourceUnreadable,
  readNdjsonBatches,
  type DomainEvent,
  type NdjsonItem,
  type WireEvent,
} from '../src/internal.js';
import { arbitraryEvent } from '../../testing/src/events.js';
import { chunksAt, collect, rereadableAt, reverseKeys } from './support/streams.js';

const RUNS = Number(process.env['MSP_LAW_RUNS'] ?? 1000);

const decoded = (u: unknown): DomainEvent => {
  const r = decodeEvent(u);
  if (r._tag === 'Left') throw new Error(`${r.left.message} in ${JSON.stringify(u)}`);
  return r.right;
};

/** How the n-th line of a generated log is written. */
type LineKind = 'new' | 'same' | 'respelled' | 'other' | 'junk' | 'blank';

/**
 * Logs whose ids come again often: new events, identical repeats of earlier ones, repeats spelled
 * differently (keys reversed, defaults and UTC instants written out), other events under an earlier
 * id, junk and blank lines; CRLF or LF, a BOM or none, a final newline or none.
 */
const logs = fc
  .record({
    events: fc.uniqueArray(arbitraryEvent, { selector: (e) => e.id, minLength: 1, maxLength: 5 }),
    others: fc.array(arbitraryEvent, { minLength: 1, maxLength: 4 }),
    kinds: fc.array(
      fc.record({
        kind: fc.constantFrom<LineKind>('new', 'same', 'same', 'respelled', 'other', 'junk', 'blank'),
        pick: fc.nat(),
      }),
      { minLength: 3, maxLength: 30 },
    ),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ events, others, kinds, crlf, bom, finalNewline }) => {
    const written: WireEvent[] = [];
    const lines: string[] = [];
    let next = 0;
    for (const { kind, pick } of kinds) {
      const earlier = written[pick % Math.max(written.length, 1)];
      if (kind === 'new' || earlier === undefined) {
        const e = events[next % events.length] as WireEvent;
        next += 1;
        // Past the last generated event, a new line repeats the first ones: more repeats.
        written.push(e);
        lines.push(JSON.stringify(e));
      } else if (kind === 'same') lines.push(JSON.stringify(earlier));
      else if (kind === 'respelled') lines.push(JSON.stringify(reverseKeys(encodeEvent(decoded(earlier)))));
      else if (kind === 'other')
        lines.push(JSON.stringify({ ...others[pick % others.length], id: earlier.id }));
      else if (kind === 'junk') lines.push(`{"id":${JSON.stringify(earlier.id)},"type":`);
      else lines.push('');
    }
    const text = lines.join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');
    return Buffer.from((bom ? '\uFEFF' : '') + text, 'utf8');
  });

/** The ids whose first event a repeat was compared with: each first line is read again once. */
const idsComparedAgain = (items: readonly NdjsonItem[]): number =>
  new Set(
    items.flatMap((i) =>
      i.kind === 'duplicate'
        ? [i.eventId]
        : i.kind === 'invalid' && i.error._tag === 'EventIdReused'
          ? [i.error.eventId]
          : [],
    ),
  ).size;

describe('the id rule on a source that can read a line again', () => {
  it(`gives the items of the reader that fingerprints every event, reading each repeated id's first line once (${RUNS} runs)`, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(logs, fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }), async (bytes, cuts) => {
        const eager = await collect(chunksAt(bytes, cuts));
        const source = rereadableAt(bytes, cuts);
        expect(await collect(iterable(source))).toEqual(eager);
        expect(source.reads()).toBe(idsComparedAgain(eager));
        compared += source.reads();
      }),
      { numRuns: RUNS },
    );
    // The generator must make repeats, or the property above checks little.
    expect(compared).toBeGreaterThan(RUNS);
  });

  it('gives the same batches as the reader that fingerprints every event', async () => {
    await fc.assert(
      fc.asyncProperty(logs, fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }), async (bytes, cuts) => {
        const batches = async (source: AsyncIterable<Uint8Array>): Promise<NdjsonItem[][]> => {
          const out: NdjsonItem[][] = [];
          for await (const batch of readNdjsonBatches(source)) out.push([...batch]);
          return out;
        };
        const source = rereadableAt(bytes, cuts);
        expect(await batches(iterable(source))).toEqual(await batches(chunksAt(bytes, cuts)));
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('fingerprints every event when the fingerprint or the decoder is not the default one', async () => {
    const first = JSON.stringify(decodedWire('e-1', 'c-1'));
    const bytes = Buffer.from(`${first}\n${first}\n`);
    const custom = rereadableAt(bytes, []);
    expect(brief(await collect(iterable(custom), { fingerprint: (e) => e.type }))).toEqual([
      '1:event:e-1',
      '2:duplicate:e-1@1',
    ]);
    expect(custom.reads()).toBe(0);
    const decoder = rereadableAt(bytes, []);
    expect(brief(await collect(iterable(decoder), { decode: (u) => decodeEvent(u) }))).toEqual([
      '1:event:e-1',
      '2:duplicate:e-1@1',
    ]);
    expect(decoder.reads()).toBe(0);
  });

  it('reads a log delivered twice as its events, then a duplicate of each, reading each first line once', async () => {
    const once = ['e-1', 'e-2', 'e-3'].map((id, n) => JSON.stringify(decodedWire(id, `c-${n}`))).join('\r\n');
    const source = rereadableAt(Buffer.from(`\uFEFF${once}\r\n${once}\r\n`), [10, 200]);
    expect(brief(await collect(iterable(source)))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
      '3:event:e-3',
      '4:duplicate:e-1@1',
      '5:duplicate:e-2@2',
      '6:duplicate:e-3@3',
    ]);
    expect(source.reads()).toBe(3);
  });

  it('reads a long first line again across several reads', async () => {
    // Long through whitespace between members: a field's text is at most 10 000 characters.
    const padded = (contractId: string): string =>
      JSON.stringify(decodedWire('e-1', contractId)).replace(',', `,${' '.repeat(150_000)}`);
    const long = padded('c-1');
    const twice = rereadableAt(Buffer.from(`${long}\n${long}\n`), [70_000, 140_001]);
    expect(brief(await collect(iterable(twice)))).toEqual(['1:event:e-1', '2:duplicate:e-1@1']);
    const bytes = Buffer.from(`${long}\n${long}\n${padded('c-2')}\n`);
    const source = rereadableAt(bytes, [70_000, 140_001]);
    expect(brief(await collect(iterable(source)))).toEqual([
      '1:event:e-1',
      '2:duplicate:e-1@1',
      '3:invalid:event id "e-1" was already used on line 1 for a different event',
    ]);
    // 150 kB take several reads, made once: the third line compares with the fingerprint kept.
    expect(twice.reads()).toBeGreaterThan(1);
    expect(source.reads()).toBe(twice.reads());
  });
});

describe('a source that changed while it was read', () => {
  const first = JSON.stringify(decodedWire('e-1', 'c-1'));
  const bytes = Buffer.from(`${first}\n${JSON.stringify(decodedWire('e-2', 'c-1'))}\n${first}\n`);

  const refusal = async (again: Uint8Array): Promise<unknown> => {
    try {
      await collect(iterable(rereadableAt(bytes, [], again)));
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it.each([
    ['another event in its place', Buffer.from(`${JSON.stringify(decodedWire('e-9', 'c-1'))}\n`)],
    ['a line that is not JSON any more', Buffer.from('{"id":"e-1",\n')],
    ['nothing at all (the file was cut short)', Buffer.alloc(0)],
  ])('is refused when the first line of a repeated id holds %s', async (_, again) => {
    const err = await refusal(again);
    expect(isSourceUnreadable(err)).toBe(true);
    expect((err as { message: string }).message).toBe(
      'cannot read events from "memory": it changed while it was read (line 1 no longer holds event "e-1")',
    );
  });

  it('is not noticed when the line it reads again is unchanged, even if others changed', async () => {
    const again = Buffer.from(bytes);
    again.fill(0x20, first.length + 1, first.length + 10);
    expect(brief(await collect(iterable(rereadableAt(bytes, [], again))))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
      '3:duplicate:e-1@1',
    ]);
  });
});

function decodedWire(id: string, contractId: string): Record<string, unknown> {
  return { id, type: 'ProvisioningCompleted', occurredAt: '2026-10-05T09:00:00+02:00', data: { contractId } };
}

function iterable(chunks: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => chunks };
}

function brief(items: readonly NdjsonItem[]): string[] {
  return items.map((i) =>
    i.kind === 'event'
      ? `${i.line}:event:${i.event.id}`
      : i.kind === 'duplicate'
        ? `${i.line}:duplicate:${i.eventId}@${i.firstLine}`
        : `${i.line}:invalid:${i.error.message}`,
  );
}
