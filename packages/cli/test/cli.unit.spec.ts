/**
 * `msp-billing` through `run()` in-process: every command and format on the worked sample and on
 * small fixture logs, the invalid-event gate, user mistakes, help, progress and internal errors.
 * Expected values are worked out by hand (see the sample's README and the comments here), not
 * copied from the program's output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, csvRow, parseCsv } from '../src/format/csv.js';
import { localTime } from '../src/format/table.js';
import { fixture, loadSample, runIn, sampleLog, stdinOf, subsetMismatches } from './helpers.js';

/** Carriage return and erase-line: how the progress line is drawn and cleared. */
const CLEAR = '\r\u001b[K';

/** A standard input whose reading fails with a plain Error: a bug, not an I/O problem. */
const broken = (): AsyncIterable<Uint8Array> => ({
  [Symbol.asyncIterator]: () => ({
    next: () => Promise.reject(new TypeError('boom\nsecond line')),
  }),
});

const SPEC_INVOICE_KEYS = [
  'contractId',
  'period',
  'status',
  'invoiceNumber',
  'currency',
  'lines',
  'net',
  'vatRatePercent',
  'vat',
  'gross',
  'included',
  'held',
  'flagged',
  'invalidEvents',
];
const SPEC_LINE_KEYS = [
  'kind',
  'workId',
  'ticketId',
  'service',
  'startedAt',
  'minutes',
  'billedMinutes',
  'hourlyRate',
  'amount',
  'clause',
];
const SPEC_LEDGER_KEYS = [
  'workId',
  'ticketId',
  'contractId',
  'period',
  'service',
  'status',
  'clause',
  'reason',
  'minutes',
  'billedMinutes',
  'hourlyRate',
  'amount',
];

const invoiceArgs = (events: string, contract: string, period: string, ...more: string[]): string[] => [
  'invoice',
  '--events',
  events,
  '--contract',
  contract,
  '--period',
  period,
  ...more,
];

