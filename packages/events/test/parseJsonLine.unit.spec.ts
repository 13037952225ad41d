/**
 * The readers' parser takes a short event id at the start of a line out of the text before
 * JSON.parse sees it (src/ndjson.ts, parseJsonLine). Whatever the line, it must give what JSON.parse
 * gives — the same values, the same keys — or throw JSON.parse's own error: checked on lines built
 * around the fast path's edges (ids of every length near the 10-character bound, quotes, escapes,
 * control characters, what follows the id) and on arbitrary JSON.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../src/ndjson.js';

const RUNS = 3000;

type Outcome = { readonly value: unknown; readonly keys: string } | { readonly error: string };

const outcome = (parse: (text: string) => unknown, text: string): Outcome => {
  try {
    const value = parse(text);
    const keys =
      typeof value === 'object' && value !== null ? JSON.stringify(Object.keys(value).toSorted()) : '';
    return { value, keys };
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
);

/** The rest of a well-formed object after the id: other members, maybe another "id". */
const members = fc.dictionary(
  fc.oneof(fc.constantFrom('id', 'type', 'data', '__proto__', 'constructor'), fc.string({ maxLength: 4 })),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 4 },
);

describe('parseJsonLine', () => {
  it(`gives what JSON.parse gives, or throws its error, on lines that start like an event's (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        idText,
        fc.oneof(
          // A well-formed rest: `,"key":…}` or `}`.
          members.map((m) => {
            const body = JSON.stringify(m).slice(1);
            return body === '}' ? '}' : `,${body}`;
          }),
          // Well-formed members after something that may not be a comma: a rest that would parse
          // on its own after a line that does not.
          fc
            .tuple(fc.constantFrom(',', '}', ':', ' ', '', ',,', '"'), members)
            .map(([sep, m]) => `${sep}${JSON.stringify(m).slice(1)}`),
          // A rest of JSON-ish characters, valid or not.
          fc.string({ unit: jsonish, maxLength: 12 }),
        ),
        fc.boolean(),
        (id, rest, quoted) => {
          sameAsJsonParse(`{"id":"${id}"${rest}`);
          // The id written as JSON writes it (escapes included).
          if (quoted) sameAsJsonParse(`{"id":${JSON.stringify(id)}${rest}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`gives what JSON.parse gives on arbitrary JSON text (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), (text) => {
        sameAsJsonParse(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('handles the edges of the fast path as JSON.parse does', () => {
    const lines = [
      '{"id":"e-1","type":"T"}',
      '{"id":"0123456789","type":"T"}', // 10 characters: the fast path
      '{"id":"0123456789A","type":"T"}', // 11: parsed whole
      '{"id":"e-1"}',
      '{"id":"e-1",}',
      '{"id":"e-1", "type":"T"}',
      '{"id":"e-1","id":"e-2"}',
      '{"id":"e-1","type":"T"} trailing',
      '{"id":"e-1"}"type":"T"}', // not a comma after the id, yet the rest would parse
      '{"id":"e-1":"type":"T"}',
      '{"id":"e-1" "type":"T"}',
      '{"id":"e-1","__proto__":{"x":1}}',
      '{"id":"a\\"b","type":"T"}',
      '{"id":"a\u0001b","type":"T"}',
      '{"id":"","type":"T"}',
      '{"id":"e-1","type":',
      '{"id":"e-1',
      '{"id":"',
    ];
    for (const line of lines) sameAsJsonParse(line);
    // The id comes back as a value, and a later "id" wins as in JSON.parse.
    expect(parseJsonLine('{"id":"e-1","type":"T"}')).toEqual({ id: 'e-1', type: 'T' });
    expect(parseJsonLine('{"id":"e-1","id":"e-2"}')).toEqual({ id: 'e-2' });
  });
});
