/**
 * `msp-billing snapshot` and `--snapshot S` of the commands that read `--events F`: the output with a
 * snapshot is the output without one, on the worked sample and on a generated log cut anywhere (with
 * duplicates and invalid lines after the cut); a snapshot that cannot be used (the file changed,
 * another format, no such file) gives one line on stderr and the same output from the whole file.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_FORMAT } from '@msp-billing/billing';
import { generateScenarioNdjson, scenarioForEventCount } from '@msp-billing/testing';
import { describe, expect, it } from 'vitest';
import { runIn, sampleLog, spawnCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'msp-snapshot-'));
const file = (name: string): string => join(dir, name);

/** The reading commands run on each log, with and without a snapshot. */
const commandsOn = (log: string, contract: string, period: string, work: string): string[][] => [
  [
    'invoice',
    '--events',
    log,
    '--contract',
    contract,
    '--period',
    period,
    '--format',
    'json',
    '--skip-invalid',
  ],
  ['invoices', '--events', log, '--period', period, '--format', 'json', '--skip-invalid'],
  ['ledger', '--events', log, '--format', 'json', '--skip-invalid'],
  ['explain', '--events', log, '--work', work, '--format', 'json', '--skip-invalid'],
  ['check', '--events', log],
  ['contracts', '--events', log, '--format', 'json', '--skip-invalid'],
];

/** Each command's result with `--snapshot snap` equals its result without one. */
const expectSameWith = async (commands: string[][], snap: string, stderr = ''): Promise<void> => {
  for (const argv of commands) {
    const whole = await runIn(argv);
    const started = await runIn([...argv, '--snapshot', snap]);
    expect({ argv, code: started.code, stdout: started.stdout }).toEqual({
      argv,
      code: whole.code,
      stdout: whole.stdout,
    });
    expect(started.stderr).toBe(whole.stderr + stderr);
  }
};

