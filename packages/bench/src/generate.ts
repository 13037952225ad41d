/**
 * Child process: write a realistic NDJSON log of exactly N events (the seeded scenario cut at N, or
 * one of the shapes of shapes.ts) and a sidecar with its event counts by type. Run as
 * `node --import tsx generate.ts <file> <events> <seed> [shape]`; prints the sidecar as JSON.
 */
import { createWriteStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { SHAPES } from './shapes.js';

/** What a generated log holds, written beside it as `<file>.meta.json`. */
export interface LogMeta {
  readonly events: number;
  readonly bytes: number;
  readonly seed: number;
  readonly shape: string;
  readonly contracts: number;
  readonly months: number;
  readonly types: Readonly<Record<string, number>>;
}

const [file, eventsArg, seedArg, shapeArg] = process.argv.slice(2);
if (file === undefined || eventsArg === undefined)
  throw new Error('usage: generate.ts <file> <events> [seed] [shape]');
const events = Number(eventsArg);
const seed = Number(seedArg ?? 1);
const shape = shapeArg ?? 'standard';
const log = SHAPES[shape]?.log(events, seed);
if (log === undefined) throw new Error(`unknown shape ${JSON.stringify(shape)}`);
const types: Record<string, number> = {};
let bytes = 0;
let count = 0;
const tmp = `${file}.partial`;
const out = createWriteStream(tmp);
let batch: string[] = [];
for (const line of log.lines) {
  count += 1;
  bytes += Buffer.byteLength(line);
  // The type is the second key of every generated line: cheaper than parsing it back.
  const t = line.slice(line.indexOf('"type":"') + 8, line.indexOf('","occurredAt"'));
  types[t] = (types[t] ?? 0) + 1;
  batch.push(line);
  if (batch.length >= 4096) {
    if (!out.write(batch.join(''))) await once(out, 'drain');
    batch = [];
  }
}
out.end(batch.join(''));
await once(out, 'finish');
await rename(tmp, file);
const meta: LogMeta = {
  events: count,
  bytes,
  seed,
  shape,
  contracts: log.contracts,
  months: log.months,
  types,
};
await writeFile(`${file}.meta.json`, JSON.stringify(meta));
process.stdout.write(`${JSON.stringify(meta)}\n`);
