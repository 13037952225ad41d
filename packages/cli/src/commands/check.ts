/**
 * `msp-billing check --events F`: every invalid event (`line N: <reason>`) and every warning — a fact
 * a command would have refused (spec §6), applied anyway — as `line N: warning (clause X): <message>`,
 * in line order, then a summary. Exit 0 clean, 1 warnings only, 2 invalid events (spec §7).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Command } from '../command.js';
import { EXIT } from '../errors.js';
import { plural } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidLine, resolveSource } from '../source.js';

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const source = resolveSource('check', args, io);
  if (E.isLeft(source)) return source;
  const loaded = await source.right();
  if (E.isLeft(loaded)) return loaded;
  const { ledger, stats } = loaded.right;
  const invalid = ledger.invalidEvents();
  const warnings = ledger.warnings();
  // Merge both lists by line (then recording position), so the report reads top to bottom like the log.
  const items = [
    ...invalid.map((e) => ({ key: e.line ?? e.position + 1, pos: e.position, text: invalidLine(e) })),
    ...warnings.map((w) => ({
      key: w.line ?? w.position + 1,
      pos: w.position,
      text: `${w.line === undefined ? `event ${w.position + 1}` : `line ${w.line}`}: warning (clause ${w.clause}): ${w.message}`,
    })),
  ].toSorted((a, b) => a.key - b.key || a.pos - b.pos);
  for (const i of items) await out.line(i.text);
  const verdict =
    invalid.length > 0
      ? 'invalid events found'
      : warnings.length > 0
        ? 'warnings only'
        : ledger.eventCount === 0
          ? 'the log has no events: nothing to check'
          : 'clean';
  await out.line(
    `check: ${plural(stats.lines, 'line', 'lines')}, ${plural(stats.events, 'event', 'events')}, ` +
      `${stats.duplicates} duplicate${stats.duplicates === 1 ? '' : 's'} ignored; ` +
      `${plural(invalid.length, 'invalid event', 'invalid events')}, ${plural(warnings.length, 'warning', 'warnings')} — ${verdict}`,
  );
  return E.right(invalid.length > 0 ? EXIT.usage : warnings.length > 0 ? EXIT.findings : EXIT.ok);
};

/** The `check` command. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'list invalid events and warnings; exit 0 clean, 1 warnings only, 2 invalid events',
  options: [...SOURCE_OPTIONS],
  help: `Usage: msp-billing check (--events F | --store URL) [--snapshot S]

List every invalid event (line N: <reason>) and every warning, a fact a command would have refused
but that is applied (line N: warning (clause X): <message>), in line order, then a summary line.

Options:
  --events F   the event log (NDJSON); - reads standard input
  --snapshot S start from this snapshot of F (msp-billing snapshot): read only the rest
  --store URL  an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot with --store: read every event, not from the store's latest snapshot
  --help       this text

Exit status: 0 clean; 1 warnings only; 2 invalid events (or a user error, on stderr).
`,
  run,
};