describe('msp-billing snapshot', () => {
  it('writes a snapshot of the sample and says so in one line (spawned)', async () => {
    const out = file('sample.snapshot');
    const r = await spawnCli(['snapshot', '--events', sampleLog, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^snapshot "[^"]+sample\.snapshot": 27 events, \d+ bytes, \d+ ms\n$/);
    expect(readFileSync(out).subarray(0, 8).toString('latin1')).toBe('MSPBSNAP');
  });

  it('writes F.snapshot by default', async () => {
    const log = file('default.ndjson');
    writeFileSync(log, readFileSync(sampleLog));
    const r = await runIn(['snapshot', '--events', log]);
    expect(r.code).toBe(0);
    expect(readFileSync(`${log}.snapshot`).subarray(0, 8).toString('latin1')).toBe('MSPBSNAP');
  });

  it('the sample: every command answers the same from the snapshot of its first lines', async () => {
    const lines = readFileSync(sampleLog, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const cut = file('sample-cut.ndjson');
    writeFileSync(cut, lines.slice(0, 13).join('\n') + '\n');
    expect((await runIn(['snapshot', '--events', cut])).code).toBe(0);
    await expectSameWith(commandsOn(sampleLog, 'msp-4711', '2026-10', 'W-3'), `${cut}.snapshot`);
    await expectSameWith(commandsOn(sampleLog, 'msp-4711', '2026-09', 'W-6'), `${cut}.snapshot`);
  });

  it('a generated log cut anywhere, with repeats and invalid lines after the cut, answers the same', async () => {
    const lines = [...generateScenarioNdjson(scenarioForEventCount(3000, 7))];
    const text = lines.join('');
    const all = text.split('\n').filter((l) => l !== '');
    const first = JSON.parse(all[0] as string) as { id: string };
    // After the cut: a repeat of line 1 (a duplicate), line 1's id with other content (invalid), a
    // line that is no JSON (invalid).
    const tail = [all[0], (all[1] as string).replace(/"id":"[^"]+"/, `"id":"${first.id}"`), '{not json'];
    const log = file('generated.ndjson');
    writeFileSync(log, [...all, ...tail].join('\n') + '\n');
    const ledger = JSON.parse(
      (await runIn(['ledger', '--events', log, '--format', 'json', '--skip-invalid'])).stdout,
    ) as {
      contractId: string;
      period: string;
      workId: string;
    }[];
    const some = ledger[Math.floor(ledger.length / 2)] as {
      contractId: string;
      period: string;
      workId: string;
    };
    for (const k of [0, 1, Math.floor(all.length / 3), all.length - 1]) {
      // The cut copy ends in a line without its newline: the snapshot leaves it to be read after.
      const cut = file(`generated-${k}.ndjson`);
      writeFileSync(cut, all.slice(0, k).join('\n') + (k > 0 ? '\n' : '') + (all[k] as string).slice(0, 20));
      const r = await runIn(['snapshot', '--events', cut]);
      expect(r.stdout).toMatch(new RegExp(`: ${k} events?, `));
      await expectSameWith(commandsOn(log, some.contractId, some.period, some.workId), `${cut}.snapshot`);
    }
  });
});

describe('a snapshot that cannot be used: one line on stderr, the whole file read, the same output', () => {
  const lines = readFileSync(sampleLog, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const commands = (log: string) => commandsOn(log, 'msp-4711', '2026-10', 'W-3');

  it('the log changed before the offset', async () => {
    const log = file('changed.ndjson');
    writeFileSync(log, lines.join('\n') + '\n');
    expect((await runIn(['snapshot', '--events', log, '--out', file('changed.snapshot')])).code).toBe(0);
    // The same length, one character of line 1 changed (its id).
    writeFileSync(log, lines.join('\n').replace('"id":"e-1"', '"id":"e-0"') + '\n');
    const notice = `msp-billing: --snapshot ${JSON.stringify(file('changed.snapshot'))} — the log's first ${Buffer.byteLength(lines.join('\n') + '\n')} bytes changed since the snapshot: replaying the whole log\n`;
    await expectSameWith(commands(log), file('changed.snapshot'), notice);
  });

  it('of another format', async () => {
    const snap = file('other.snapshot');
    expect((await runIn(['snapshot', '--events', sampleLog, '--out', snap])).code).toBe(0);
    const bytes = readFileSync(snap);
    bytes.writeUInt32LE(SNAPSHOT_FORMAT + 1, 8);
    writeFileSync(snap, bytes);
    const notice = `msp-billing: --snapshot ${JSON.stringify(snap)} — snapshot format ${SNAPSHOT_FORMAT + 1}, this engine reads ${SNAPSHOT_FORMAT}: replaying the whole log\n`;
    await expectSameWith(commands(sampleLog), snap, notice);
  });

  it('no such file', async () => {
    const snap = file('missing.snapshot');
    expect(existsSync(snap)).toBe(false);
    const notice = `msp-billing: --snapshot ${JSON.stringify(snap)} — no such file: replaying the whole log\n`;
    await expectSameWith(commands(sampleLog), snap, notice);
  });
});

describe('snapshot options that make no sense are user errors (exit 2, one line)', () => {
  it.each([
    [['snapshot', '--events', '-'], /^msp-billing: snapshot --events - — needs a file/],
    [['snapshot'], /^msp-billing: snapshot --events — is required/],
    [
      ['snapshot', '--events', sampleLog, '--out', join(dir, 'no-such-dir', 'x.snapshot')],
      /^msp-billing: snapshot --out "[^"]+x\.snapshot" — cannot write: ENOENT\n$/,
    ],
    [
      ['check', '--events', '-', '--snapshot', 'x'],
      /^msp-billing: check --snapshot — goes with --events FILE/,
    ],
    [
      ['check', '--store', 'postgres://x/y', '--snapshot', 'x'],
      /^msp-billing: check --snapshot — goes with --events FILE/,
    ],
  ])('%j', async (argv, line) => {
    const r = await runIn(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
