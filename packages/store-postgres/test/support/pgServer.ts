/**
 * A throwaway PostgreSQL server for tests: initdb into a fresh temporary directory, listen only on a
 * unix socket there (no TCP), create a database, and hand back its URL. Used by the vitest
 * globalSetup (when DATABASE_URL is unset) and by tests that must restart a server they own.
 * Debian keeps the binaries in /usr/lib/postgresql/<major>/bin, off PATH. As root, the server runs
 * as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** Connection string of its database (unix socket). */
  readonly url: string;
  readonly dir: string;
  /** `pg_ctl restart -m fast`: every open connection is terminated. */
  readonly restart: () => Promise<void>;
  /** Stop immediately and delete the directory. */
  readonly stop: () => Promise<void>;
  /** The same, synchronously: for a process 'exit' handler, where nothing async runs. */
  readonly stopSync: () => void;
}

const PREFIX = 'msp-pg-';
const OWNER_FILE = 'owner.pid';

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const pgCtlStopSync = (bin: string, dir: string): void => {
  const args = [join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'];
  try {
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', ...args], { cwd: dir, stdio: 'ignore' });
    else execFileSync(args[0] as string, args.slice(1), { cwd: dir, stdio: 'ignore' });
  } catch {
    // Already stopped (or never started): nothing to do but remove the directory.
  }
  rmSync(dir, { recursive: true, force: true });
};

/**
 * Stop and delete throwaway servers whose owning process has died without stopping them (a test run
 * killed by a signal or a timeout). Only directories carrying our owner file are touched.
 */
export const reapOrphanedServers = (): number => {
  const bin = findPostgresBin();
  if (bin === undefined) return 0;
  let reaped = 0;
  for (const name of readdirSync(tmpdir())) {
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER_FILE);
    if (!name.startsWith(PREFIX) || !existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (!Number.isInteger(owner) || owner <= 0 || processAlive(owner)) continue;
    pgCtlStopSync(bin, dir);
    reaped += 1;
  }
  return reaped;
};

/** The bin directory of the newest installed PostgreSQL, or undefined. */
export const findPostgresBin = (): string | undefined => {
  const root = '/usr/lib/postgresql';
  if (process.env.PG_BIN !== undefined && existsSync(join(process.env.PG_BIN, 'initdb')))
    return process.env.PG_BIN;
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')) && existsSync(join(root, d, 'bin', 'pg_ctl')))
    .toSorted((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });

const postgresUid = async (): Promise<{ uid: number; gid: number }> => {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { uid, gid };
};

/** Start a server; rejects with a readable reason when the binaries are missing or it fails. */
export const startThrowawayPostgres = async (database = 'msp_test'): Promise<ThrowawayPostgres> => {
  const bin = findPostgresBin();
  if (bin === undefined)
    throw new Error(
      'no PostgreSQL binaries found (looked in /usr/lib/postgresql/*/bin and $PG_BIN); ' +
        'install PostgreSQL or set DATABASE_URL to a server the tests may use',
    );
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  if (asRoot) {
    const { uid, gid } = await postgresUid();
    chownSync(dir, uid, gid);
  }
  // As root, run each binary as `postgres`; the cwd must be one that user can enter.
  const pg = (tool: string, args: readonly string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir })
      : run(join(bin, tool), [...args], { cwd: dir });
  const data = join(dir, 'data');
  const port = await freePort();
  // A test server: durability is not the point, speed is (fsync off is never for production).
  const options = `-h '' -k ${dir} -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const ctl = (...args: string[]) =>
    pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  try {
    await pg('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await ctl('-o', options, 'start');
    await pg('createdb', ['-h', dir, '-p', String(port), '-U', 'postgres', database]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`could not start a throwaway PostgreSQL from ${bin}: ${why}`, { cause: err });
  }
  return {
    url: `postgresql://postgres@${encodeURIComponent(dir)}:${port}/${database}`,
    dir,
    restart: async () => {
      await ctl('-m', 'fast', '-o', options, 'restart');
    },
    stop: async () => {
      try {
        await ctl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    stopSync: () => pgCtlStopSync(bin, dir),
  };
};
