/** The walker the JSON-output tests use finds what it should, and only that. */
import { describe, expect, it } from 'vitest';
import { instantProblems } from '../src/instants.js';

describe('instantProblems', () => {
  it('accepts RFC 3339 instants, small numbers, notes and null', () => {
    expect(
      instantProblems({
        startedAt: '2026-10-05T07:00:00.000Z',
        rateEffectiveFrom: '2026-01-01T00:00:00+01:00',
        scheduledFor: '(not scheduled)',
        at: null,
        minutes: 50,
        amount: '95.00',
        lines: [{ billedMinutes: 60, period: '2026-10' }],
      }),
    ).toEqual([]);
  });

  it('names every epoch-ms number and every instant key without RFC 3339 text, with its path', () => {
    expect(
      instantProblems({
        classification: { rateEffectiveFrom: 1790805600000 },
        refusal: { scheduledFor: '2026-10-08 08:00' },
        lines: [{ at: 5 }, { count: 1791183600000 }],
      }),
    ).toEqual([
      '$.classification.rateEffectiveFrom: 1790805600000 is not RFC 3339',
      '$.refusal.scheduledFor: "2026-10-08 08:00" is not RFC 3339',
      '$.lines[0].at: 5 is not RFC 3339',
      '$.lines[1].count: 1791183600000 looks like epoch milliseconds',
    ]);
  });
});
