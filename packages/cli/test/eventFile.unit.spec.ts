/**
 * The log files and standard input the CLI reads events from: chunks of a file read into one reused
 * buffer, standard input for `-`, the file closed when its reader stops early, a typed error when the
 * source cannot be read, and a tap that sees every chunk.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readNdjson, type NdjsonItem } from '@msp-billing/events';
import { isSourceUnreadable, openEventSource, tapChunks } from '../src/eventFile.js';

const line = (id: string, contractId = 'c-1'): string =>
  JSON.stringify({
    id,
    type: 'ProvisioningCompleted',
    occurredAt: '2026-10-05T09:00:00+02:00',
    data: { contractId },
  });

const collect = async (source: AsyncIterable<Uint8Array | string>): Promise<NdjsonItem[]> => {
  const out: NdjsonItem[] = [];
  for await (const item of readNdjson(source)) out.push(item);
  return out;
};

async function* fromChunks(...chunks: Array<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  for (const c of chunks) yield c;
}

const brief = (items: readonly NdjsonItem[]): string[] =>
  items.map((i) =>
    i.kind === 'event'
      ? `${i.line}:event:${i.event.id}`
      : i.kind === 'duplicate'
        ? `${i.line}:duplicate:${i.eventId}@${i.firstLine}`
        : `${i.line}:invalid:${i.error.message}`,
  );

describe('openEventSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-event-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', async () => {
    const path = join(dir, 'events.ndjson');
    writeFileSync(path, `${line('e-1')}\r\n\r\n${line('e-2')}\r\n${line('e-1')}`);
    expect(brief(await collect(openEventSource(path)))).toEqual([
      '1:event:e-1',
      '3:event:e-2',
      '4:duplicate:e-1@1',
    ]);
  });

  it('reads standard input for "-"', () => {
    // A child process, so that this test owns its stdin.
    const adapter = fileURLToPath(new URL('../src/eventFile.ts', import.meta.url));
    const script = [
      "import { readNdjson } from '@msp-billing/events';",
      `import { openEventSource } from ${JSON.stringify(pathToFileURL(adapter).href)};`,
      "for await (const i of readNdjson(openEventSource('-'))) console.log(i.line, i.kind);",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      input: `${line('e-1')}\n\nnot json\n${line('e-1')}\n`,
      encoding: 'utf8',
      timeout: 30_000,
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim().split('\n')).toEqual(['1 event', '3 invalid', '4 duplicate']);
  });

  it('reads a file of many reads, lines across their edges, into one buffer it reuses', async () => {
    // About 1.2 MB: several 256 KiB reads, each ending inside a line, with multi-byte characters.
    const text = Array.from({ length: 6000 }, (_, n) => line(`e-${n}`, `c-ä€😀-${'x'.repeat(n % 200)}`)).join(
      '\n',
    );
    const path = join(dir, 'many-reads.ndjson');
    writeFileSync(path, text);
    const chunks: Uint8Array[] = [];
    for await (const chunk of openEventSource(path)) chunks.push(Uint8Array.from(chunk));
    expect(chunks.length).toBeGreaterThan(4);
    expect(Buffer.concat(chunks).equals(Buffer.from(text, 'utf8'))).toBe(true);
    // The reader's items equal those of the same bytes given as one chunk.
    const items = await collect(openEventSource(path));
    expect(items).toEqual(await collect(fromChunks(Buffer.from(text, 'utf8'))));
    expect(items).toHaveLength(6000);
  });

  it('reads repeated ids after the file has moved on, and a last line without a newline', async () => {
    // Three 256 KiB reads and more: the repeats come long after their first lines.
    const lines = Array.from({ length: 9000 }, (_, n) => line(`e-${n}`, `c-${n}`));
    const text = [...lines, line('e-1', 'c-1'), line('e-2', 'c-other'), line('e-3', 'c-3')].join('\n');
    const path = join(dir, 'repeats.ndjson');
    writeFileSync(path, text);
    const items = await collect(openEventSource(path));
    expect(items).toEqual(await collect(fromChunks(Buffer.from(text, 'utf8'))));
    expect(brief(items.slice(-3))).toEqual([
      '9001:duplicate:e-1@2',
      '9002:invalid:event id "e-2" was already used on line 3 for a different event',
      '9003:duplicate:e-3@4',
    ]);
  });

  it('closes the file when its reader stops early', async () => {
    const path = join(dir, 'early.ndjson');
    writeFileSync(path, `${line('e-1')}\n${line('e-2')}\n`);
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let n = 0; n < 20; n++)
      for await (const item of readNdjson(openEventSource(path))) {
        expect(item.kind).toBe('event');
        break;
      }
    expect(open()).toBe(before);
  });

  it('fails with a tagged SourceUnreadable for a missing file or a directory', async () => {
    const missing = join(dir, 'nope.ndjson');
    await expect(collect(openEventSource(missing))).rejects.toEqual({
      _tag: 'SourceUnreadable',
      path: missing,
      message: `cannot read events from ${JSON.stringify(missing)}: no such file`,
    });
    await expect(collect(openEventSource(dir))).rejects.toMatchObject({
      _tag: 'SourceUnreadable',
      message: `cannot read events from ${JSON.stringify(dir)}: is a directory`,
    });
    expect(isSourceUnreadable(new Error('no such file'))).toBe(false);
  });
});

describe('tapChunks', () => {
  it('sees every chunk before the reader does, and changes nothing', async () => {
    const text = `${line('e-1')}\n${line('e-2')}\n${line('e-1')}\n${line('e-2', 'c-2')}\n`;
    const seen: number[] = [];
    const chunks = [text.slice(0, 50), text.slice(50, 51), text.slice(51)];
    const items = await collect(tapChunks(fromChunks(...chunks), (c) => seen.push(c.length)));
    expect(brief(items)).toEqual([
      '1:event:e-1',
      '2:event:e-2',
      '3:duplicate:e-1@1',
      '4:invalid:event id "e-2" was already used on line 2 for a different event',
    ]);
    expect(seen).toEqual([50, 1, text.length - 51]);
  });
});
