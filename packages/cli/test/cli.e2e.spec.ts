/**
 * The real `msp-billing` process, spawned from the repository root (src/bin.ts through tsx, and once
 * the package bin): exit statuses, what goes to stdout and stderr, standard input, and that no user
 * mistake shows a stack trace. A representative dozen; the in-process suite covers the rest.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, loadSample, sampleLog, spawnCli, subsetMismatches } from './helpers.js';

const noStack = (stderr: string): void => {
  expect(stderr.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
};

// Concurrent: each test waits on its own child process, so a dozen startups overlap.
describe.concurrent('msp-billing (spawned)', () => {
  it('invoice --format json: the October draft of the sample (31.25 / 5.94 / 37.19)', async () => {
    const r = await spawnCli([
      'invoice',
      '--events',
      sampleLog,
      '--contract',
      'msp-4711',
      '--period',
      '2026-10',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(subsetMismatches(inv, loadSample('example-month.invoice-2026-10.json'))).toEqual([]);
    expect([inv['net'], inv['vat'], inv['gross'], inv['invalidEvents']]).toEqual([
      '31.25',
      '5.94',
      '37.19',
      [],
    ]);
  });

  it('the package bin prints the table in the contract’s zone whatever the machine’s (TZ=Pacific/Auckland)', async () => {
    const r = await spawnCli(
      ['invoice', '--events', sampleLog, '--contract', 'msp-4711', '--period', '2026-09'],
      {
        viaBin: true,
        env: { TZ: 'Pacific/Auckland' },
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Invoice number +RE-2026-0917/);
    // W-7 started 2026-09-30T23:50+02:00: Berlin wall clock, not Auckland's (10:50 on Oct 1st).
    expect(r.stdout).toMatch(
      /work +W-7 +T-105 +malware-cleanup +2026-09-30 23:50 +30 +30 +120\.00 +5\.1 +60\.00\n/,
    );
    expect(r.stdout).toMatch(/Gross +499\.80 EUR/);
  });

  it('invoice --format csv from standard input (--events -)', async () => {
    const r = await spawnCli(
      ['invoice', '--events', '-', '--contract', 'msp-4711', '--period', '2026-10', '--format', 'csv'],
      {
        input: readFileSync(sampleLog),
      },
    );
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\r\n');
    expect(rows[0]).toBe(
      'contractId,period,invoiceNumber,kind,workId,ticketId,service,startedAt,minutes,billedMinutes,hourlyRate,amount,clause',
    );
    expect(rows.slice(1, -1).map((l) => l.split(',')[11])).toEqual(['60.00', '-270.00', '210.00', '31.25']);
    expect(rows.at(-1)).toBe('');
  });

  it('ledger --format json from standard input', async () => {
    const r = await spawnCli(['ledger', '--events', '-', '--format', 'json'], {
      input: readFileSync(sampleLog),
    });
    expect(r.code).toBe(0);
    expect(subsetMismatches(JSON.parse(r.stdout), loadSample('example-month.ledger.json'))).toEqual([]);
  });

  it('explain W-8: the October rate, spelled out', async () => {
    const r = await spawnCli(['explain', '--events', sampleLog, '--work', 'W-8']);
    expect(r.code).toBe(0);
    // Rate 125.00 effective 2026-10-01T00:00+02:00; 15 min → 15; 125 × 15 / 60 = 31.25.
    expect(r.stdout).toMatch(/since 2026-10-01 00:00 Europe\/Berlin \(2026-09-30T22:00:00\.000Z\)/);
    expect(r.stdout).toContain('125.00 × 15 / 60 = 31.25 EUR');
  });

  it('check: exit 1 on warnings only', async () => {
    const w = await spawnCli(['check', '--events', fixture('warnings.ndjson')]);
    expect(w.code).toBe(1);
    expect(w.stdout).toMatch(/^line 13: warning \(clause 4\.1\): .*\ncheck: .*1 warning — warnings only\n$/);
  });

  it('invalid events by default: line N on stderr, nothing on stdout, exit 2', async () => {
    const r = await spawnCli([
      'invoice',
      '--events',
      fixture('invalid.ndjson'),
      '--contract',
      'c-1',
      '--period',
      '2026-10',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^line 12: invalid JSON.*\nline 13: ticket "t-404" does not exist.*\n$/);
  });

  it('--skip-invalid goes on and lists them in invalidEvents', async () => {
    const r = await spawnCli([
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
    ]);
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.stdout) as { net: string; invalidEvents: { line: number }[] };
    expect(inv.net).toBe('47.50');
    expect(inv.invalidEvents.map((e) => e.line)).toEqual([12, 13]);
  });

  it('reconcile: exit 1 on differences, one per line, then a summary', async () => {
    const d = await spawnCli([
      'reconcile',
      '--events',
      fixture('small.ndjson'),
      '--invoices',
      fixture('differ.csv'),
    ]);
    expect(d.code).toBe(1);
    expect(d.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(d.stdout).toMatch(/\nreconcile: 2 invoices in the export, 1 issued in the log; 3 differences\n$/);
  });

  it('user mistakes: one line, exit 2, no stack trace', async () => {
    for (const argv of [
      ['invoice', '--events', 'no/such/file.ndjson', '--contract', 'c-1', '--period', '2026-10'],
      ['ledger', '--events', sampleLog, '--colour'],
    ]) {
      const r = await spawnCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^msp-billing: [^\n]+ — [^\n]+\n$/);
      noStack(r.stderr);
    }
  });

  it('--help: usage on stdout, exit 0', async () => {
    const r = await spawnCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: msp-billing <command> \[options\]/);
    expect(r.stderr).toBe('');
  });
});
