/**
 * `msp-billing einvoice` in-process: one invoice to standard output, `--all --out-dir` idempotent,
 * a file with other content refused unless `--force`, and every refusal before any output, one line
 * each, exit 2. The documents themselves are tested in @msp-billing/einvoice.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createLedger } from '@msp-billing/billing';
import { decodeEvent } from '@msp-billing/events';
import { eInvoiceXml } from '@msp-billing/einvoice';
import { exampleCustomerProfile, exampleProviderProfile } from '@msp-billing/testing';
import { eInvoiceFileName } from '../src/commands/einvoice.js';
import { run } from '../src/main.js';
import { runIn } from './helpers.js';

const line = (id: string, type: string, occurredAt: string, data: Record<string, unknown>): string =>
  JSON.stringify({ id, type, occurredAt, data });

/** Contract c-1 with one hour of work in September and October (100.00 each), both issued. */
const log = (options: { profiles?: boolean; numbers?: [string, string] } = {}): string => {
  const [sep, oct] = options.numbers ?? ['RE-2026/09', 'RE-2026/10'];
  const lines = [
    line('e-rc', 'RateCardPublished', '2026-01-01T00:00:00Z', {
      rateCardId: 'rc-1',
      currency: 'EUR',
      billingIncrementMinutes: 15,
    }),
    line('e-rate', 'HourlyRateSet', '2026-01-01T00:00:00Z', {
      rateCardId: 'rc-1',
      effectiveFrom: '2026-01-01T00:00:00Z',
      hourlyRate: '100.00',
    }),
    line('e-book', 'MSPBooked', '2026-09-01T08:00:00+02:00', {
      contractId: 'c-1',
      customerId: 'cust-1',
      vmId: 'vm-1',
      sla: 'Standard',
      rateCardId: 'rc-1',
    }),
    line('e-t1', 'TicketOpened', '2026-09-03T09:00:00+02:00', {
      ticketId: 't-1',
      contractId: 'c-1',
      channel: 'helpdesk',
      requester: 'boss@acme.example',
      subject: 'help',
      service: 'support-request',
    }),
    line('e-w1', 'WorkLogged', '2026-09-10T10:00:00+02:00', {
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'tech-1',
      startedAt: '2026-09-10T10:00:00+02:00',
      minutes: 60,
    }),
    line('e-i1', 'InvoiceIssued', '2026-10-02T09:00:00+02:00', {
      contractId: 'c-1',
      period: '2026-09',
      invoiceNumber: sep,
    }),
    line('e-w2', 'WorkLogged', '2026-10-10T10:00:00+02:00', {
      workId: 'w-2',
      ticketId: 't-1',
      technician: 'tech-1',
      startedAt: '2026-10-10T10:00:00+02:00',
      minutes: 60,
    }),
    line('e-i2', 'InvoiceIssued', '2026-11-02T09:00:00+01:00', {
      contractId: 'c-1',
      period: '2026-10',
      invoiceNumber: oct,
    }),
  ];
  const profiles = [
    line('p-1', 'ProviderProfileSet', '2026-01-01T00:00:00Z', exampleProviderProfile()),
    line('p-2', 'CustomerProfileSet', '2026-01-01T00:00:00Z', exampleCustomerProfile()),
  ];
  return [...(options.profiles === false ? [] : profiles), ...lines].join('\n') + '\n';
};

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'msp-einvoice-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const logFile = (text: string): string => {
  const path = join(tempDir(), 'log.ndjson');
  writeFileSync(path, text);
  return path;
};

/** The library's e-invoice of (c-1, period) over the same log: what the command must print. */
const expected = (text: string, period: string, syntax: 'ubl' | 'cii'): string => {
  const ledger = createLedger();
  for (const l of text.split('\n').filter((x) => x !== '')) {
    const d = decodeEvent(JSON.parse(l));
    if (E.isLeft(d)) throw new Error(d.left.message);
    ledger.apply(d.right);
  }
  const inv = ledger.invoice('c-1', period);
  if (E.isLeft(inv)) throw new Error(inv.left.message);
  const xml = eInvoiceXml(inv.right, ledger.issuedWith('c-1', period), syntax);
  if (E.isLeft(xml)) throw new Error(xml.left.message);
  return xml.right;
};

