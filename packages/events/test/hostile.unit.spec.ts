/**
 * Hostile values a log may carry (issue #7): they are refused with a reason, never crash, and never
 * turn into something else. Each expectation names the path and the reason a finance user reads.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeEvent, readNdjson, type NdjsonItem } from '../src/index.js';

const rate = (hourlyRate: unknown, effectiveFrom: unknown = '2026-01-01T00:00:00Z') =>
  decodeEvent({
    id: 'e-1',
    type: 'HourlyRateSet',
    occurredAt: '2026-01-01T00:00:00Z',
    data: { rateCardId: 'rc', effectiveFrom, hourlyRate },
  });
const messageOf = (r: ReturnType<typeof decodeEvent>): string =>
  r._tag === 'Left' ? r.left.message : 'decoded';

describe('hostile values', () => {
  it('refuses timestamps in year 0 and in year 275760 (the end of JavaScript dates)', () => {
    expect(messageOf(rate('95', '0000-01-01T00:00:00Z'))).toBe(
      'data.effectiveFrom: year 0000 is outside 1970..9999 (got "0000-01-01T00:00:00Z")',
    );
    // Six-digit years are not RFC 3339 at all.
    expect(messageOf(rate('95', '+275760-09-13T00:00:00Z'))).toMatch(
      /^data\.effectiveFrom: expected an RFC 3339 timestamp with offset/,
    );
    expect(messageOf(rate('95', '275760-09-13T00:00:00Z'))).toMatch(
      /^data\.effectiveFrom: expected an RFC 3339 timestamp with offset/,
    );
  });

  it('refuses negative, NaN, infinite, exponent and over-precise money', () => {
    for (const bad of ['-95.00', 'NaN', 'Infinity', '1e3', '95.12345', '', ' 95', '0x5f']) {
      expect(messageOf(rate(bad))).toMatch(
        /^data\.hourlyRate: expected a decimal string ≥ 0 with at most 4 fraction digits/,
      );
    }
    for (const bad of [95, -1, null, Number.NaN])
      expect(messageOf(rate(bad))).toMatch(/^data\.hourlyRate: expected a string/);
    expect(messageOf(rate('9'.repeat(31)))).toMatch(/more than 30 characters/);
  });

  it('refuses numbers beyond the safe range and huge minutes', () => {
    const work = (minutes: unknown) =>
      decodeEvent({
        id: 'e-2',
        type: 'WorkLogged',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { workId: 'w', ticketId: 't', technician: 'x', startedAt: '2026-01-01T00:00:00Z', minutes },
      });
    for (const bad of [1e308, 2 ** 53 + 1, 1441, 0, 1.5, -3])
      expect(messageOf(work(bad))).toMatch(/^data\.minutes: expected an integer 1\.\.1440/);
  });

  it('reads a line of 10 000 nested arrays as one invalid event, and goes on', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const valid = JSON.stringify({
      id: 'e-3',
      type: 'AlertingDeactivated',
      occurredAt: '2026-01-01T00:00:00Z',
      data: { contractId: 'c' },
    });
    const items: NdjsonItem[] = [];
    for await (const item of readNdjson(Readable.from([`${deep}\n${valid}\n`]))) items.push(item);
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ['invalid', 1],
      ['event', 2],
    ]);
    expect(items[0]?.kind === 'invalid' ? items[0].error.message : '').toMatch(/expected an event object/);
  });
});
