/**
 * Snapshots of an NDJSON log file (`msp-billing snapshot --events F`, and `--snapshot S` of the
 * commands that read `--events F`): the Ledger's snapshot (@msp-billing/billing) of the file's
 * complete lines, with where they end. Its meta holds the byte offset after the last newline it
 * covers, the number of the line that follows, a SHA-256 of the bytes before the offset, and the
 * fold's counts so far. A command restores it and reads only the bytes after the offset, with the
 * id rule's memory of the lines before; if the file's first bytes are no longer those the snapshot
 * covers (the file was changed or replaced), or the snapshot cannot be read, it says so in one line
 * on stderr and reads the whole file: the output is the same either way.
 */
import { createHash } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import {
  createLedger,
  foldNdjson,
  writeSnapshot,
  type FoldStats,
  type Ledger,
  type SnapshotMeta,
} from '@msp-billing/billing';
import { keepReaderIds, readSnapshotInPlace } from '@msp-billing/billing/internal';
import { openEventSource, tapChunks } from './eventFile.js';

/** The kind of source a file snapshot's meta names. */
const KIND = 'ndjson-file';

/** Where a file snapshot stands in its file, and the counts of the fold of the lines before. */
interface FileMeta {
  readonly offset: number;
  readonly line: number;
  readonly sha256: string;
  readonly stats: FoldStats;
}

const metaOf = (m: FileMeta): SnapshotMeta => ({
  source: KIND,
  offset: String(m.offset),
  line: String(m.line),
  sha256: m.sha256,
  lines: String(m.stats.lines),
  events: String(m.stats.events),
  duplicates: String(m.stats.duplicates),
  invalid: String(m.stats.invalid),
});

const count = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;

const fileMetaOf = (m: SnapshotMeta): FileMeta | undefined => {
  const [offset, line, lines, events, duplicates, invalid] = [
    m['offset'],
    m['line'],
    m['lines'],
    m['events'],
    m['duplicates'],
    m['invalid'],
  ].map(count);
  const sha256 = m['sha256'];
  if (
    m['source'] !== KIND ||
    offset === undefined ||
    line === undefined ||
    lines === undefined ||
    events === undefined ||
    duplicates === undefined ||
    invalid === undefined ||
    sha256 === undefined
  )
    return undefined;
  return { offset, line, sha256, stats: { lines, events, duplicates, invalid } };
};

/** The offset just after the last newline of the file at `path` of `size` bytes (0 if none). */
const afterLastNewline = async (path: string, size: number): Promise<number> => {
  const file = await open(path, 'r');
  try {
    const block = Buffer.alloc(65_536);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - block.length);
      const { bytesRead } = await file.read(block, 0, end - start, start);
      const at = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await file.close();
  }
};

/** What `msp-billing snapshot` wrote. */
export interface WrittenSnapshot {
  readonly events: number;
  readonly bytes: number;
}

/**
 * Fold the complete lines of the file at `path` (of `size` bytes) and write the Ledger's snapshot to
 * `out`. A last line without a newline is left for the commands to read after the snapshot: it may
 * still be being written.
 */
export const snapshotFile = async (path: string, size: number, out: string): Promise<WrittenSnapshot> => {
  const offset = await afterLastNewline(path, size);
  const hash = createHash('sha256');
  let newlines = 0;
  const ledger = createLedger({ dedupe: false });
  keepReaderIds(ledger);
  const { stats } = await foldNdjson(
    tapChunks(openEventSource(path, { end: offset }), (c) => {
      hash.update(c);
      for (let i = (c as Uint8Array).indexOf(0x0a); i !== -1; i = (c as Uint8Array).indexOf(0x0a, i + 1))
        newlines += 1;
    }),
    { into: ledger },
  );
  const bytes = writeSnapshot(
    ledger,
    metaOf({ offset, line: newlines + 1, sha256: hash.digest('hex'), stats }),
  );
  await writeFile(out, bytes);
  return { events: stats.events, bytes: bytes.byteLength };
};

/** A restored Ledger of the file's first `offset` bytes, to go on from line `line`. */
export interface RestoredFile {
  readonly ledger: Ledger;
  readonly offset: number;
  readonly line: number;
  readonly stats: FoldStats;
}

/**
 * The Ledger of the snapshot at `snapshotPath` of the file at `path` (of `size` bytes), or why it
 * cannot be used (one line, ending in what happens instead).
 */
export const restoreFile = async (
  path: string,
  size: number,
  snapshotPath: string,
): Promise<{ readonly restored: RestoredFile } | { readonly notice: string }> => {
  const replaying = 'replaying the whole log';
  let bytes: Uint8Array;
  try {
    bytes = await readFile(snapshotPath);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { notice: `${code === 'ENOENT' ? 'no such file' : 'cannot be read'}: ${replaying}` };
  }
  const read = readSnapshotInPlace(bytes, { dedupe: false });
  if (read._tag !== 'Restored') return { notice: read.message };
  const meta = fileMetaOf(read.meta);
  // The id rule's memory of the lines before (keepReaderIds: a snapshot of an NDJSON fold).
  if (meta === undefined || !keepReaderIds(read.ledger))
    return { notice: `not a snapshot of an NDJSON log file: ${replaying}` };
  if (meta.offset > size)
    return { notice: `the log is shorter than when the snapshot was written: ${replaying}` };
  const hash = createHash('sha256');
  for await (const c of openEventSource(path, { end: meta.offset })) hash.update(c);
  if (hash.digest('hex') !== meta.sha256)
    return { notice: `the log's first ${meta.offset} bytes changed since the snapshot: ${replaying}` };
  return { restored: { ledger: read.ledger, offset: meta.offset, line: meta.line, stats: meta.stats } };
};

/** The counts of a fold of the lines before a snapshot and of those after it. */
export const addStats = (before: FoldStats, after: FoldStats): FoldStats => ({
  lines: after.lines === 0 ? before.lines : after.lines,
  events: before.events + after.events,
  duplicates: before.duplicates + after.duplicates,
  invalid: before.invalid + after.invalid,
});
