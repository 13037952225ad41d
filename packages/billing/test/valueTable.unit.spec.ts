/**
 * ValueTable (valueTable.ts) numbers the values of the Ledger's 4-byte columns: every number reads
 * back the value it was given for, equal values share a number while lookups are remembered, and
 * past the lookup limit new values still get numbers of their own.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueTable } from '../src/valueTable.js';

const numRuns = Number(process.env['MSP_LAW_RUNS'] ?? 300);

describe('ValueTable', () => {
  it('reads back every value by its number, 0 being undefined, below and past its lookup limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '', 'é'), { nil: undefined }), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 8 }),
        (values, limit) => {
          const table = new ValueTable<string>(limit);
          const given = values.map((v) => table.numberOf(v));
          values.forEach((v, k) => {
            expect(table.valueOf(given[k] as number)).toBe(v);
            expect(given[k] === 0).toBe(v === undefined);
          });
          // Equal values share a number exactly when the first of them was numbered under the limit.
          const firsts = [...new Set(values.filter((v) => v !== undefined))];
          firsts.forEach((v, rank) => {
            const numbers = new Set(given.filter((_, k) => values[k] === v));
            expect(numbers.size === 1).toBe(rank < limit || values.filter((w) => w === v).length === 1);
          });
        },
      ),
      { numRuns },
    );
  });

  it('numbers objects by identity', () => {
    const table = new ValueTable<{ readonly name: string }>();
    const a = { name: 'x' };
    const b = { name: 'x' };
    expect(table.numberOf(a)).toBe(table.numberOf(a));
    expect(table.numberOf(b)).not.toBe(table.numberOf(a));
    expect(table.valueOf(table.numberOf(b))).toBe(b);
  });
});
