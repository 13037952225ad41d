/**
 * The readers' parser makes the short ids at the start of an event outside JSON.parse (src/storage/jsonLine.ts,
 * parseJsonLine). Whatever the line, it must give what JSON.parse gives — the same values, the same
 * keys in the same order — or throw JSON.parse's own error: checked on lines built around the fast
 * path's edges (ids of every length near the 10-character bound, quotes, escapes, control characters,
 * duplicate keys, `null` elsewhere, broken separators) and on arbitrary JSON. A spy on JSON.parse
 * checks that the fast path is taken where it should be.
 */
import * as fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJsonLine } from '../src/storage/jsonLine.js';

const RUNS = 3000;

type Outcome = { readonly value: unknown; readonly text: string } | { readonly error: string };

const outcome = (parse: (text: string) => unknown, text: string): Outcome => {
  try {
    const value = parse(text);
    // JSON.stringify writes own keys in order: equal texts mean the same keys in the same order.
    return { value, text: JSON.stringify(value) };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
};

const sameAsJsonParse = (text: string): void => {
  expect(outcome(parseJsonLine, text)).toEqual(outcome(JSON.parse, text));
};

/** Characters that make or break JSON around an id. */
const jsonish = fc.constantFrom('"', '\\', ',', ':', '{', '}', ' ', 'a', '1', '\u0000', '\n', 'é', 'u');

/** An id's characters: mostly plain, sometimes a quote, a backslash or a control character. */
const idText = fc.oneof(
  fc.string({ unit: fc.constantFrom('e', '-', '1', 'x', 'é', '😀'), maxLength: 13 }),
  fc.string({ unit: jsonish, maxLength: 12 }),
  fc.constantFrom('null', 'n', 'nul'),
);

/** A string literal: as it is (maybe broken) or as JSON writes it (escapes included). */
const literal = fc.oneof(
  { weight: 3, arbitrary: idText.map((s) => `"${s}"`) },
  { weight: 1, arbitrary: idText.map((s) => JSON.stringify(s)) },
);

/** A value: mostly a string literal, sometimes any JSON value, `null` or a broken token. */
const value = fc.oneof(
  { weight: 6, arbitrary: literal },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('null', '{}', '', '"', '1 2') },
);

/** Keys that matter to the fast path, and others. */
const key = fc.oneof(
  fc.constantFrom('id', 'type', 'occurredAt', 'data', 'workId', 'ticketId', 'alertId', '__proto__', '1', ''),
  fc.string({ maxLength: 4 }),
);

const member = fc.tuple(key, value).map(([k, v]) => `${JSON.stringify(k)}:${v}`);

/** What separates members: almost always a comma. */
const separator = fc.oneof(
  { weight: 8, arbitrary: fc.constant(',') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', ',,', ':', '}') },
);

const members = (max: number) =>
  fc
    .array(fc.tuple(separator, member), { maxLength: max })
    .map((ms) => ms.map(([s, m]) => `${s}${m}`).join(''));

/** The rest of a well-formed object, maybe with a later "id" or "data", or junk. */
const rest = fc.oneof(
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('id', 'data', 'workId', '__proto__'), fc.string({ maxLength: 3 })),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    )
    .map((m) => {
      const body = JSON.stringify(m).slice(1);
      return body === '}' ? '}' : `,${body}`;
    }),
  fc.string({ unit: jsonish, maxLength: 8 }),
  fc.constantFrom('}', '}}', ''),
);

