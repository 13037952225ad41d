/**
 * `msp-billing snapshot --events F [--out S]`: write a snapshot of the Ledger of the log file F (its
 * complete lines) to S (default `F.snapshot`), for the commands that read F to start from with
 * `--snapshot S` (fileSnapshot.ts). Prints one line: events, bytes, milliseconds.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Command } from '../command.js';
import { EXIT, userError } from '../errors.js';
import { snapshotFile } from '../fileSnapshot.js';
import { plural } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { logReadFailure, openLog } from '../source.js';

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const path = args.values.get('events');
  if (path === undefined || path === '')
    return E.left(userError('MissingOption', 'snapshot --events', 'is required (a log file)'));
  if (path === '-')
    return E.left(
      userError(
        'BadOptionValue',
        'snapshot --events -',
        'needs a file: a snapshot stands for its first lines',
      ),
    );
  const target = args.values.get('out') ?? `${path}.snapshot`;
  if (target === '') return E.left(userError('MissingOption', 'snapshot --out', 'needs a file name'));
  const opened = await openLog(path, io);
  if (E.isLeft(opened)) return opened;
  const now = io.now ?? (() => performance.now());
  const started = now();
  let written: Awaited<ReturnType<typeof snapshotFile>>;
  try {
    written = await snapshotFile(path, opened.right.size ?? 0, target);
  } catch (err) {
    // A failed file operation names its file: the snapshot's (writing), else the log's (reading).
    const { code, path: failed } = err as { code?: unknown; path?: unknown };
    if (typeof code === 'string' && failed === target)
      return E.left(
        userError('OutputUnwritable', `snapshot --out ${JSON.stringify(target)}`, `cannot write: ${code}`),
      );
    if (typeof code === 'string' && failed === path)
      return E.left(userError('SourceUnreadable', opened.right.what, `cannot read: ${code}`));
    return E.left(logReadFailure(path, opened.right.what, err));
  }
  const ms = Math.round(now() - started);
  await out.line(
    `snapshot ${JSON.stringify(target)}: ${plural(written.events, 'event', 'events')}, ${plural(written.bytes, 'byte', 'bytes')}, ${ms} ms`,
  );
  return E.right(EXIT.ok);
};

/** The `snapshot` command. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'write a snapshot of a log file, for --snapshot to start from',
  options: [
    { name: 'events', kind: 'string' },
    { name: 'out', kind: 'string' },
  ],
  help: `Usage: msp-billing snapshot --events F [--out S]

Write a snapshot of the Ledger of the log file F (its complete lines: a last line without a newline
is left to be read after it) to S. The commands that read F (invoice, invoices, ledger, explain,
check, …) start from it with --snapshot S and read only the lines after it, with the same output. If
F's first lines are not those the snapshot was written from, or S is of another format, they say so
in one line on stderr and read the whole file.

Options:
  --events F   the event log (NDJSON), a file
  --out S      where to write the snapshot (default: F.snapshot)
  --help       this text

Exit status: 0 written; 2 user error.
`,
  run,
};
