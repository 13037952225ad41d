/**
 * Every JSON the command prints over the sample log writes instants as RFC 3339, never as epoch
 * milliseconds: the ledger, and the invoice of every contract for every month it has entries in,
 * plus the month before and after (a skipped invoice has no entries).
 */
import { describe, expect, it } from 'vitest';
import { instantProblems } from '../../testing/src/instants.js';
import { fixture, runIn, sampleLog } from './helpers.js';

const json = async (argv: readonly string[]): Promise<unknown> => {
  const r = await runIn(argv);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return JSON.parse(r.stdout);
};

const shift = (period: string, months: number): string => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

describe('JSON output over the sample log', () => {
  it('has no epoch-ms instants and only RFC 3339 under instant keys', async () => {
    const ledger = (await json(['ledger', '--events', sampleLog, '--format', 'json'])) as {
      contractId: string;
      period: string;
    }[];
    expect(ledger.length).toBeGreaterThan(0);
    const outputs: [string, unknown][] = [['ledger', ledger]];
    const months = new Set(ledger.map((e) => `${e.contractId} ${e.period}`));
    for (const key of months) {
      const [contract, period] = key.split(' ') as [string, string];
      for (const p of new Set([shift(period, -1), period, shift(period, 1)])) {
        const argv = [
          'invoice',
          '--events',
          sampleLog,
          '--contract',
          contract,
          '--period',
          p,
          '--format',
          'json',
        ];
        outputs.push([argv.join(' '), await json(argv)]);
      }
    }
    // There are instants to check: invoice lines carry the entry's startedAt.
    expect(JSON.stringify(outputs)).toContain('"startedAt":"2026-10-06T08:00:00.000Z"');
    expect(outputs.flatMap(([what, out]) => instantProblems(out).map((p) => `${what}: ${p}`))).toEqual([]);
  });

  it('keeps to it in an invoice that lists invalid events', async () => {
    const out = (await json([
      'invoice',
      '--events',
      fixture('invalid.ndjson'),
      '--contract',
      'c-1',
      '--period',
      '2026-10',
      '--format',
      'json',
      '--skip-invalid',
    ])) as { invalidEvents: unknown[] };
    expect(out.invalidEvents.length).toBeGreaterThan(0);
    expect(instantProblems(out)).toEqual([]);
  });
});
