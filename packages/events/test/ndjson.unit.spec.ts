/**
 * The streaming NDJSON reader: line numbers (blank lines, CRLF, no final newline), over-long lines
 * skipped without being buffered, the id rule of spec §2 (identical repeat → duplicate, other content
 * → invalid naming the first line), BOM, invalid UTF-8, NUL bytes, chunk boundaries anywhere.
 */
import { describe, expect, it } from 'vitest';
import {
  InstantC,
  Minutes,
  TicketId,
  WorkId,
  closed,
  createDecoder,
  decodeEvent,
  type NdjsonItem,
  type NdjsonOptions,
  type NdjsonStats,
} from '../src/internal.js';
import { collect } from './support/streams.js';

const line = (id: string, contractId = 'c-1', occurredAt = '2026-10-05T09:00:00+02:00'): string =>
  JSON.stringify({ id, type: 'ProvisioningCompleted', occurredAt, data: { contractId } });

async function* fromChunks(...chunks: Array<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  for (const c of chunks) yield c;
}

/** `bytes` in chunks of `size` bytes. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const read = (text: string, options?: NdjsonOptions): Promise<NdjsonItem[]> =>
  collect(fromChunks(Buffer.from(text, 'utf8')), options);

/** Items as `line:kind[:detail]` strings, easy to compare. */
const brief = (items: readonly NdjsonItem[]): string[] =>
  items.map((i) =>
    i.kind === 'event'
      ? `${i.line}:event:${i.event.id}`
      : i.kind === 'duplicate'
        ? `${i.line}:duplicate:${i.eventId}@${i.firstLine}`
        : `${i.line}:invalid:${i.error.message}`,
  );

/** A valid event line of exactly `bytes` bytes. */
const lineOfLength = (bytes: number): string => {
  const base = JSON.stringify({
    id: 'e-long',
    type: 'WorkLogVoided',
    occurredAt: '2026-10-05T09:00:00Z',
    data: { workId: 'w-1', reason: '' },
  });
  return base.replace('"reason":""', `"reason":"${'x'.repeat(bytes - base.length)}"`);
};

/** A v2 WorkLogged line (test-only catalog). */
const ev = (durationMinutes: number): string =>
  JSON.stringify({
    id: 'e-9',
    type: 'WorkLogged',
    schemaVersion: 2,
    occurredAt: '2026-10-05T09:00:00Z',
    data: { workId: 'w-1', ticketId: 't-1', startedAt: '2026-10-05T09:00:00Z', durationMinutes },
  });

describe('line numbers', () => {
  it('count every physical line: blank ones, whitespace-only ones and CRLF endings', async () => {
    const text = [
      `${line('e-1')}\r`,
      '\r',
      '',
      '   \t ',
      `${line('e-2')}\r`,
      'not json',
      `  ${line('e-3')}  `,
      line('e-4'),
    ].join('\n');
    const items = await read(text);
    expect(brief(items).map((s) => s.replace(/:invalid:.*/, ':invalid'))).toEqual([
      '1:event:e-1',
      '5:event:e-2',
      '6:invalid',
      '7:event:e-3',
      '8:event:e-4',
    ]);
  });

  it('do not invent a line after a final newline, and count a last line without one', async () => {
    const stats: NdjsonStats = { lines: 0, maxBufferedBytes: 0 };
    expect(brief(await read(`${line('e-1')}\n${line('e-2')}\n`, { stats }))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
    ]);
    expect(stats.lines).toBe(2);
    expect(brief(await read(`${line('e-1')}\n\n${line('e-2')}`))).toEqual(['1:event:e-1', '3:event:e-2']);
  });

  it('yield nothing for an empty or all-blank source', async () => {
    expect(await read('')).toEqual([]);
    expect(await read('\n\r\n  \n')).toEqual([]);
    expect(await collect(fromChunks())).toEqual([]);
  });

  it('do not depend on where the chunks split (inside a line, a CRLF, a multi-byte char)', async () => {
    const text = `${line('e-1', 'c-ü')}\r\n\r\n${line('e-2', 'c-€')}\r\n${line('e-3')}`;
    const bytes = Buffer.from(text, 'utf8');
    const whole = brief(await collect(fromChunks(bytes)));
    expect(whole).toEqual(['1:event:e-1', '3:event:e-2', '4:event:e-3']);
    for (let size = 1; size <= 7; size++) expect(brief(await collect(chunked(bytes, size)))).toEqual(whole);
  });

  it('do not depend on a source keeping a chunk intact after the next one is asked for', async () => {
    const bytes = Buffer.from(`${line('e-1')}\n${line('e-2')}\n`);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      const buf = new Uint8Array(16); // one buffer, overwritten for every chunk
      for (let i = 0; i < bytes.length; i += 16) {
        const piece = bytes.subarray(i, i + 16);
        buf.set(piece);
        yield buf.subarray(0, piece.length);
      }
    }
    expect(brief(await collect(reusing()))).toEqual(['1:event:e-1', '2:event:e-2']);
  });

  it('accept string chunks', async () => {
    const items = await collect(
      fromChunks(`${line('e-1')}\n${line('e-2').slice(0, 10)}`, line('e-2').slice(10)),
    );
    expect(brief(items)).toEqual(['1:event:e-1', '2:event:e-2']);
  });
});

