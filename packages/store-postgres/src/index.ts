/**
 * @msp-billing/store-postgres — the EventStore port on PostgreSQL: versioned migrations, appends
 * serialised by an advisory lock so the global order has no gaps a reader could skip, checkpoints,
 * a projection runner that commits each batch with its checkpoint, and the SQL read model of billing
 * (optionally partitioned by contract) built on it.
 *
 * @packageDocumentation
 */
export * from './migrations.js';
export * from './store.js';
export * from './projection.js';
export * from './snapshots.js';
export * from './ledgerSnapshots.js';
export {
  parsePartition,
  partitionOfContract,
  prepareReadModel,
  readModelName,
  runReadModel,
  SNAPSHOT_EVERY,
  type Partition,
  type ReadModelOptions,
} from './readModel.js';
