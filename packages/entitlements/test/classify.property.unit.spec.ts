/**
 * `classify` with and without a trace: the untraced result is the traced one without its trace, and
 * the trace `explain` prints is pinned by a fixture.
 *
 * fixtures/traces.ndjson was recorded by fixtures/record.ts (fixed seed, every rule outcome at least
 * three times) with the pre-refactor classify.ts of commit 78fb68f832f0e320e544385bc2bb4bbb9dbfabe8,
 * the one that built a Step object with a facts closure per rule and call. Each line holds a case
 * (plain data, so the fixture does not depend on the generator) and the classification it gave.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { classify, type Classification } from '../src/index.js';
import { caseArb, inputOf, recorded } from './support/cases.js';

/** The result without its trace, as JSON (key order included: `explain` prints in that order). */
const verdict = (c: Classification): string => JSON.stringify({ ...c, trace: undefined });

describe('classify (spec §4) with and without a trace', () => {
  const cases = recorded();

  it('reproduces every recorded classification and trace byte for byte', () => {
    expect(cases.length).toBeGreaterThan(200);
    for (const r of cases) {
      const traced = classify(inputOf(r.case), { trace: true });
      expect(JSON.stringify(traced)).toBe(JSON.stringify(r.classification));
      expect(JSON.stringify(classify(inputOf(r.case)))).toBe(JSON.stringify(r.classification));
    }
  });

  it('gives the recorded classification without a trace when not tracing', () => {
    for (const r of cases) {
      const bare = classify(inputOf(r.case), { trace: false });
      expect(bare.trace).toEqual([]);
      expect(verdict(bare)).toBe(verdict(r.classification));
    }
  });

  it('PROPERTY: the untraced classification is the traced one without its trace', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const traced = classify(inputOf(c), { trace: true });
        const bare = classify(inputOf(c), { trace: false });
        expect(bare.trace).toEqual([]);
        expect(verdict(bare)).toBe(verdict(traced));
        // The trace ends with the rule that decided, or with rule 17 letting billable work through.
        const last = traced.trace.at(-1);
        const end =
          last?.outcome === 'decided' ? [last.status, last.note] : [last?.rule, 'billable', last?.note];
        expect(end).toEqual(
          last?.outcome === 'decided'
            ? [traced.status, traced.reason]
            : [17, traced.status, `rate ${traced.hourlyRate} in force`],
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
