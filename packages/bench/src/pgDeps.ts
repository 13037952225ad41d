/**
 * The workspace packages the PostgreSQL benchmark uses (postgres.ts, pgRun.ts, pgRows.ts). Kept apart
 * from deps.ts so that the engine and baseline children of `pnpm bench` do not load the store and
 * `pg`, which would change the memory they measure.
 */
export {
  createLedger,
  amountOf,
  formatMoney,
  writeSnapshot,
  Dec,
  SNAPSHOT_FORMAT,
  ZERO,
  type Invoice,
  type Ledger,
} from '@msp-billing/billing';
export { readNdjson, canonicalEvent, streamOf, type DomainEvent } from '@msp-billing/events';
export { openEventSource } from '@msp-billing/cli/event-file';
export { importEvents, readAllEvents } from '@msp-billing/store';
export {
  PostgresEventStore,
  loadStoreLedger,
  parsePartition,
  prepareReadModel,
  runReadModel,
  saveSnapshot,
} from '@msp-billing/store-postgres';
export {
  reapOrphanedServers,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '@msp-billing/store-postgres/throwaway-server';