describe('einvoice --contract C --period P', () => {
  it.each(['ubl', 'cii'] as const)(
    'prints the %s document of the issued invoice and nothing else',
    async (syntax) => {
      const events = logFile(log());
      const r = await runIn([
        'einvoice',
        '--events',
        events,
        '--contract',
        'c-1',
        '--period',
        '2026-09',
        '--syntax',
        syntax,
      ]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toBe(expected(log(), '2026-09', syntax));
      expect(r.stdout).toContain(
        syntax === 'ubl' ? '<cbc:ID>RE-2026/09</cbc:ID>' : '<ram:ID>RE-2026/09</ram:ID>',
      );
    },
  );

  it('refuses a draft and a missing profile with one line, exit 2, nothing on stdout', async () => {
    const draft = await runIn([
      'einvoice',
      '--events',
      logFile(log()),
      '--contract',
      'c-1',
      '--period',
      '2026-11',
    ]);
    expect([draft.code, draft.stdout]).toEqual([2, '']);
    expect(draft.stderr).toBe(
      'msp-billing: einvoice — invoice (c-1 2026-11): it is a draft; only issued invoices have an e-invoice\n',
    );
    const bare = await runIn([
      'einvoice',
      '--events',
      logFile(log({ profiles: false })),
      '--contract',
      'c-1',
      '--period',
      '2026-09',
    ]);
    expect([bare.code, bare.stdout]).toEqual([2, '']);
    expect(bare.stderr).toBe(
      'msp-billing: einvoice — invoice RE-2026/09 (c-1 2026-09): the provider has no ProviderProfileSet at 2026-10-02; customer cust-1 has no CustomerProfileSet at 2026-10-02\n',
    );
  });

  it('refuses --syntax other than ubl or cii, and --all without --out-dir', async () => {
    const events = logFile(log());
    const bad = await runIn(['einvoice', '--events', events, '--all', '--out-dir', 'x', '--syntax', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('msp-billing: --syntax "pdf" — must be one of ubl, cii\n');
    const noDir = await runIn(['einvoice', '--events', events, '--all']);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/^msp-billing: einvoice --out-dir — is required/);
  });
});

describe('einvoice --all --out-dir DIR', () => {
  it('writes one file per issued invoice, its number made a file name', async () => {
    expect(eInvoiceFileName('RE-2026/09 ä')).toBe('RE-2026_09__.xml');
    const events = logFile(log());
    const dir = join(tempDir(), 'out');
    const r = await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`wrote 2 e-invoices (ubl) to ${dir}; 0 unchanged\n`);
    expect(readdirSync(dir).toSorted()).toEqual(['RE-2026_09.xml', 'RE-2026_10.xml']);
    expect(readFileSync(join(dir, 'RE-2026_10.xml'), 'utf8')).toBe(expected(log(), '2026-10', 'ubl'));
  });

  it('is idempotent: a second run leaves identical files alone', async () => {
    const events = logFile(log());
    const dir = join(tempDir(), 'out');
    await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir]);
    const again = await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir]);
    expect([again.code, again.stdout]).toEqual([0, `wrote 0 e-invoices (ubl) to ${dir}; 2 unchanged\n`]);
  });

  it('refuses a file with other content before writing anything, and replaces it with --force', async () => {
    const events = logFile(log());
    const dir = join(tempDir(), 'out');
    await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir]);
    writeFileSync(join(dir, 'RE-2026_09.xml'), 'edited by hand');
    const cii = await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir, '--syntax', 'cii']);
    expect([cii.code, cii.stdout]).toEqual([2, '']);
    expect(cii.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `msp-billing: einvoice — ${join(dir, 'RE-2026_09.xml')} exists with other content (use --force to replace it)`,
      `msp-billing: einvoice — ${join(dir, 'RE-2026_10.xml')} exists with other content (use --force to replace it)`,
    ]);
    expect(readFileSync(join(dir, 'RE-2026_09.xml'), 'utf8')).toBe('edited by hand');
    const forced = await runIn([
      'einvoice',
      '--events',
      events,
      '--all',
      '--out-dir',
      dir,
      '--syntax',
      'cii',
      '--force',
    ]);
    expect([forced.code, forced.stdout]).toEqual([0, `wrote 2 e-invoices (cii) to ${dir}; 0 unchanged\n`]);
    expect(readFileSync(join(dir, 'RE-2026_09.xml'), 'utf8')).toBe(expected(log(), '2026-09', 'cii'));
  });

  it('refuses every invoice without an e-invoice, one line each, before creating anything', async () => {
    const dir = join(tempDir(), 'out');
    const r = await runIn([
      'einvoice',
      '--events',
      logFile(log({ profiles: false })),
      '--all',
      '--out-dir',
      dir,
    ]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'msp-billing: einvoice — invoice RE-2026/09 (c-1 2026-09): the provider has no ProviderProfileSet at 2026-10-02; customer cust-1 has no CustomerProfileSet at 2026-10-02',
      'msp-billing: einvoice — invoice RE-2026/10 (c-1 2026-10): the provider has no ProviderProfileSet at 2026-11-02; customer cust-1 has no CustomerProfileSet at 2026-11-02',
    ]);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports an --out-dir that is a file as one line, exit 2', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, '');
    const r = await runIn(['einvoice', '--events', logFile(log()), '--all', '--out-dir', file]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^msp-billing: --out-dir ".*not-a-dir" — ENOTDIR: not a directory[^\n]*\n$/);
  });

  it('refuses two invoice numbers that would share a file name', async () => {
    const dir = join(tempDir(), 'out');
    const events = logFile(log({ numbers: ['RE/1', 'RE_1'] }));
    const r = await runIn(['einvoice', '--events', events, '--all', '--out-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'msp-billing: einvoice — invoices RE/1 and RE_1 would both be written to RE_1.xml; rename one of them\n',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('draws a progress line on a terminal once a run takes longer than a second, and clears it', async () => {
    const events = logFile(log());
    const dir = join(tempDir(), 'out');
    let stderr = '';
    let stdout = '';
    let clock = 0;
    const code = await run(['einvoice', '--events', events, '--all', '--out-dir', dir], {
      stdin: (async function* () {})(),
      stdout: { write: (t) => ((stdout += t), true) },
      stderr: { write: (t) => ((stderr += t), true) },
      isTTY: true,
      // Every look at the clock is 700 ms later: the run passes its first second before the last
      // invoice, whose line is drawn.
      now: () => (clock += 700),
    });
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote 2 e-invoices (ubl) to ${dir}; 0 unchanged\n`);
    expect(stderr).toContain('\r\u001b[Ke-invoices: 2 of 2');
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
  });
});
