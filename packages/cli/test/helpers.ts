/**
 * Test helpers: run `msp-billing` in-process through `run()` with collected streams, or spawn the real
 * command; paths of the worked sample (examples/data) and of this package's fixtures.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/main.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const repoRoot = resolve(here, '../../..');
/** The worked sample with its hand-worked results (examples/data). */
export const samples = resolve(repoRoot, 'examples/data');
/** The sample log. */
export const sampleLog = resolve(samples, 'example-month.ndjson');
/** A file of this package's fixtures. */
export const fixture = (name: string): string => resolve(here, 'fixtures', name);
/** Parsed JSON of a file of the worked sample. */
export const loadSample = (name: string): unknown => JSON.parse(readFileSync(resolve(samples, name), 'utf8'));

/** What a run printed and returned. */
export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Standard output as the bytes written (`datev` writes Windows-1252). */
  readonly stdoutBytes: Buffer;
}

const asBytes = (s: string | Uint8Array): Buffer =>
  typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);

/** Run in-process. */
export const runIn = async (
  argv: readonly string[],
  opts: {
    stdin?: AsyncIterable<Uint8Array | string>;
    isTTY?: boolean;
    env?: Record<string, string>;
    threshold?: number;
  } = {},
): Promise<Result> => {
  const stdout: Buffer[] = [];
  let stderr = '';
  const code = await run(argv, {
    stdin:
      opts.stdin ??
      (async function* () {
        /* no input */
      })(),
    stdout: { write: (s) => (stdout.push(asBytes(s)), true) },
    stderr: { write: (s) => ((stderr += asBytes(s).toString('utf8')), true) },
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    ...(opts.threshold === undefined ? {} : { progressThresholdBytes: opts.threshold }),
  });
  const bytes = Buffer.concat(stdout);
  return { code, stdout: bytes.toString('utf8'), stderr, stdoutBytes: bytes };
};

/** Bytes of a file as a one-chunk stdin. */
export const stdinOf = (path: string): AsyncIterable<Uint8Array> =>
  (async function* () {
    yield readFileSync(path);
  })();

/** Which program `spawnCli` runs: the sources through tsx, the package bin, or an entry file of a build. */
export type CliEntry = 'source' | 'bin' | { readonly compiled: string };

/** Spawn the real command from the repository root (src/bin.ts through tsx, or the package bin). */
export const spawnCli = (
  argv: readonly string[],
  opts: { input?: string | Buffer; env?: Record<string, string>; viaBin?: boolean; entry?: CliEntry } = {},
): Promise<Result> =>
  new Promise((done, reject) => {
    const which = opts.entry ?? (opts.viaBin === true ? 'bin' : 'source');
    const entry =
      which === 'bin'
        ? ['packages/cli/bin/msp-billing.js']
        : which === 'source'
          ? ['--import', 'tsx', 'packages/cli/src/bin.ts']
          : [which.compiled];
    const child = spawn(process.execPath, [...entry, ...argv], {
      cwd: repoRoot,
      env: { ...process.env, MSP_DEBUG: '', ...opts.env },
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(stdout);
      done({ code: code ?? -1, stdout: bytes.toString('utf8'), stderr, stdoutBytes: bytes });
    });
    child.stdin.end(opts.input ?? '');
  });

/** Every key of `expected` matches in `actual`, recursively (the sample files list a subset of fields). */
export const subsetMismatches = (actual: unknown, expected: unknown, path = '$'): string[] => {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: not an array`];
    if (actual.length !== expected.length) return [`${path}: length ${actual.length} ≠ ${expected.length}`];
    return expected.flatMap((x, i) => subsetMismatches(actual[i], x, `${path}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return [`${path}: not an object`];
    return Object.entries(expected).flatMap(([k, v]) =>
      k in actual
        ? subsetMismatches((actual as Record<string, unknown>)[k], v, `${path}.${k}`)
        : [`${path}.${k}: missing`],
    );
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
};
