/**
 * Import throughput into PostgreSQL, for the numbers in docs/stores.md. Run from the repository root:
 *   node --import tsx packages/bench/src/generate.ts /tmp/msp-import-100k.ndjson 100000 1
 *   npx tsx packages/store-postgres/test/support/importBench.ts /tmp/msp-import-100k.ndjson [batch|single]
 * `batch` imports through appendBatch (the default), `single` hides it so importEvents falls back to
 * one append per run of same-stream events (the behaviour before appendBatch). Each run gets a
 * fresh database on a throwaway server (fsync off: an upper bound, not production).
 */
import { createReadStream } from 'node:fs';
import { readNdjson, type DomainEvent } from '@msp-billing/events';
import { importEvents, type EventStore } from '@msp-billing/store';
import { PostgresEventStore } from '../../src/index.js';
import { startThrowawayPostgres } from './pgServer.js';

const [file, mode = 'batch'] = process.argv.slice(2);
if (file === undefined || (mode !== 'batch' && mode !== 'single'))
  throw new Error('usage: importBench.ts <log.ndjson> [batch|single]');

const events: DomainEvent[] = [];
for await (const item of readNdjson(createReadStream(file)))
  if (item.kind === 'event') events.push(item.event);

const server = await startThrowawayPostgres('msp_import_bench');
const store = await PostgresEventStore.create({ connectionString: server.url });
try {
  // `single`: the same store without appendBatch, so importEvents takes its fallback path.
  const target: EventStore =
    mode === 'batch'
      ? store
      : {
          appendToStream: (s, e, x) => store.appendToStream(s, e, x),
          readStream: (s, o) => store.readStream(s, o),
          readAll: (o) => store.readAll(o),
          subscribeToAll: (o) => store.subscribeToAll(o),
          close: () => store.close(),
        };
  const started = performance.now();
  let last = started;
  const counts = await importEvents(target, events, {
    onProgress: (c) => {
      const now = performance.now();
      if (now - last > 10_000) {
        last = now;
        console.log(
          `  … ${c.appended} appended, ${Math.round(c.appended / ((now - started) / 1000))} events/s`,
        );
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${mode}: ${counts.appended} appended of ${counts.read} read in ${seconds.toFixed(1)} s = ` +
      `${Math.round(counts.appended / seconds).toLocaleString('en')} events/s`,
  );
  const again = performance.now();
  const rerun = await importEvents(target, events);
  const s2 = (performance.now() - again) / 1000;
  console.log(
    `${mode} re-run: ${rerun.alreadyPresent} already present, ${rerun.appended} appended in ${s2.toFixed(1)} s = ` +
      `${Math.round(rerun.read / s2).toLocaleString('en')} events/s`,
  );
} finally {
  await store.close();
  await server.stop();
}
