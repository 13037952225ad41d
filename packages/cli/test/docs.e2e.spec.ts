/**
 * The commands in the README and the docs run as written, from a fresh copy of the repository with
 * nothing beside it. Fenced blocks are marked runnable by their info string:
 *
 * - ` ```sh runnable `: every line is a shell command (bash, from the repository root) and must exit 0;
 *   a line ending in `\` continues on the next; blank lines and `#` comments are skipped.
 * - ` ```console runnable `: a line starting with `$ ` is a command; the lines after it, up to the next
 *   `$ ` line, are its expected output (stdout and stderr as they interleave), compared exactly after
 *   trimming trailing blanks of each line and trailing blank lines. A line `...` (or `…`), blanks
 *   around it allowed, stands for any number of lines. A last line `(exit N)` expects exit status N;
 *   without it the command must exit 0.
 * - ` ```ts runnable `: the block is written to a file at the repository root and run with
 *   `npx tsx FILE`; it must exit 0.
 *
 * The copy: the working tree's files that git would commit (tracked and untracked, not ignored),
 * copied into a temporary directory with no `../shared` beside it, then a frozen, offline install
 * (about 5 s: the packages come from the local pnpm store the suite itself was installed from). All
 * blocks share that one copy and run in document order: a block may read a file that an earlier block
 * of the same document wrote (a how-to that builds on its steps), never one of another document.
 *
 * Not run: the README's `npx -y pnpm@12.4.2 test` (the whole suite, which includes this test) is a
 * plain `sh` block; `.ci/run` and the suite itself prove it.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

/** A runnable fenced block: where it is, its kind, and its lines. */
interface Block {
  readonly file: string;
  readonly line: number;
  readonly kind: 'sh' | 'console' | 'ts';
  readonly body: readonly string[];
}

const KINDS = new Set(['sh', 'console', 'ts']);

/** The runnable blocks of a Markdown text (fences of three or more backticks at the start of a line). */
const runnableBlocks = (file: string, text: string): Block[] => {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const fence = open[1] ?? '```';
    const info = (open[2] ?? '').trim().split(/\s+/);
    let end = i + 1;
    // The closing fence: backticks only, at least as many as the opening one.
    const closes = (l: string): boolean => /^`+$/.test(l.trim()) && l.trim().length >= fence.length;
    while (end < lines.length && !closes(lines[end] ?? '')) end++;
    const kind = info[0] ?? '';
    if (KINDS.has(kind) && info.includes('runnable'))
      blocks.push({ file, line: i + 1, kind: kind as Block['kind'], body: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
};

/** The shell commands of a `sh` block: continuation lines joined, blanks and comments skipped. */
const shellCommands = (body: readonly string[]): string[] => {
  const out: string[] = [];
  let pending = '';
  for (const raw of body) {
    const line = pending === '' ? raw : `${pending}\n${raw}`;
    if (/\\\s*$/.test(raw)) {
      pending = line;
      continue;
    }
    pending = '';
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) out.push(line);
  }
  if (pending.trim() !== '') out.push(pending);
  return out;
};

/** One command of a `console` block with the output and exit status it should give. */
interface Expectation {
  readonly command: string;
  readonly output: readonly string[];
  readonly exit: number;
}

/** The commands of a `console` block and what each should print. */
const consoleExpectations = (body: readonly string[]): Expectation[] => {
  const out: { command: string; output: string[] }[] = [];
  for (const line of body) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), output: [] });
    else if (out.length === 0) {
      if (line.trim() !== '') throw new Error(`console block: output before the first "$ " line: ${line}`);
    } else out[out.length - 1]?.output.push(line);
  }
  return out.map(({ command, output }) => {
    const lines = normalise(output);
    const last = lines[lines.length - 1] ?? '';
    const exit = /^\(exit (\d+)\)$/.exec(last.trim());
    return exit === null
      ? { command, output: lines, exit: 0 }
      : { command, output: normalise(lines.slice(0, -1)), exit: Number(exit[1]) };
  });
};

/** Lines with trailing blanks trimmed and trailing empty lines dropped. */
const normalise = (lines: readonly string[]): string[] => {
  const out = lines.map((l) => l.trimEnd());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
};

const isElision = (line: string): boolean => line.trim() === '...' || line.trim() === '…';

/** Whether `actual` matches `expected`, where an elision line stands for any number of lines. */
const matchesWithElision = (actual: readonly string[], expected: readonly string[]): boolean => {
  const at = (a: number, e: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (isElision(expected[e] ?? '')) {
      for (let k = a; k <= actual.length; k++) if (at(k, e + 1)) return true;
      return false;
    }
    return a < actual.length && actual[a] === expected[e] && at(a + 1, e + 1);
  };
  return at(0, 0);
};

/** The documents whose blocks run: the README, docs/, and the READMEs of packages and examples. */
const documents = (): string[] => {
  const inDir = (dir: string, name?: string): string[] => {
    const abs = join(repoRoot, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs)
      .toSorted()
      .flatMap((entry) =>
        name === undefined
          ? entry.endsWith('.md')
            ? [join(dir, entry)]
            : []
          : existsSync(join(abs, entry, name))
            ? [join(dir, entry, name)]
            : [],
      );
  };
  return [
    'README.md',
    ...inDir('docs'),
    ...inDir('packages', 'README.md'),
    ...inDir('examples', 'README.md'),
  ];
};

const blocks = documents().flatMap((file) =>
  runnableBlocks(file, readFileSync(join(repoRoot, file), 'utf8')),
);

/** The environment of the documented commands: this process's, without what vitest adds. */
const commandEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'NODE_ENV' || k === 'MSP_DEBUG') continue;
    env[k] = v;
  }
  return env;
};

let work = '';
let root = '';

/** Run `command` with bash from the copy's root; stdout and stderr interleaved as a terminal shows them. */
const sh = (command: string): { status: number; output: string } => {
  const r = spawnSync('bash', ['-c', `exec 2>&1\n${command}`], {
    cwd: root,
    env: commandEnv(),
    encoding: 'utf8',
    input: '',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error !== undefined) throw r.error;
  return { status: r.status ?? -1, output: r.stdout };
};

/** Copy the files git would commit from the working tree into `to` (nothing ignored, nothing beside). */
const copyWorkingTree = (to: string): void => {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${repoRoot}: ${listed.stderr}`);
  for (const file of new Set(listed.stdout.split('\0'))) {
    const from = join(repoRoot, file);
    // Deleted but not yet committed files are listed too; a symlink or directory entry is not a file.
    if (file === '' || !existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-docs-'));
  root = join(work, 'repo');
  copyWorkingTree(root);
  const install = sh('npx -y pnpm@12.4.2 install --frozen-lockfile --offline');
  if (install.status !== 0) throw new Error(`install in the copy failed:\n${install.output}`);
}, 300_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the runnable blocks of README.md and docs/', () => {
  it('include the README commands and its showcase', () => {
    const readme = blocks.filter((b) => b.file === 'README.md').map((b) => b.kind);
    expect(readme).toEqual(expect.arrayContaining(['sh', 'console']));
    // The copy has no ../shared beside it: the documents cannot lean on it either.
    for (const b of blocks)
      expect(b.body.join('\n'), `${b.file}:${b.line}`).not.toMatch(/\.\.\/shared\b|\/work\//);
  });

  // Every block in document order, so that a how-to's later step finds what an earlier one wrote; one
  // test per block (none registered conditionally), checked as its kind says.
  const title = {
    sh: 'every command exits 0',
    console: 'every command prints what is shown',
    ts: 'runs with npx tsx from the repository root',
  };
  for (const block of blocks)
    it(`${block.file}:${block.line} (${block.kind}): ${title[block.kind]}`, () => {
      const { got, want } = runBlock[block.kind](block);
      expect(got).toEqual(want);
    });
});

