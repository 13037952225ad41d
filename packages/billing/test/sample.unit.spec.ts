/**
 * The worked sample of examples/data (a Premium contract over August–October 2026, worked by hand
 * in its README) reproduced exactly: the ledger and both invoices. The expected files list the fields
 * that carry the results; every field they list must match, and the required fields they omit
 * (`startedAt`, `reason`) must be present.
 */
import { createHash } from 'node:crypto';
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

  it('is the sample as first written down (and the same as the upstream copy where that exists)', () => {
    // SHA-256 of each file as it was copied into the repository (JSON files by content: parsed and
    // re-serialised, so that formatting does not count). The upstream copy beside the repository
    // exists only on the maintainers' machines; where it does, it must still say the same.
    const pinned: Record<string, string> = {
      'example-month.ndjson': '3cba4ca85d8a5d324bcb7389d83414cab3b854063ceddb698b8db76699196d50',
      'example-month.ledger.json': '82ac1d5b726da8d96dc78f35827f2f12d365fe58bc478609fe414a32ec65eeb1',
      'example-month.invoice-2026-09.json':
        '88e77de49e870ae7d06e962222a58f05fdac29dd716097f0b5d8e9cccab400b7',
      'example-month.invoice-2026-10.json':
        '13ac8712b1682f1dde49549ea1ccb3b1e06d01849ae0c7e80c8d259c1dca95cc',
    };
    const digest = (path: string): string => {
      const text = readFileSync(path, 'utf8');
      const content = path.endsWith('.json') ? JSON.stringify(JSON.parse(text)) : text;
      return createHash('sha256').update(content).digest('hex');
    };
    const copies = [samples, ...[upstream].filter((dir) => existsSync(dir))];
    for (const dir of copies)
      expect(
        Object.fromEntries(Object.keys(pinned).map((name) => [name, digest(resolve(dir, name))])),
      ).toEqual(pinned);
  });
});
