/**
 * The compiled command (build.mjs) is the same program as the sources: built into a temporary
 * directory, it must print byte for byte what src/bin.ts through tsx prints, with the same exit
 * status, for a representative set of commands — and the launcher must use it only while every
 * source is unchanged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuildFresh } from '../bin/fresh.js';
import { fixture, repoRoot, sampleLog, spawnCli } from './helpers.js';

describe('the compiled command', () => {
  let dist = '';
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'msp-billing-dist-'));
    const built = spawnSync(process.execPath, ['packages/cli/build.mjs', dist], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`build.mjs failed (${built.status}): ${built.stderr}`);
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  const cases: readonly (readonly string[])[] = [
    ['--help'],
    ['ledger', '--help'],
    ['invoice', '--events', sampleLog, '--contract', 'msp-4711', '--period', '2026-10', '--format', 'json'],
    ['invoice', '--events', sampleLog, '--contract', 'msp-4711', '--period', '2026-09'],
    ['ledger', '--events', sampleLog, '--format', 'csv'],
    ['explain', '--events', sampleLog, '--work', 'W-8'],
    ['check', '--events', fixture('warnings.ndjson')],
    ['ledger', '--events', sampleLog, '--bogus'],
    ['invoice', '--events', sampleLog, '--contract', 'nope', '--period', '2026-10'],
  ];
  it.concurrent.each(cases.map((c) => [c.join(' '), c] as const))(
    'prints what the sources print: %s',
    async (_, argv) => {
      const [compiled, source] = await Promise.all([
        spawnCli(argv, { entry: { compiled: join(dist, 'bin.js') } }),
        spawnCli(argv, { entry: 'source' }),
      ]);
      expect(compiled).toEqual(source);
      expect(compiled.stdout.length + compiled.stderr.length).toBeGreaterThan(0);
    },
  );

  it('is fresh right after the build', () => {
    expect(isBuildFresh(dist)).toBe(true);
  });

  it('is stale once a source changes its size or modification time', () => {
    // On files of its own: the test must not touch the repository's sources.
    const dir = mkdtempSync(join(tmpdir(), 'msp-billing-fresh-'));
    try {
      const source = join(dir, 'a.ts');
      writeFileSync(source, 'export const a = 1;\n');
      const list = (): void => {
        const s = statSync(source);
        writeFileSync(join(dir, 'inputs.json'), JSON.stringify([['a.ts', s.size, s.mtimeMs]]));
      };
      list();
      expect(isBuildFresh(dir)).toBe(true);
      utimesSync(source, new Date(), new Date(Date.now() + 5000));
      expect(isBuildFresh(dir)).toBe(false);
      list();
      expect(isBuildFresh(dir)).toBe(true);
      writeFileSync(source, 'export const a = 22;\n');
      const s = statSync(source);
      writeFileSync(join(dir, 'inputs.json'), JSON.stringify([['a.ts', s.size - 1, s.mtimeMs]]));
      expect(isBuildFresh(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not fresh without a build or with an unreadable list', () => {
    const empty = mkdtempSync(join(tmpdir(), 'msp-billing-nodist-'));
    try {
      expect(isBuildFresh(empty)).toBe(false);
      writeFileSync(join(empty, 'inputs.json'), 'not json');
      expect(isBuildFresh(empty)).toBe(false);
      writeFileSync(join(empty, 'inputs.json'), '[]');
      expect(isBuildFresh(empty)).toBe(false);
      writeFileSync(join(empty, 'inputs.json'), JSON.stringify([['missing.ts', 1, 1]]));
      expect(isBuildFresh(empty)).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