/** What running a block gave, and what its document says it gives. */
interface Outcome {
  readonly got: readonly unknown[];
  readonly want: readonly unknown[];
}

/** How a block of each kind is run: every command of it, in order. */
const runBlock: Record<Block['kind'], (block: Block) => Outcome> = {
  sh: (block) => {
    const commands = shellCommands(block.body);
    return {
      got: commands.map((command) => {
        const r = sh(command);
        return { command, status: r.status, output: r.status === 0 ? '' : r.output };
      }),
      want: commands.map((command) => ({ command, status: 0, output: '' })),
    };
  },
  console: (block) => {
    const wants = consoleExpectations(block.body);
    return {
      got: wants.map((want) => {
        const r = sh(want.command);
        const got = normalise(r.output.split('\n'));
        // The output as shown when it matches (elisions and all), else as printed: a diff on failure.
        const seen = matchesWithElision(got, want.output) ? want.output : got;
        return { command: want.command, output: seen.join('\n'), exit: r.status };
      }),
      want: wants.map((want) => ({ command: want.command, output: want.output.join('\n'), exit: want.exit })),
    };
  },
  ts: (block) => {
    const name = `.docs-block-${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-${block.line}.ts`;
    writeFileSync(join(root, name), `${block.body.join('\n')}\n`);
    try {
      const r = sh(`npx tsx ${name}`);
      return {
        got: [{ status: r.status, output: r.status === 0 ? '' : r.output }],
        want: [{ status: 0, output: '' }],
      };
    } finally {
      rmSync(join(root, name), { force: true });
    }
  },
};

describe('the block markers', () => {
  it('find sh, console and ts blocks marked runnable, and only those', () => {
    const md = [
      '```sh runnable',
      'echo a \\',
      '  b',
      '# a comment',
      '',
      'true',
      '```',
      '```sh',
      'not run',
      '```',
      '````console runnable',
      '$ echo x',
      'x',
      '(exit 0)',
      '````',
      '```ts runnable',
      "console.log('t');",
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n');
    const found = runnableBlocks('x.md', md);
    expect(found.map((b) => [b.kind, b.line])).toEqual([
      ['sh', 1],
      ['console', 11],
      ['ts', 16],
    ]);
    expect(shellCommands(found[0]?.body ?? [])).toEqual(['echo a \\\n  b', 'true']);
    expect(consoleExpectations(found[1]?.body ?? [])).toEqual([
      { command: 'echo x', output: ['x'], exit: 0 },
    ]);
  });

  it('read the exit status line and trim trailing blanks', () => {
    expect(consoleExpectations(['$ a', 'one  ', 'two', '', '(exit 2)', '$ b', '', ''])).toEqual([
      { command: 'a', output: ['one', 'two'], exit: 2 },
      { command: 'b', output: [], exit: 0 },
    ]);
  });

  it('let an elision line stand for any number of lines, and nothing else', () => {
    expect(matchesWithElision(['a', 'b', 'c', 'd'], ['a', '...', 'd'])).toBe(true);
    expect(matchesWithElision(['a', 'd'], ['a', '  …', 'd'])).toBe(true);
    expect(matchesWithElision(['a', 'b', 'c'], ['a', '...', 'd'])).toBe(false);
    expect(matchesWithElision(['a', 'b'], ['a'])).toBe(false);
    expect(matchesWithElision(['a'], ['a', 'b'])).toBe(false);
  });
});
