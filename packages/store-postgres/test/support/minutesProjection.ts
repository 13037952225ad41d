/**
 * A small projection for the crash tests: minutes and event counts per ticket, from `WorkLogged`
 * events whose ticket id starts with a test's prefix, into `msp_test_minutes` keyed by projection.
 * Its `handle` writes its rows first and can then dawdle, so a kill lands mid-batch, after writes
 * that must never become visible.
 */
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@msp-billing/store';

/** Create the projection's table (idempotent). */
export const MINUTES_TABLE_SQL = `CREATE TABLE IF NOT EXISTS msp_test_minutes (
  projection text   NOT NULL,
  ticket     text   NOT NULL,
  minutes    bigint NOT NULL,
  events     bigint NOT NULL,
  PRIMARY KEY (projection, ticket)
)`;

/** The batch handler of projection `name`; `onWritten` is told when a batch's rows are written. */
export const minutesHandler =
  (name: string, prefix: string, slowMs: number, onWritten: () => void = () => undefined) =>
  async (client: PoolClient, records: readonly RecordedEvent[]): Promise<void> => {
    for (const r of records) {
      if (r.event.type !== 'WorkLogged' || !r.event.data.ticketId.startsWith(prefix)) continue;
      await client.query(
        `INSERT INTO msp_test_minutes (projection, ticket, minutes, events) VALUES ($1, $2, $3, 1)
         ON CONFLICT (projection, ticket) DO UPDATE
           SET minutes = msp_test_minutes.minutes + EXCLUDED.minutes, events = msp_test_minutes.events + 1`,
        [name, r.event.data.ticketId, r.event.data.minutes],
      );
    }
    onWritten();
    if (slowMs > 0) await client.query('SELECT pg_sleep($1)', [slowMs / 1000]);
  };
