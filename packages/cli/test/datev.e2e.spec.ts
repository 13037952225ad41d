/**
 * `msp-billing datev` end to end: the worked sample's October batch, the refusals, the empty month,
 * `--out`, and the real process writing Windows-1252 bytes to its standard output. Batches are read
 * back with the DATEV package's test reader, which decodes Windows-1252 with its own code chart.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bookingsOf, readBatch } from '../../datev/test/readBatch.js';
import { repoRoot, runIn, spawnCli } from './helpers.js';

/** The worked sample of the finance example (RE-2026-0917 issued on 2026-10-01 06:00 Berlin). */
const example = readFileSync(resolve(repoRoot, 'examples/data/example-month.ndjson'), 'utf8');

const profile = (
  data: Record<string, unknown>,
  occurredAt = '2026-08-01T09:00:00+02:00',
  id = 'p-1',
): string =>
  JSON.stringify({
    id,
    type: 'CustomerProfileSet',
    occurredAt,
    data: {
      customerId: 'acme-gmbh',
      name: 'ACME GmbH',
      street: 'Hauptstraße 1',
      city: 'Berlin',
      postalCode: '10115',
      countryCode: 'DE',
      electronicAddress: 'invoices@acme.example',
      ...data,
    },
  });

const dir = mkdtempSync(join(tmpdir(), 'msp-datev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** The sample with extra lines inserted after its MSPBooked (line 3), written to a file. */
const sampleWith = (...lines: string[]): string => {
  const [a, b, c, ...rest] = example.trimEnd().split('\n');
  const path = join(dir, `log-${files++}.ndjson`);
  writeFileSync(path, `${[a, b, c, ...lines, ...rest].join('\n')}\n`);
  return path;
};

const EPOCH = { SOURCE_DATE_EPOCH: '1793433600' }; // 2026-10-31T08:00:00Z = 09:00 CET in Berlin
const october = ['--month', '2026-10', '--consultant', '29098', '--client', '55003'];
const rest111 = ';'.repeat(111);

describe('msp-billing datev', () => {
  it("the worked sample's October: one booking 499,80 S, the debtor account, 8400, 0110, RE-2026-0917", async () => {
    // The sample with a ProviderProfileSet and a CustomerProfileSet (debtorAccount 10001), as in the docs.
    const log = resolve(repoRoot, 'examples/data/example-month-with-profiles.ndjson');
    const r = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdoutBytes.toString('latin1').split('\r\n');
    expect(lines[0]).toBe(
      '"EXTF";700;21;"Buchungsstapel";13;20261031090000000;;"RE";"";"";29098;55003;20260101;4;20261001;20261031;' +
        '"Rechnungsausgang 2026-10";"";1;0;0;"EUR";;"";;;"";;;"";""',
    );
    expect(lines[2]).toBe(
      `499,80;"S";;;;;10001;8400;;0110;"RE-2026-0917";;;"MSP msp-4711 2026-09"${rest111}`,
    );
    expect(lines.slice(3)).toEqual(['']); // one booking, and the file ends with CRLF
    const [only] = bookingsOf(readBatch(r.stdoutBytes));
    expect(only).toMatchObject({
      sollHaben: 'S',
      konto: '10001',
      gegenkonto: '8400',
      belegdatum: '0110',
      belegfeld1: 'RE-2026-0917',
    });
  });

  it('a customer without debtorAccount is refused with one line naming the customer, and nothing is written', async () => {
    const out = join(dir, 'refused.csv');
    for (const log of [sampleWith(profile({})), sampleWith()]) {
      const r = await runIn(['datev', '--events', log, ...october, '--out', out], { env: EPOCH });
      expect(r.code).toBe(2);
      expect(r.stdoutBytes.length).toBe(0);
      expect(r.stderr).toBe(
        'msp-billing: datev --month 2026-10 — customer acme-gmbh has no debtorAccount (a CustomerProfileSet with debtorAccount is needed for invoice RE-2026-0917)\n',
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a profile recorded after the InvoiceIssued does not count for it, even if dated before', async () => {
    const log = sampleWith();
    writeFileSync(log, `${readFileSync(log, 'utf8')}${profile({ debtorAccount: 10001 })}\n`);
    const r = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^msp-billing: datev --month 2026-10 — customer acme-gmbh has no debtorAccount .*\n$/,
    );
  });

  it('uses the profile in force when the invoice was issued, not one set later', async () => {
    // A later profile (after the InvoiceIssued in business time) changes nothing of October's batch.
    const log = sampleWith(
      profile({ debtorAccount: 10001 }),
      profile({ debtorAccount: 10999 }, '2026-10-15T00:00:00+02:00', 'p-2'),
    );
    const r = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    expect(r.code).toBe(0);
    expect(bookingsOf(readBatch(r.stdoutBytes)).map((b) => b.konto)).toEqual(['10001']);
  });

  it('a reverse-charge customer needs --reverse-charge-account, then books against it', async () => {
    const log = sampleWith(profile({ debtorAccount: 10001, reverseCharge: true, vatId: 'NL123456789B01' }));
    const refused = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'msp-billing: datev --month 2026-10 — invoice RE-2026-0917 (msp-4711 2026-09): customer acme-gmbh is reverse charge; give --reverse-charge-account\n',
    );
    const r = await runIn(['datev', '--events', log, ...october, '--reverse-charge-account', '8336'], {
      env: EPOCH,
    });
    expect(r.code).toBe(0);
    expect(bookingsOf(readBatch(r.stdoutBytes)).map((b) => b.gegenkonto)).toEqual(['8336']);
  });

  it('a month with no issued invoice: exit 0, the header and the column line only, and a note', async () => {
    const log = sampleWith(profile({ debtorAccount: 10001 }));
    const r = await runIn(
      ['datev', '--events', log, '--month', '2026-11', '--consultant', '29098', '--client', '55003'],
      {
        env: EPOCH,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'note: no invoice with an amount was issued in 2026-11: the batch has no bookings\n',
    );
    const b = readBatch(r.stdoutBytes);
    expect(b.rows).toEqual([]);
    expect(b.columns).toHaveLength(125);
    expect([b.header[14]?.value, b.header[15]?.value]).toEqual(['20261101', '20261130']);
  });

  it('invalid events stop the batch; with --skip-invalid they go to stderr and stdout holds only the batch', async () => {
    const log = sampleWith(profile({ debtorAccount: 10001 }));
    writeFileSync(
      log,
      `${readFileSync(log, 'utf8')}{"id":"x-1","type":"NoSuchEvent","occurredAt":"2026-10-30T10:00:00Z","data":{}}\n`,
    );
    const stopped = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    expect(stopped.code).toBe(2);
    expect(stopped.stdoutBytes.length).toBe(0);
    expect(stopped.stderr).toMatch(/^line 29: .*NoSuchEvent.*\n$/);
    const skipped = await runIn(['datev', '--events', log, ...october, '--skip-invalid'], { env: EPOCH });
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toBe(stopped.stderr);
    expect(bookingsOf(readBatch(skipped.stdoutBytes)).map((b) => b.belegfeld1)).toEqual(['RE-2026-0917']);
  });

  it('--out writes the same bytes to the file and says so', async () => {
    const log = sampleWith(profile({ debtorAccount: 10001 }));
    const out = join(dir, 'EXTF_Buchungsstapel.csv');
    const toStdout = await runIn(['datev', '--events', log, ...october], { env: EPOCH });
    const r = await runIn(['datev', '--events', log, ...october, '--out', out], { env: EPOCH });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`1 booking of 2026-10 written to ${out}\n`);
    expect(readFileSync(out).equals(toStdout.stdoutBytes)).toBe(true);
  });

  it('--out into a directory that does not exist is one line, exit 2', async () => {
    const out = join(dir, 'no-such-dir', 'batch.csv');
    const r = await runIn(
      ['datev', '--events', sampleWith(profile({ debtorAccount: 10001 })), ...october, '--out', out],
      {
        env: EPOCH,
      },
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `msp-billing: --out ${JSON.stringify(out)} — cannot write: ENOENT\n`,
    ]);
  });

  it('option mistakes are one line each, before the log is read', async () => {
    const cases: [string[], string][] = [
      [
        ['--month', '2026-10', '--client', '1'],
        'msp-billing: datev --consultant — is required (the Beraternummer of the tax adviser)',
      ],
      [
        ['--month', '10/2026', '--consultant', '29098', '--client', '1'],
        'msp-billing: --month "10/2026" — must be a month YYYY-MM, e.g. 2026-10',
      ],
      [
        ['--month', '2026-10', '--consultant', '12', '--client', '1'],
        'msp-billing: --consultant "12" — must be the Beraternummer, a number from 1001 to 9999999',
      ],
      [
        [...october, '--revenue-account', 'x'],
        'msp-billing: --revenue-account "x" — must be a G/L account of 4 to 8 digits, e.g. 8400',
      ],
      [
        [...october, '--fiscal-year-start', '13-01'],
        'msp-billing: --fiscal-year-start "13-01" — must be a day MM-DD, e.g. 01-01 or 07-01',
      ],
    ];
    for (const [argv, line] of cases) {
      const r = await runIn(['datev', '--events', join(dir, 'no-such-log.ndjson'), ...argv]);
      expect([r.code, r.stderr]).toEqual([2, `${line}\n`]);
    }
    const r = await runIn(['datev', '--events', sampleWith(), ...october], {
      env: { SOURCE_DATE_EPOCH: 'soon' },
    });
    expect([r.code, r.stderr]).toEqual([
      2,
      'msp-billing: SOURCE_DATE_EPOCH "soon" — must be whole seconds since 1970\n',
    ]);
  });

  it('the real process writes the Windows-1252 bytes to its standard output unchanged', async () => {
    // A contract id with an umlaut: ü must reach the pipe as the single byte 0xFC.
    const log = join(dir, 'umlaut.ndjson');
    writeFileSync(
      log,
      readFileSync(sampleWith(profile({ debtorAccount: 10001 })), 'utf8').replaceAll(
        'msp-4711',
        'msp-müller',
      ),
    );
    const argv = ['datev', '--events', log, ...october];
    const spawned = await spawnCli(argv, { env: EPOCH });
    const inProcess = await runIn(argv, { env: EPOCH });
    expect([spawned.code, spawned.stderr]).toEqual([0, '']);
    expect(spawned.stdoutBytes.equals(inProcess.stdoutBytes)).toBe(true);
    expect(
      spawned.stdoutBytes.includes(Buffer.from([0x4d, 0x53, 0x50, 0x20, 0x6d, 0x73, 0x70, 0x2d, 0x6d, 0xfc])),
    ).toBe(true); // "MSP msp-mü"
    expect(bookingsOf(readBatch(spawned.stdoutBytes))[0]?.buchungstext).toBe('MSP msp-müller 2026-09');
  });
});
