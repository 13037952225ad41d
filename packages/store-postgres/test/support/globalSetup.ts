/**
 * Vitest globalSetup for the PostgreSQL tests. With DATABASE_URL set (CI's `.ci/pg.sh`), the tests
 * use that server and nothing is started. Without it, a throwaway server is started IN THE
 * BACKGROUND (so runs of other packages are not held up) and the tests wait for its ready file.
 * It never throws: when no server can be had, the reason is provided to the tests, which FAIL with
 * it (never skip).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { reapOrphanedServers, startThrowawayPostgres, type ThrowawayPostgres } from './pgServer.js';
import type { PostgresTestContext } from './database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

/** Provide the database (or the way to wait for it) to every test worker. */
export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && external !== '') {
    project.provide('mspPostgres', { kind: 'external', url: external });
    return undefined;
  }
  // Servers of earlier runs that died before their teardown (killed, crashed reporter).
  reapOrphanedServers();
  const signals = mkdtempSync(join(tmpdir(), 'msp-pg-ready-'));
  const readyFile = join(signals, 'ready');
  const errorFile = join(signals, 'error');
  project.provide('mspPostgres', { kind: 'throwaway', readyFile, errorFile });
  let onExit: (() => void) | undefined;
  const starting: Promise<ThrowawayPostgres | undefined> = startThrowawayPostgres().then(
    (server) => {
      // If the run ends without teardown (a crash calls process.exit), still stop the server.
      onExit = () => {
        server.stopSync();
        rmSync(signals, { recursive: true, force: true });
      };
      process.once('exit', onExit);
      writeFileSync(readyFile, server.url);
      return server;
    },
    (err: unknown) => {
      writeFileSync(errorFile, err instanceof Error ? err.message : String(err));
      return undefined;
    },
  );
  return async () => {
    const server = await starting;
    if (onExit !== undefined) process.removeListener('exit', onExit);
    await server?.stop();
    if (existsSync(signals)) rmSync(signals, { recursive: true, force: true });
  };
}
