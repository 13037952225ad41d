/**
 * @msp-billing/store-postgres — the EventStore port on PostgreSQL: versioned migrations, appends
 * serialised by an advisory lock so the global order has no gaps a reader could skip, checkpoints,
 * and a projection runner that commits each batch with its checkpoint.
 *
 * @packageDocumentation
 */
export * from './migrations.js';
export * from './store.js';
export * from './projection.js';
export {
  parsePartition,
  partitionOfContract,
  prepareReadModel,
  readModelName,
  runReadModel,
  type Partition,
  type ReadModelOptions,
} from './readModel.js';