/** A line shaped like an event: the id, envelope members, `"data":{` and its members, the rest. */
const eventLike = fc
  .tuple(
    literal,
    members(3),
    fc.boolean(),
    fc.array(member, { maxLength: 3 }),
    separator,
    fc.constantFrom('}', '},', '', '}}'),
    rest,
  )
  .map(
    ([id, envelope, withData, dataMembers, sep, close, tail]) =>
      `{"id":${id}${envelope}${withData ? `${sep}"data":{${dataMembers.join(',')}${close}` : ''}${tail}`,
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseJsonLine', () => {
  it(`gives what JSON.parse gives, key order included, or throws its error, on event-like lines (${RUNS} runs)`, () => {
    fc.assert(fc.property(eventLike, sameAsJsonParse), { numRuns: RUNS });
  });

  it(`gives what JSON.parse gives on arbitrary JSON text (${RUNS} runs)`, () => {
    fc.assert(fc.property(fc.json({ maxDepth: 3 }), sameAsJsonParse), { numRuns: RUNS });
  });

  it(`gives what JSON.parse gives on arbitrary objects that start with an id (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(idText, fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), (id, o) => {
        const body = JSON.stringify(o).slice(1);
        sameAsJsonParse(`{"id":${JSON.stringify(id)}${body === '}' ? '}' : `,${body}`}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('handles the edges of the fast path as JSON.parse does', () => {
    const envelope = '"type":"WorkLogged","occurredAt":"2026-10-01T09:00:00Z"';
    const lines = [
      '{"id":"e-1","type":"T"}',
      '{"id":"0123456789","type":"T"}', // 10 characters: the fast path
      '{"id":"0123456789A","type":"T"}', // 11: parsed as it is
      '{"id":"e-1"}',
      '{"id":"e-1",}',
      '{"id":"e-1", "type":"T"}',
      '{"id":"e-1","id":"e-2"}',
      '{"id":"e-1","type":"T"} trailing',
      '{"id":"e-1"}"type":"T"}',
      '{"id":"e-1":"type":"T"}',
      '{"id":"e-1" "type":"T"}',
      '{"id":"e-1","__proto__":{"x":1}}',
      '{"id":"a\\"b","type":"T"}',
      '{"id":"a\u0001b","type":"T"}',
      '{"id":"","type":"T"}',
      '{"id":"e-1","type":',
      '{"id":"e-1',
      '{"id":"',
      `{"id":"e-1",${envelope},"data":{"workId":"W-1","ticketId":"T-1","minutes":5}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-1","workId":"W-2"}}`, // the later wins
      `{"id":"e-1",${envelope},"data":{"workId":"W-1"},"data":{"workId":"W-2"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-1"},"data":{"ticketId":"T-2"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-1"},"data":5}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-1","x":null}}`, // null elsewhere: parsed as it is
      `{"id":"e-1",${envelope},"data":{"workId":"W-1","x":"null"}}`,
      `{"id":"e-1",${envelope},"data":{"__proto__":"W-1","ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"1":"W-1","0":"T-1"}}`, // integer keys come first
      `{"id":"e-1",${envelope},"data":{"workId":"W-1","ticketId":"T-1"}`, // unterminated
      `{"id":"e-1",${envelope},"data":{"workId":"W-1" ,"ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-1":"ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":W-1,"ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W\\u002d1","ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"work\\u0049d":"W-1","ticketId":"T-1"}}`,
      `{"id":"e-1",${envelope},"data":{"workId":"W-\u00011","ticketId":"T-1"}}`,
      `{"id":"e-1","type":"T","occurredAt":1,"data":{"workId":"W-1"}}`,
    ];
    for (const line of lines) sameAsJsonParse(line);
    expect(parseJsonLine('{"id":"e-1","type":"T"}')).toEqual({ id: 'e-1', type: 'T' });
    expect(parseJsonLine('{"id":"e-1","id":"e-2"}')).toEqual({ id: 'e-2' });
    expect(parseJsonLine(`{"id":"e-1",${envelope},"data":{"workId":"W-1"},"data":{"workId":"W-2"}}`)).toEqual(
      {
        id: 'e-1',
        type: 'WorkLogged',
        occurredAt: '2026-10-01T09:00:00Z',
        data: { workId: 'W-2' },
      },
    );
  });

  it('reads back only own members, whatever a polluted prototype lends', () => {
    const envelope = '"type":"WorkLogged","occurredAt":"2026-10-01T09:00:00Z"';
    const proto = Object.prototype as Record<string, unknown>;
    const ids = ['workId', 'ticketId', 'alertId'] as const;
    try {
      for (const id of ids)
        Object.defineProperty(proto, id, { value: null, configurable: true, writable: true });
      for (const id of ids) {
        sameAsJsonParse(`{"id":"e-1",${envelope},"data":{"${id}":"X-1"},"data":{"x":1}}`);
        sameAsJsonParse(
          `{"id":"e-1",${envelope},"data":{"workId":"W-1","${id}":"X-1"},"data":{"ticketId":"T-2"}}`,
        );
      }
    } finally {
      for (const id of ids) delete proto[id];
    }
    for (const id of ids) expect(Object.hasOwn(proto, id)).toBe(false);
  });

  it('hands JSON.parse the line with its short ids replaced, and only those', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const envelope = '"type":"WorkLogged","occurredAt":"2026-10-01T09:00:00Z"';
    const line = `{"id":"e-1",${envelope},"data":{"workId":"W-1","ticketId":"T-1","technician":"k.o","minutes":5}}`;
    expect(parseJsonLine(line)).toEqual(JSON.parse(line));
    expect(parse.mock.calls[0]?.[0]).toBe(
      `{"id":null,${envelope},"data":{"workId":null,"ticketId":null,"technician":"k.o","minutes":5}}`,
    );
    parse.mockClear();
    // An id longer than 10 characters stays; so does a data member that is not a plain string.
    parseJsonLine(`{"id":"e-1234567890",${envelope},"data":{"minutes":5,"workId":"W-1"}}`);
    expect(parse.mock.calls[0]?.[0]).toBe(
      `{"id":"e-1234567890",${envelope},"data":{"minutes":5,"workId":"W-1"}}`,
    );
    parse.mockClear();
    parseJsonLine(`{"id":"e-1",${envelope},"data":{"workId":"W-12345678901","ticketId":"T-1"}}`);
    expect(parse.mock.calls[0]?.[0]).toBe(
      `{"id":null,${envelope},"data":{"workId":"W-12345678901","ticketId":null}}`,
    );
  });
});