describe('invoice --format json on the worked sample', () => {
  it('prints the October draft of the worked example, field order as in spec §7', async () => {
    const r = await runIn(invoiceArgs(sampleLog, 'msp-4711', '2026-10', '--format', 'json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const inv = JSON.parse(r.stdout) as Record<string, unknown> & { lines: Record<string, unknown>[] };
    expect(subsetMismatches(inv, loadSample('example-month.invoice-2026-10.json'))).toEqual([]);
    // README: 60.00 − 270.00 + 210.00 + 31.25 = 31.25; VAT 5.9375 → 5.94; gross 37.19.
    expect([inv['net'], inv['vat'], inv['gross']]).toEqual(['31.25', '5.94', '37.19']);
    expect(Object.keys(inv)).toEqual(SPEC_INVOICE_KEYS);
    for (const l of inv.lines) expect(Object.keys(l)).toEqual(SPEC_LINE_KEYS);
    // W-8 started 2026-10-06T10:00+02:00 = 08:00Z.
    expect(inv.lines[3]?.['startedAt']).toBe('2026-10-06T08:00:00.000Z');
    expect(inv['invalidEvents']).toEqual([]);
  });

  it('prints the issued September invoice with its number and the held entry with a reason', async () => {
    const r = await runIn(invoiceArgs(sampleLog, 'msp-4711', '2026-09', '--format', 'json'));
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.stdout) as { held: { reason: string }[] };
    expect(subsetMismatches(inv, loadSample('example-month.invoice-2026-09.json'))).toEqual([]);
    expect(inv.held[0]?.reason).toMatch(/dev@acme\.example/);
  });

  it('prints a skipped period before the last issued one as empty with zero totals', async () => {
    const r = await runIn(invoiceArgs(sampleLog, 'msp-4711', '2026-08', '--format', 'json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'skipped',
      invoiceNumber: null,
      lines: [],
      net: '0.00',
      vat: '0.00',
      gross: '0.00',
      // W-1 (os-setup, 90 min) is August's only entry.
      included: { entries: 1, minutes: 90 },
    });
  });
});

describe('invoice --format csv', () => {
  it('prints a header and one RFC 4180 row per line, CRLF, nothing else', async () => {
    const r = await runIn(invoiceArgs(sampleLog, 'msp-4711', '2026-10', '--format', 'csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'contractId,period,invoiceNumber,kind,workId,ticketId,service,startedAt,minutes,billedMinutes,hourlyRate,amount,clause',
        'msp-4711,2026-10,,late-work,W-3,T-102,support-request,2026-09-10T09:30:00.000Z,20,30,120.00,60.00,3.1',
        'msp-4711,2026-10,,reversal,W-6,T-105,malware-cleanup,2026-09-25T05:10:00.000Z,130,135,120.00,-270.00,5.1',
        'msp-4711,2026-10,,correction,W-6,T-105,malware-cleanup,2026-09-25T05:10:00.000Z,100,105,120.00,210.00,5.1',
        'msp-4711,2026-10,,work,W-8,T-101,change-request,2026-10-06T08:00:00.000Z,15,15,125.00,31.25,5.3',
        '',
      ].join('\r\n'),
    );
  });
});

describe('invoice table', () => {
  it('shows the header, right-aligned amounts, totals under the Amount column, and the summary', async () => {
    const r = await runIn(invoiceArgs(sampleLog, 'msp-4711', '2026-10'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Invoice msp-4711 2026-10');
    expect(r.stdout).toMatch(/Status +draft/);
    expect(r.stdout).toMatch(/Currency +EUR/);
    const header = lines.findIndex((l) => l.startsWith('Kind'));
    const rule = lines[header + 1] as string;
    const rows = lines.slice(header + 2, header + 6);
    // Amount is the last, right-aligned column: every row ends at the rule's right edge.
    expect(rows.map((l) => l.length)).toEqual([rule.length, rule.length, rule.length, rule.length]);
    expect(rows.map((l) => l.trim().split(/\s+/).at(-1))).toEqual(['60.00', '-270.00', '210.00', '31.25']);
    // Local time in the contract's zone: W-3 started 11:30 in Berlin.
    expect(rows[0]).toContain('2026-09-10 11:30');
    const net = lines.find((l) => /^\s+Net\b/.test(l)) as string;
    expect(net.endsWith('31.25 EUR')).toBe(true);
    expect(net.length - ' EUR'.length).toBe(rule.length);
    expect(r.stdout).toMatch(/VAT 19 % +5\.94 EUR/);
    expect(r.stdout).toMatch(/Gross +37\.19 EUR/);
    expect(r.stdout).toContain('Included (covered by the MSP): 0 entries, 0 min');
  });

  it('lists flagged entries with their clause and reason under the totals', async () => {
    const r = await runIn(invoiceArgs(fixture('small.ndjson'), 'c-1', '2026-10'));
    expect(r.code).toBe(0);
    // w-2: 20 min → 30 billed × 95 / 60 = 47.50; VAT 9.025 → 9.03 (half-up); gross 56.53.
    expect(r.stdout).toMatch(/Net +47\.50 EUR/);
    expect(r.stdout).toMatch(/VAT 19 % +9\.03 EUR/);
    expect(r.stdout).toMatch(/Gross +56\.53 EUR/);
    expect(r.stdout).toMatch(/\n {2}w-3 {2}ticket t-3 {2}clause 5\.2 {2}\S/);
  });
});

describe('invoice on a small fixture log', () => {
  it('prints the issued invoice and the draft after it', async () => {
    const sep = await runIn(invoiceArgs(fixture('small.ndjson'), 'c-1', '2026-09', '--format', 'json'));
    // w-1: change request after handover (5.3), 50 → 60 min × 95 = 95.00; VAT 18.05; gross 113.05.
    expect(JSON.parse(sep.stdout)).toMatchObject({
      status: 'issued',
      invoiceNumber: 'INV-1',
      lines: [
        {
          kind: 'work',
          workId: 'w-1',
          billedMinutes: 60,
          hourlyRate: '95.00',
          amount: '95.00',
          clause: '5.3',
        },
      ],
      net: '95.00',
      vat: '18.05',
      gross: '113.05',
    });
    const oct = await runIn(invoiceArgs(fixture('small.ndjson'), 'c-1', '2026-10', '--format', 'json'));
    expect(JSON.parse(oct.stdout)).toMatchObject({
      status: 'draft',
      invoiceNumber: null,
      lines: [
        {
          kind: 'work',
          workId: 'w-2',
          startedAt: '2026-10-05T08:00:00.000Z',
          amount: '47.50',
          clause: '3.1',
        },
      ],
      net: '47.50',
      vat: '9.03',
      gross: '56.53',
      flagged: [{ workId: 'w-3', ticketId: 't-3', clause: '5.2' }],
    });
  });
});

describe('invalid events', () => {
  const log = fixture('invalid.ndjson');

  it('by default: each on stderr as line N, exit 2, nothing on stdout', async () => {
    const r = await runIn(invoiceArgs(log, 'c-1', '2026-10', '--format', 'json'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^line 12: invalid JSON/);
    expect(lines[1]).toMatch(/^line 13: ticket "t-404" does not exist/);
  });

  it('applies the gate to ledger, explain and reconcile too', async () => {
    for (const argv of [
      ['ledger', '--events', log],
      ['explain', '--events', log, '--work', 'w-2'],
      ['reconcile', '--events', log, '--invoices', fixture('agree.csv')],
    ]) {
      const r = await runIn(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^line 12: .*\nline 13: .*\n$/);
    }
  });

  it('with --skip-invalid: JSON lists them in invalidEvents and the invoice is the valid events’ one', async () => {
    const r = await runIn(invoiceArgs(log, 'c-1', '2026-10', '--format', 'json', '--skip-invalid'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const inv = JSON.parse(r.stdout) as { net: string; invalidEvents: Record<string, unknown>[] };
    expect(inv.net).toBe('47.50');
    expect(inv.invalidEvents).toHaveLength(2);
    // An undecodable line has no known id; the integrity break has one.
    expect(Object.keys(inv.invalidEvents[0] ?? {})).toEqual(['line', 'code', 'reason']);
    expect(inv.invalidEvents[0]).toMatchObject({
      line: 12,
      code: 'UndecodableEvent',
      reason: expect.stringMatching(/^invalid JSON/),
    });
    expect(inv.invalidEvents[1]).toEqual({
      line: 13,
      eventId: 'e-13',
      code: 'UnknownTicket',
      reason: expect.stringMatching(/^ticket "t-404" does not exist/),
    });
  });

  it('with --skip-invalid: the table lists them under it; CSV and ledger JSON put them on stderr', async () => {
    const table = await runIn(invoiceArgs(log, 'c-1', '2026-10', '--skip-invalid'));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /Invalid events skipped \(2\):\n {2}line 12: invalid JSON.*\n {2}line 13: ticket/,
    );
    const csv = await runIn(invoiceArgs(log, 'c-1', '2026-10', '--format', 'csv', '--skip-invalid'));
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')).toHaveLength(3);
    expect(csv.stderr).toMatch(/^line 12: .*\nline 13: .*\n$/);
    const ledger = await runIn(['ledger', '--events', log, '--format', 'json', '--skip-invalid']);
    expect(ledger.code).toBe(0);
    expect((JSON.parse(ledger.stdout) as unknown[]).length).toBe(3);
    expect(ledger.stderr).toMatch(/^line 12: .*\nline 13: .*\n$/);
  });
});

describe('ledger', () => {
  it('--format json equals the sample ledger, with exactly the spec keys in order', async () => {
    const r = await runIn(['ledger', '--events', sampleLog, '--format', 'json']);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(subsetMismatches(entries, loadSample('example-month.ledger.json'))).toEqual([]);
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(SPEC_LEDGER_KEYS);
      expect(typeof e['reason']).toBe('string');
    }
  });

  it('filters by contract and period', async () => {
    const r = await runIn([
      'ledger',
      '--events',
      sampleLog,
      '--contract',
      'msp-4711',
      '--period',
      '2026-09',
      '--format',
      'json',
    ]);
    expect((JSON.parse(r.stdout) as { workId: string }[]).map((e) => e.workId)).toEqual([
      'W-2',
      'W-3',
      'W-4',
      'W-5',
      'W-6',
      'W-7',
    ]);
    const none = await runIn(['ledger', '--events', sampleLog, '--period', '2025-01', '--format', 'json']);
    expect(none.stdout).toBe('[]\n');
  });

  it('--format csv: header with the json keys, empty cells for nulls', async () => {
    const r = await runIn(['ledger', '--events', sampleLog, '--format', 'csv', '--period', '2026-08']);
    expect(r.stdout).toBe(
      'workId,ticketId,contractId,period,service,status,clause,reason,minutes,billedMinutes,hourlyRate,amount\r\n' +
        'W-1,T-100,msp-4711,2026-08,os-setup,included,2.1,os-setup is included at provisioning,90,,,\r\n',
    );
  });

  it('table: aligned columns and a summary of counts per status and the billable total', async () => {
    const r = await runIn(['ledger', '--events', sampleLog]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Work +Ticket +Contract +Period +Service +Status +Clause +Minutes +Billed +Rate\/h +Amount +Reason$/,
    );
    expect(lines.filter((l) => /^W-\d/.test(l))).toHaveLength(8);
    // Billable: W-2 90.00 + W-3 60.00 + W-6 210.00 + W-7 60.00 + W-8 31.25 = 451.25.
    expect(r.stdout).toContain(
      '8 entries: 3 included, 5 billable, 0 held, 0 flagged; billable amount 451.25',
    );
    // Right-aligned Amount column: the amount's last digit sits under the header's last letter.
    const end = (lines[0] as string).indexOf('Amount') + 'Amount'.length;
    const w6 = lines.find((l) => l.startsWith('W-6')) as string;
    expect(w6.slice(end - '210.00'.length, end)).toBe('210.00');
  });

  it('reads standard input with --events -', async () => {
    const r = await runIn(['ledger', '--events', '-', '--format', 'json'], { stdin: stdinOf(sampleLog) });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(8);
  });
});

describe('explain', () => {
  it('walks the rules with clauses and facts, then spells out the pricing (W-6, corrected)', async () => {
    const r = await runIn(['explain', '--events', sampleLog, '--work', 'W-6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Work entry W-6 \(ticket T-105, contract msp-4711\)\n/);
    expect(r.stdout).toContain('2026-09-25 07:10 Europe/Berlin (2026-09-25T05:10:00.000Z)');
    expect(r.stdout).toMatch(/period +2026-09 /);
    expect(r.stdout).toMatch(/corrections +1 applied/);
    expect(r.stdout).toContain('rule 1 (clause 1): ');
    expect(r.stdout).toMatch(
      /rule 13 \(clause 5\.1\): .*\n {6}service: malware-cleanup\n {6}=> decided: billable/,
    );
    expect(r.stdout).toContain('Result: billable (clause 5.1)');
    // The 2026-01-01T00:00+01:00 rate; 100 min → 105 at 15-min increments; 120 × 105 / 60 = 210.
    expect(r.stdout).toMatch(/rate in force +120\.00 EUR\/h since 2026-01-01 00:00 Europe\/Berlin/);
    expect(r.stdout).toMatch(/increment +15 min/);
    expect(r.stdout).toMatch(/billed minutes +100 rounded up to a multiple of 15 = 105/);
    expect(r.stdout).toMatch(/amount +120\.00 × 105 \/ 60 = 210\.00 EUR/);
  });

  it('says an included entry is not priced (W-4, safety measure)', async () => {
    const r = await runIn(['explain', '--events', sampleLog, '--work', 'W-4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rule 10 \(clause 4\.2\).*\n(.*\n)*? {6}=> decided: included/);
    expect(r.stdout).toContain('Pricing: none');
  });
});

describe('check', () => {
  it('exit 0 on a clean log, with a summary line', async () => {
    const r = await runIn(['check', '--events', sampleLog]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'check: 27 lines, 27 events, 0 duplicates ignored; 0 invalid events, 0 warnings — clean\n',
    );
  });

  it('exit 1 with warnings only: an update scheduled outside every window without agreement (4.1)', async () => {
    const r = await runIn(['check', '--events', fixture('warnings.ndjson')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    // Monday 2026-10-05 12:00 Berlin (10:00Z) is outside Standard's Wed 22:00–06:00 window.
    expect(lines[0]).toMatch(/^line 13: warning \(clause 4\.1\): .*2026-10-05T10:00:00\.000Z/);
    expect(lines[1]).toMatch(/1 warning — warnings only$/);
  });

  it('exit 2 with invalid events, listed by line', async () => {
    const r = await runIn(['check', '--events', fixture('invalid.ndjson')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^line 12: invalid JSON.*\nline 13: ticket "t-404".*\ncheck: .*2 invalid events, 0 warnings/,
    );
  });
});

describe('reconcile', () => {
  const log = fixture('small.ndjson');
  const rec = (csv: string) => runIn(['reconcile', '--events', log, '--invoices', fixture(csv)]);

  it('exit 0 when the export agrees (decimals compared as numbers, columns in any order, extra ones ignored)', async () => {
    for (const csv of ['agree.csv', 'agree-crlf.csv']) {
      const r = await rec(csv);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('reconcile: 1 invoice in the export, 1 issued in the log; all agree\n');
    }
  });

  it('exit 1 and one line per difference', async () => {
    const r = await rec('differ.csv');
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'c-1 2026-09 (CSV line 2): invoiceNumber differs — export INV-01, log INV-1',
      'c-1 2026-09 (CSV line 2): net differs — export 90.00, log 95.00',
      'c-1 2026-10 (CSV line 3): missing in log — the export has invoice INV-2, the log issued none for this period',
      'reconcile: 2 invoices in the export, 1 issued in the log; 3 differences',
    ]);
  });

  it('exit 1 when an issued invoice is missing in the export', async () => {
    const r = await rec('missing.csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^c-1 2026-09: missing in the export — the log issued invoice INV-1/);
  });

  it('a malformed row is a user error naming the CSV line', async () => {
    const r = await rec('malformed.csv');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^msp-billing: --invoices ".*malformed\.csv" line 4 — 5 fields, but the header has 6\n$/,
    );
  });

  it('refuses a header without a needed column and a non-decimal amount', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-cli-'));
    writeFileSync(join(dir, 'a.csv'), 'contractId,period,net,vat,gross\nc-1,2026-09,95,18.05,113.05\n');
    writeFileSync(
      join(dir, 'b.csv'),
      'contractId,period,invoiceNumber,net,vat,gross\nc-1,2026-09,INV-1,95 EUR,18.05,113.05\n',
    );
    const a = await runIn(['reconcile', '--events', log, '--invoices', join(dir, 'a.csv')]);
    expect(a.stderr).toMatch(/line 1 — the header has no column invoiceNumber/);
    const b = await runIn(['reconcile', '--events', log, '--invoices', join(dir, 'b.csv')]);
    expect(b.stderr).toMatch(/line 2 — net "95 EUR" is not a decimal number\n$/);
    expect([a.code, b.code]).toEqual([2, 2]);
  });
});

describe('user mistakes: one line on stderr, exit 2, nothing on stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-cli-'));
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /^msp-billing: no command — /],
    [
      'unknown command',
      ['bill'],
      /^msp-billing: unknown command "bill" — expected one of invoice, invoices, contracts, ledger/,
    ],
    [
      'unknown option',
      ['ledger', '--events', sampleLog, '--perod', '2026-10'],
      /^msp-billing: ledger --perod — unknown option/,
    ],
    ['missing --events', ['ledger'], /^msp-billing: ledger --events — is required/],
    [
      'missing --contract',
      ['invoice', '--events', sampleLog, '--period', '2026-10'],
      /^msp-billing: invoice --contract — is required/,
    ],
    ['missing value', ['invoice', '--events'], /^msp-billing: --events — needs a value/],
    [
      'missing file',
      ['check', '--events', join(dir, 'nope.ndjson')],
      /^msp-billing: --events ".*nope\.ndjson" — no such file$/,
    ],
    ['directory', ['check', '--events', dir], /^msp-billing: --events ".*" — is a directory$/],
    [
      'bad period',
      invoiceArgs(sampleLog, 'msp-4711', '2026-13'),
      /^msp-billing: --period "2026-13" — must be a month YYYY-MM/,
    ],
    [
      'bad format',
      invoiceArgs(sampleLog, 'msp-4711', '2026-10', '--format', 'xml'),
      /^msp-billing: --format "xml" — must be one of table, json, csv$/,
    ],
    [
      'unknown contract',
      invoiceArgs(sampleLog, 'msp-9', '2026-10'),
      /^msp-billing: --contract "msp-9" — no such contract \(the log has contract msp-4711\)$/,
    ],
    [
      'unknown contract (ledger)',
      ['ledger', '--events', sampleLog, '--contract', 'x'],
      /^msp-billing: --contract "x" — no such contract/,
    ],
    [
      'unknown work id',
      ['explain', '--events', sampleLog, '--work', 'W-99'],
      /^msp-billing: --work "W-99" — no work entry "W-99" in the log$/,
    ],
    ['stray argument', ['check', sampleLog], /^msp-billing: check ".*" — unexpected argument/],
    [
      'missing CSV',
      ['reconcile', '--events', sampleLog, '--invoices', join(dir, 'x.csv')],
      /^msp-billing: --invoices ".*x\.csv" — no such file$/,
    ],
  ];
  it.each(cases)('%s', async (_name, argv, line) => {
    const r = await runIn(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr.trimEnd()).toMatch(line);
  });
});

describe('help', () => {
  it('overall and per command, on stdout, exit 0', async () => {
    const all = await runIn(['--help']);
    expect(all.code).toBe(0);
    for (const c of ['invoice', 'ledger', 'explain', 'check', 'reconcile', 'import'])
      expect(all.stdout).toContain(`  ${c} `);
    for (const c of ['invoice', 'ledger', 'explain', 'check', 'reconcile', 'import']) {
      const r = await runIn([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `^Usage: msp-billing ${c} ${c === 'import' ? '--events F --store URL' : '\\(--events F \\| --store URL\\)'}`,
        ),
      );
      expect(r.stdout).toBe((await runIn(['help', c])).stdout);
    }
  });
});

describe('progress line', () => {
  it('is drawn on a TTY for a log over the threshold and cleared at the end', async () => {
    const r = await runIn(['check', '--events', sampleLog], { isTTY: true, threshold: 100 });
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith(`${CLEAR}reading events: 0.0 MB of 0.0 MB, `)).toBe(true);
    expect(r.stderr).toMatch(/[\d,]+ events\/s/);
    expect(r.stderr.endsWith(CLEAR)).toBe(true);
  });

  it('for stdin, once more than the threshold has been read', async () => {
    const r = await runIn(['check', '--events', '-'], {
      isTTY: true,
      threshold: 100,
      stdin: stdinOf(sampleLog),
    });
    expect(r.stderr.startsWith(`${CLEAR}reading events: 0.0 MB, `)).toBe(true);
  });

  it('is never drawn when stderr is not a TTY, nor for a small log', async () => {
    expect((await runIn(['check', '--events', sampleLog], { isTTY: false, threshold: 100 })).stderr).toBe('');
    expect((await runIn(['check', '--events', sampleLog], { isTTY: true })).stderr).toBe('');
  });
});

describe('internal errors', () => {
  it('exit 70 with one line, no stack trace', async () => {
    const r = await runIn(['check', '--events', '-'], { stdin: broken() });
    expect(r.code).toBe(70);
    expect(r.stderr).toBe(
      'msp-billing: internal error — TypeError: boom (MSP_DEBUG=1 shows the stack trace)\n',
    );
  });

  it('the stack trace with MSP_DEBUG=1', async () => {
    const r = await runIn(['check', '--events', '-'], { stdin: broken(), env: { MSP_DEBUG: '1' } });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^TypeError: boom\nsecond line\n {4}at /);
  });

  it('an unreadable stdin (an I/O error with a code) is a user error', async () => {
    const err = Object.assign(new Error('read EIO'), { code: 'EIO' });
    const r = await runIn(['check', '--events', '-'], {
      stdin: { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }) },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('msp-billing: --events - — read EIO\n');
  });
});

describe('CSV and time helpers', () => {
  it('quotes fields per RFC 4180 and parses them back', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    const text = csvRow(['a,b', 'say "hi"', 'two\nlines', 7]) + '\r\n' + csvRow(['x', '', '', '']);
    expect(parseCsv(text)).toEqual({
      records: [
        { line: 1, fields: ['a,b', 'say "hi"', 'two\nlines', '7'] },
        { line: 4, fields: ['x', '', '', ''] },
      ],
      delimiter: ',',
    });
  });

  it('reports unclosed quotes and stray quotes with their line', () => {
    expect(parseCsv('a,b\n"open,c\n')).toEqual({
      error: { line: 2, reason: 'a quoted field is never closed' },
    });
    expect(parseCsv('a,b\nx"y,c\n')).toEqual({
      error: { line: 2, reason: 'a quote inside an unquoted field' },
    });
    expect(parseCsv('a,b\n"x"y,c\n')).toEqual({
      error: { line: 2, reason: 'text after the closing quote of a field' },
    });
  });

  it('formats local time in the given zone, not the machine’s (DST end in Berlin, 2026-10-25)', () => {
    // 00:30Z is 02:30 CEST (+02:00); 01:30Z is 02:30 CET (+01:00): the repeated hour.
    expect(localTime('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
    expect(localTime('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
    expect(localTime('2026-10-24T22:00:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 00:00');
    expect(localTime('2026-10-24T22:00:00.000Z', 'Pacific/Auckland')).toBe('2026-10-25 11:00');
  });
});
