/**
 * Spec §2's id rule on logs whose ids come again often: an identical repeat of an event (however it
 * is spelled) is a duplicate of its first line, the same id with other content is invalid. The reader
 * keeps a fingerprint per id, never the earlier lines; its items are checked here against a model
 * that keeps every first event and compares canonicalEvent texts.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEvent,
  decodeEvent,
  encodeEvent,
  type DomainEvent,
  type NdjsonItem,
  type WireEvent,
} from '../src/internal.js';
import { arbitraryEvent } from '../../testing/src/events.js';
import { chunksAt, collect, reverseKeys } from './support/streams.js';

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

/**
 * What the id rule makes of `bytes`, worked out line by line without the reader: each first event
 * of an id is kept whole, and a repeat is a duplicate exactly when its canonicalEvent text is the
 * first one's. Lines that do not decode are refused (their reason is the reader's business here).
 */
const model = (bytes: Uint8Array): string[] => {
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const first = new Map<string, { line: number; canonical: string }>();
  const out: string[] = [];
  text.split('\n').forEach((raw, n) => {
    const line = n + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      out.push(`${line}:invalid`);
      return;
    }
    const r = decodeEvent(parsed);
    if (r._tag === 'Left') {
      out.push(`${line}:invalid`);
      return;
    }
    const canonical = canonicalEvent(r.right);
    const seen = first.get(r.right.id);
    if (seen === undefined) {
      first.set(r.right.id, { line, canonical });
      out.push(`${line}:event:${r.right.id}`);
    } else if (seen.canonical === canonical) out.push(`${line}:duplicate:${r.right.id}@${seen.line}`);
    else out.push(`${line}:reused:${r.right.id}@${seen.line}`);
  });
  return out;
};

/** Items in the model's terms. */
const modelled = (items: readonly NdjsonItem[]): string[] =>
  items.map((i) =>
    i.kind === 'event'
      ? `${i.line}:event:${i.event.id}`
      : i.kind === 'duplicate'
        ? `${i.line}:duplicate:${i.eventId}@${i.firstLine}`
        : i.error._tag === 'EventIdReused'
          ? `${i.line}:reused:${i.error.eventId}@${/line (\d+)/.exec(i.error.reason)?.[1]}`
          : `${i.line}:invalid`,
  );

describe('the id rule on logs whose ids come again', () => {
  it(`gives each line the item the model gives it, however the log is cut (${RUNS} runs)`, async () => {
    let repeats = 0;
    await fc.assert(
      fc.asyncProperty(logs, fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }), async (bytes, cuts) => {
        const items = modelled(await collect(chunksAt(bytes, cuts)));
        expect(items).toEqual(model(bytes));
        repeats += items.filter((i) => i.includes(':duplicate:') || i.includes(':reused:')).length;
      }),
      { numRuns: RUNS },
    );
    // The generator must make repeats, or the property above checks little.
    expect(repeats).toBeGreaterThan(RUNS);
  });

  it('reads a log delivered twice as its events, then a duplicate of each', async () => {
    const once = ['e-1', 'e-2', 'e-3'].map((id, n) => JSON.stringify(decodedWire(id, `c-${n}`))).join('\r\n');
    const source = chunksAt(Buffer.from(`\uFEFF${once}\r\n${once}\r\n`), [10, 200]);
    expect(brief(await collect(source))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
      '3:event:e-3',
      '4:duplicate:e-1@1',
      '5:duplicate:e-2@2',
      '6:duplicate:e-3@3',
    ]);
  });

  it('compares a long line with its repeat across chunks', async () => {
    // Long through whitespace between members: a field's text is at most 10 000 characters.
    const padded = (contractId: string): string =>
      JSON.stringify(decodedWire('e-1', contractId)).replace(',', `,${' '.repeat(150_000)}`);
    const long = padded('c-1');
    const bytes = Buffer.from(`${long}\n${long}\n${padded('c-2')}\n`);
    expect(brief(await collect(chunksAt(bytes, [70_000, 140_001])))).toEqual([
      '1:event:e-1',
      '2:duplicate:e-1@1',
      '3:invalid:event id "e-1" was already used on line 1 for a different event',
    ]);
  });
});

function decodedWire(id: string, contractId: string): Record<string, unknown> {
  return { id, type: 'ProvisioningCompleted', occurredAt: '2026-10-05T09:00:00+02:00', data: { contractId } };
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
