/**
 * How PostgreSQL tests find their server, and that having none is a failure with a reason (never a
 * silent skip).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDatabaseUrl } from './support/database.js';

describe('resolveDatabaseUrl', () => {
  const dirs: string[] = [];
  const signals = () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-db-url-'));
    dirs.push(dir);
    return { kind: 'throwaway' as const, readyFile: join(dir, 'ready'), errorFile: join(dir, 'error') };
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('prefers DATABASE_URL', async () => {
    expect(await resolveDatabaseUrl('postgresql://ci/db', signals(), 10)).toBe('postgresql://ci/db');
    expect(await resolveDatabaseUrl(undefined, { kind: 'external', url: 'postgresql://x/y' }, 10)).toBe(
      'postgresql://x/y',
    );
  });

  it('waits for the throwaway server to be ready', async () => {
    const ctx = signals();
    setTimeout(() => writeFileSync(ctx.readyFile, 'postgresql://postgres@%2Ftmp%2Fx:5432/msp_test'), 100);
    expect(await resolveDatabaseUrl('', ctx, 5_000)).toBe('postgresql://postgres@%2Ftmp%2Fx:5432/msp_test');
  });

  it('fails with the reason when no server could be started, or none is configured', async () => {
    const ctx = signals();
    writeFileSync(
      ctx.errorFile,
      'no PostgreSQL binaries found (looked in /usr/lib/postgresql/*/bin and $PG_BIN)',
    );
    await expect(resolveDatabaseUrl(undefined, ctx, 5_000)).rejects.toThrow(
      'PostgreSQL tests cannot run: no PostgreSQL binaries found',
    );
    await expect(resolveDatabaseUrl(undefined, undefined, 10)).rejects.toThrow(/need DATABASE_URL/);
    await expect(resolveDatabaseUrl(undefined, signals(), 100)).rejects.toThrow(/not ready within 100 ms/);
  });
});
