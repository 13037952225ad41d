/**
 * Borrowing a pool client safely. While a client is checked out, `pg` emits a lost connection as an
 * 'error' event on the client when no query is running (e.g. between the statements of our
 * transaction); with no listener that event crashes the process. So every borrowed client gets a
 * listener, and a client whose connection failed is destroyed instead of returned to the pool.
 */
import type { Pool, PoolClient } from 'pg';

/** Run `work` with a client of `pool`; the client is released (or destroyed if broken) afterwards. */
export const withClient = async <A>(pool: Pool, work: (client: PoolClient) => Promise<A>): Promise<A> => {
  const client = await pool.connect();
  let failed: unknown;
  const onError = (err: unknown): void => {
    failed = err;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (err) {
    failed ??= isConnectionError(err) ? err : undefined;
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(failed instanceof Error ? failed : failed === undefined ? undefined : true);
  }
};

/** Run `work` in one transaction (opened with `begin`): COMMIT on success, ROLLBACK on error. */
export const inTransaction = <A>(
  pool: Pool,
  work: (client: PoolClient) => Promise<A>,
  begin = 'BEGIN',
): Promise<A> =>
  withClient(pool, async (client) => {
    await client.query(begin);
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // If the connection is gone the ROLLBACK fails too; the server has rolled back already.
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });

// Errors after which the connection is unusable: socket-level failures and server shutdown codes.
const isConnectionError = (err: unknown): boolean => {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08') || code.startsWith('E')))
    return true;
  return /Connection terminated|connection .*closed|ECONNRESET|EPIPE/i.test(err.message);
};
