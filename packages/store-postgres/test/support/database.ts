/**
 * How a PostgreSQL test finds its database: DATABASE_URL, or the throwaway server the globalSetup
 * is starting (wait for its ready file). No server is a test FAILURE with the reason, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** What the globalSetup provides. */
export type PostgresTestContext =
  | { readonly kind: 'external'; readonly url: string }
  | { readonly kind: 'throwaway'; readonly readyFile: string; readonly errorFile: string };

/** The connection string of the test database; rejects with a clear reason when there is none. */
export const testDatabaseUrl = (timeoutMs = 90_000): Promise<string> =>
  resolveDatabaseUrl(process.env.DATABASE_URL, inject('mspPostgres'), timeoutMs);

/** `testDatabaseUrl` with its inputs made explicit (so the failure paths can be tested). */
export const resolveDatabaseUrl = async (
  fromEnv: string | undefined,
  ctx: PostgresTestContext | undefined,
  timeoutMs: number,
): Promise<string> => {
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (ctx === undefined)
    throw new Error(
      'PostgreSQL tests need DATABASE_URL or the globalSetup packages/store-postgres/test/support/globalSetup.ts ' +
        '(registered in vitest.config.ts)',
    );
  if (ctx.kind === 'external') return ctx.url;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(ctx.errorFile))
      throw new Error(`PostgreSQL tests cannot run: ${readFileSync(ctx.errorFile, 'utf8')}`);
    if (existsSync(ctx.readyFile)) return readFileSync(ctx.readyFile, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the throwaway PostgreSQL was not ready within ${timeoutMs} ms`);
};
