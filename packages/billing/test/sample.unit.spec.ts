/**
 * The worked sample of examples/data (a Premium contract over August–October 2026, worked by hand
 * in its README) reproduced exactly: the ledger and both invoices. The expected files list the fields
 * that carry the results; every field they list must match, and the required fields they omit
 * (`startedAt`, `reason`) must be present.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { foldNdjson, type Invoice } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const samples = resolve(here, '../../../examples/data');
/** Where the sample was first written down, beside the repository on the maintainers' machines only. */
const upstream = resolve(here, '../../../../shared/samples');
const SAMPLE_FILES = [
  'example-month.ndjson',
  'example-month.ledger.json',
  'example-month.invoice-2026-09.json',
  'example-month.invoice-2026-10.json',
];
const load = (name: string): unknown => JSON.parse(readFileSync(resolve(samples, name), 'utf8'));
const fold = () => foldNdjson(createReadStream(resolve(samples, 'example-month.ndjson')));

const invoiceOf = async (period: string): Promise<Invoice> => {
  const { ledger } = await fold();
  const r = ledger.invoice('msp-4711', period);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** Every key of `expected` matches in `actual` (recursively for arrays of objects). */
const expectSubset = (actual: unknown, expected: unknown): void => {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((x, i) => expectSubset((actual as unknown[])[i], x));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [k, v] of Object.entries(expected)) {
      expect(actual, `field ${k}`).toHaveProperty(k);
      expectSubset((actual as Record<string, unknown>)[k], v);
    }
  } else {
    expect(actual).toEqual(expected);
  }
};

describe('the worked sample (examples/data)', () => {
  it('reads the log with no invalid events', async () => {
    const { ledger, stats } = await fold();
    expect(stats).toMatchObject({ events: 27, duplicates: 0, invalid: 0 });
    expect(ledger.invalidEvents()).toEqual([]);
  });

  it('reproduces the ledger', async () => {
    const { ledger } = await fold();
    const entries = ledger.entries();
    expectSubset(entries, load('example-month.ledger.json'));
    for (const e of entries) expect(e.reason.length).toBeGreaterThan(0);
  });

  it('reproduces the issued September invoice', async () => {
    const invoice = await invoiceOf('2026-09');
    expectSubset(invoice, load('example-month.invoice-2026-09.json'));
    // W-2 started 2026-09-03T14:00+02:00 = 12:00Z.
    expect(invoice.lines[0]?.startedAt).toBe('2026-09-03T12:00:00.000Z');
    expect(invoice.held[0]?.reason).toMatch(/dev@acme.example/);
  });

  it('reproduces the October draft with late work, reversal and correction', async () => {
    const invoice = await invoiceOf('2026-10');
    expectSubset(invoice, load('example-month.invoice-2026-10.json'));
    // 60.00 − 270.00 + 210.00 + 31.25 = 31.25; VAT 31.25 × 0.19 = 5.9375 → 5.94; gross 37.19.
    expect([invoice.net, invoice.vat, invoice.gross]).toEqual(['31.25', '5.94', '37.19']);
  });

  // A cross-check that exists only where the upstream copy does; the tests above never need it.
  if (existsSync(upstream))
    it('is the same sample as the upstream copy beside the repository', () => {
      for (const name of SAMPLE_FILES) {
        const ours = readFileSync(resolve(samples, name), 'utf8');
        const theirs = readFileSync(resolve(upstream, name), 'utf8');
        if (name.endsWith('.json')) expect(JSON.parse(ours), name).toEqual(JSON.parse(theirs));
        else expect(ours, name).toBe(theirs);
      }
    });
});
