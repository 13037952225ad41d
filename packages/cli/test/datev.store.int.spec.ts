/**
 * `msp-billing datev --store` against a real PostgreSQL (DATABASE_URL, or the vitest globalSetup's
 * throwaway server): the sample with its profiles imported into a fresh database gives the same
 * batch, byte for byte, as the log itself.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '@msp-billing/store-postgres';
import { testDatabaseUrl, type PostgresTestContext } from '../../store-postgres/test/support/database.js';
import { repoRoot, runIn } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mspPostgres: PostgresTestContext;
  }
}

const log = resolve(repoRoot, 'examples/data/example-month-with-profiles.ndjson');
const october = ['--month', '2026-10', '--consultant', '29098', '--client', '55003'];

describe('msp-billing datev --store (PostgreSQL)', () => {
  let admin: PostgresEventStore;
  let name: string;
  let url: string;
  beforeAll(async () => {
    const base = await testDatabaseUrl();
    admin = await PostgresEventStore.create({ connectionString: base, migrate: false, maxConnections: 2 });
    name = `msp_datev_${randomUUID().replace(/-/g, '')}`;
    await admin.pool.query(`CREATE DATABASE ${name}`);
    const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(base);
    if (m === null) throw new Error(`not a PostgreSQL URL: ${base}`);
    url = `${m[1]}/${name}${m[2]}`;
  });
  afterAll(async () => {
    await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  it('reads the profiles from the store: the same October batch as from the log', async () => {
    const imported = await runIn(['import', '--events', log, '--store', url]);
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    const env = { SOURCE_DATE_EPOCH: '1793433600' };
    const fromStore = await runIn(['datev', '--store', url, ...october], { env });
    const fromLog = await runIn(['datev', '--events', log, ...october], { env });
    expect([fromStore.code, fromStore.stderr]).toEqual([0, '']);
    expect(fromStore.stdoutBytes.length).toBeGreaterThan(0);
    expect(fromStore.stdoutBytes.equals(fromLog.stdoutBytes)).toBe(true);
    expect(fromStore.stdoutBytes.toString('latin1')).toContain(
      '499,80;"S";;;;;10001;8400;;0110;"RE-2026-0917"',
    );
  });
});