describe('over-long lines', () => {
  const MiB = 1_048_576;

  it('accept a line of exactly maxLineBytes (with or without CR) and refuse one byte more', async () => {
    expect(Buffer.byteLength(lineOfLength(300))).toBe(300);
    const opts = { maxLineBytes: 300 };
    expect(brief(await read(`${lineOfLength(300)}\n`, opts))).toEqual(['1:event:e-long']);
    expect(brief(await read(`${lineOfLength(300)}\r\n`, opts))).toEqual(['1:event:e-long']);
    expect(brief(await read(`${lineOfLength(301)}\n`, opts))).toEqual([
      '1:invalid:line is longer than 300 bytes',
    ]);
    // The same, when the line arrives split over many chunks.
    const split = async (text: string) =>
      brief(await collect(chunked(Buffer.from(text), 7), opts)).map((s) => s.replace('e-long', 'ok'));
    expect(await split(`${lineOfLength(300)}\r\n`)).toEqual(['1:event:ok']);
    // A BOM at the start does not count against the first line.
    expect(await split(`\uFEFF${lineOfLength(300)}\r\n`)).toEqual(['1:event:ok']);
    expect(brief(await read(`\uFEFF${lineOfLength(300)}\n`, opts))).toEqual(['1:event:e-long']);
    expect(await split(`${lineOfLength(301)}\r\n${line('e-2')}`)).toEqual([
      '1:invalid:line is longer than 300 bytes',
      '2:event:e-2',
    ]);
  });

  it('refuse a 5 MiB line without buffering it, and go on with the next line', async () => {
    const stats: NdjsonStats = { lines: 0, maxBufferedBytes: 0 };
    const text = `${line('e-1')}\n{"id":"e-2","pad":"${'x'.repeat(5 * MiB)}"}\n${line('e-3')}\n`;
    const items = await collect(chunked(Buffer.from(text), 64 * 1024), { stats });
    expect(brief(items)).toEqual([
      '1:event:e-1',
      '2:invalid:line is longer than 1048576 bytes',
      '3:event:e-3',
    ]);
    // It held at most the limit (plus one byte for a CR) of the long line, never all 5 MiB of it.
    expect(stats.maxBufferedBytes).toBeLessThanOrEqual(MiB + 1);
    expect(stats.lines).toBe(3);
  });

  it('refuse a 5 MiB line that arrives in one chunk', async () => {
    const text = `{"pad":"${'x'.repeat(5 * MiB)}"}\n${line('e-2')}`;
    expect(brief(await read(text))).toEqual(['1:invalid:line is longer than 1048576 bytes', '2:event:e-2']);
  });

  it('stream over a 1 GiB line in bounded memory', async () => {
    const stats: NdjsonStats = { lines: 0, maxBufferedBytes: 0 };
    const chunk = new Uint8Array(1 << 20).fill(0x78); // one reused 1 MiB chunk of "x"
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    async function* huge(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${line('e-1')}\n{"pad":"`);
      for (let i = 0; i < 1024; i++) {
        yield chunk;
        if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      }
      yield Buffer.from(`"}\n${line('e-2')}\n`);
    }
    const items = await collect(huge(), { stats });
    expect(brief(items)).toEqual([
      '1:event:e-1',
      '2:invalid:line is longer than 1048576 bytes',
      '3:event:e-2',
    ]);
    expect(stats.maxBufferedBytes).toBeLessThanOrEqual(MiB + 1);
    // Loose: a reader that kept the line would have grown by a gigabyte.
    expect(peak - before).toBeLessThan(64 * MiB);
  });

  it('refuse a bad maxLineBytes', async () => {
    await expect(read('', { maxLineBytes: 0 })).rejects.toThrow(RangeError);
  });
});

describe('the id rule (spec §2)', () => {
  it('reports an identical repeat as a duplicate of the first line', async () => {
    const items = await read(`${line('e-1')}\n${line('e-2')}\n${line('e-1')}\n`);
    expect(brief(items)).toEqual(['1:event:e-1', '2:event:e-2', '3:duplicate:e-1@1']);
  });

  it('sees the same fact through key order, offset notation and spelled-out defaults', async () => {
    const first = {
      id: 'e-1',
      type: 'MSPBooked',
      occurredAt: '2026-10-01T00:00:00+02:00',
      data: { contractId: 'c-1', customerId: 'cust-1', vmId: 'vm-1', sla: 'Basic', rateCardId: 'rc-1' },
    };
    const again = {
      data: {
        timeZone: 'Europe/Berlin',
        rateCardId: 'rc-1',
        sla: 'Basic',
        vatRatePercent: '19',
        vmId: 'vm-1',
        customerId: 'cust-1',
        contractId: 'c-1',
      },
      occurredAt: '2026-09-30T22:00:00.000Z',
      schemaVersion: 1,
      type: 'MSPBooked',
      id: 'e-1',
    };
    const items = await read(`${JSON.stringify(first)}\n${JSON.stringify(again)}\n`);
    expect(brief(items)).toEqual(['1:event:e-1', '2:duplicate:e-1@1']);
  });

  it('refuses the same id with other content, naming the first line', async () => {
    const items = await read(
      [
        line('e-1'),
        '',
        line('e-1', 'c-2'),
        line('e-1', 'c-1', '2026-10-05T09:00:01+02:00'),
        line('e-1'),
      ].join('\n'),
    );
    const reason = 'event id "e-1" was already used on line 1 for a different event';
    expect(brief(items)).toEqual([
      '1:event:e-1',
      `3:invalid:${reason}`,
      `4:invalid:${reason}`,
      '5:duplicate:e-1@1',
    ]);
    const err = items[1];
    expect(err?.kind === 'invalid' && err.error).toEqual({
      _tag: 'EventIdReused',
      reason,
      message: reason,
      eventId: 'e-1',
    });
  });

  it('lets an id of an invalid event be used by a later valid one', async () => {
    const bad = JSON.stringify({ id: 'e-1', type: 'ProvisioningCompleted', occurredAt: 'now', data: {} });
    expect(brief(await read(`${bad}\n${line('e-1')}\n`)).map((s) => s.slice(0, 12))).toEqual([
      '1:invalid:oc',
      '2:event:e-1',
    ]);
  });

  it('can be switched off', async () => {
    const items = await read(`${line('e-1')}\n${line('e-1')}\n${line('e-1', 'c-2')}\n`, { dedupe: false });
    expect(brief(items)).toEqual(['1:event:e-1', '2:event:e-1', '3:event:e-1']);
  });

  it('tells events of a newer catalog apart by every decoded field, not only the v1 ones', async () => {
    const v2 = createDecoder({
      catalog: {
        WorkLogged: {
          version: 2,
          codec: closed('WorkLogged', {
            workId: WorkId,
            ticketId: TicketId,
            startedAt: InstantC,
            durationMinutes: Minutes,
          }),
        },
      },
    });
    const items = await read(`${ev(30)}\n${ev(30)}\n${ev(45)}\n`, { decode: v2 });
    expect(brief(items)).toEqual([
      '1:event:e-9',
      '2:duplicate:e-9@1',
      '3:invalid:event id "e-9" was already used on line 1 for a different event',
    ]);
  });
});

describe('encoding and bytes', () => {
  it('ignores a UTF-8 BOM at the very start, even split over chunks', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = Buffer.from(`${line('e-1')}\n${line('e-2')}\n`);
    expect(brief(await collect(fromChunks(Buffer.concat([bom, body]))))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
    ]);
    expect(brief(await collect(fromChunks(bom.subarray(0, 1), bom.subarray(1), body)))).toEqual([
      '1:event:e-1',
      '2:event:e-2',
    ]);
  });

  it('refuses a BOM anywhere else', async () => {
    const items = await read(`${line('e-1')}\n\uFEFF${line('e-2')}\n`);
    expect(items[1]?.kind).toBe('invalid');
    expect(items[1]?.line).toBe(2);
    expect(items[1]?.kind === 'invalid' && items[1].error._tag).toBe('InvalidJson');
  });

  it('refuses invalid UTF-8 and goes on', async () => {
    const bad = Buffer.concat([
      Buffer.from(
        '{"id":"e-1","type":"ProvisioningCompleted","occurredAt":"2026-10-05T09:00:00Z","data":{"contractId":"c-',
      ),
      Buffer.from([0xc3, 0x28]), // a lead byte followed by a non-continuation byte
      Buffer.from('"}}\n'),
    ]);
    const overlong = Buffer.from([0x7b, 0xc0, 0xaf, 0x7d, 0x0a]); // "{" overlong "/" "}"
    const surrogate = Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22, 0x0a]); // UTF-8 of a lone surrogate
    const items = await collect(fromChunks(bad, overlong, surrogate, `${line('e-2')}\n`));
    expect(brief(items)).toEqual([
      '1:invalid:invalid UTF-8',
      '2:invalid:invalid UTF-8',
      '3:invalid:invalid UTF-8',
      '4:event:e-2',
    ]);
  });

  it('refuses NUL bytes outside and raw inside strings, accepts an escaped one', async () => {
    const raw = line('e-2').replace('c-1', 'c-\u0000');
    const escaped = JSON.stringify({
      id: 'e-\u0000',
      type: 'ProvisioningCompleted',
      occurredAt: '2026-10-05T09:00:00Z',
      data: { contractId: 'c-1' },
    });
    expect(escaped).toContain('\\u0000');
    const items = await read(`\u0000\n${raw}\n${escaped}\n${line('e-1')}\u0000\n`);
    expect(items.map((i) => `${i.line}:${i.kind}`)).toEqual([
      '1:invalid',
      '2:invalid',
      '3:event',
      '4:invalid',
    ]);
    const reasons = items.flatMap((i) => (i.kind === 'invalid' ? [i.error.reason.slice(0, 14)] : []));
    expect(reasons).toEqual(['invalid JSON: ', 'invalid JSON: ', 'invalid JSON: ']);
    expect(items[2]?.kind === 'event' && items[2].event.id).toBe('e-\u0000');
  });

  it('gives a short one-line JSON reason', async () => {
    const items = await read(`{"id": "e-1", ${'"a\\r": 1, '.repeat(10_000)}\n`);
    expect(items).toHaveLength(1);
    const err = items[0]?.kind === 'invalid' ? items[0].error : undefined;
    expect(err?._tag).toBe('InvalidJson');
    expect(err?.reason.startsWith('invalid JSON: ')).toBe(true);
    expect(err?.reason.length).toBeLessThanOrEqual(140);
    expect(err?.reason).not.toMatch(/[\r\n]/);
  });

  it('reports a custom decoder that throws as an invalid line, and goes on', async () => {
    let calls = 0;
    const flaky = (u: unknown) => {
      calls += 1;
      if (calls === 1) throw new Error('boom\nsecond line');
      return decodeEvent(u);
    };
    const items = await read(`${line('e-1')}\n${line('e-2')}\n`, { decode: flaky });
    expect(brief(items)).toEqual(['1:invalid:decoder failed: boom second line', '2:event:e-2']);
  });

  it('passes decode errors through with their path', async () => {
    const items = await read(`${line('e-1').replace('"contractId"', '"contractID"')}\n`);
    expect(items).toEqual([
      {
        kind: 'invalid',
        line: 1,
        error: {
          _tag: 'DecodeError',
          path: 'data.contractId',
          reason: 'required field is missing',
          eventId: 'e-1',
          message: 'data.contractId: required field is missing; data.contractID: unknown field',
          problems: [
            { path: 'data.contractId', reason: 'required field is missing' },
            { path: 'data.contractID', reason: 'unknown field' },
          ],
        },
      },
    ]);
  });
});
