/**
 * The PostgreSQL adapter against the shared contract suite (and its appendBatch part), plus migrations
 * and awkward text.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { Pool } from 'pg';
import { describeAppendBatchContract, describeEventStoreContract } from '@msp-billing/store/contract-suite';
import { migrate, migrations, PostgresEventStore } from '../src/index.js';
import { testDatabaseUrl } from './support/database.js';

describeEventStoreContract('postgres', async () =>
  PostgresEventStore.create({ connectionString: await testDatabaseUrl(), pollIntervalMs: 20 }),
);

describeAppendBatchContract('postgres', async () =>
  PostgresEventStore.create({ connectionString: await testDatabaseUrl() }),
);

describe('migrations', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = new Pool({ connectionString: await testDatabaseUrl(), max: 12 });
  });
  afterAll(async () => {
    await pool.end();
  });

  it('are idempotent and safe under concurrent callers', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(pool)));
    expect(results.flat().length).toBeLessThanOrEqual(migrations.length);
    expect(await migrate(pool)).toEqual([]);
    const versions = await pool.query<{ version: number }>(
      'SELECT version FROM msp_migrations ORDER BY version',
    );
    expect(versions.rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });
});
