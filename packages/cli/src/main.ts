/**
 * The `msp-billing` command as a function: `run(argv, io)` picks the command, parses its options,
 * runs it and returns the exit status. User errors become one line on stderr (exit 2); anything else
 * is a bug: a one-liner and exit 70, or the stack trace with MSP_DEBUG=1. No `process` in here, so
 * tests call it in-process.
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseArgs } from './args.js';
import type { Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { contractsCommand } from './commands/contracts.js';
import { datevCommand } from './commands/datev.js';
import { einvoiceCommand } from './commands/einvoice.js';
import { explainCommand } from './commands/explain.js';
import { importCommand } from './commands/import.js';
import { invoiceCommand } from './commands/invoice.js';
import { invoicesCommand } from './commands/invoices.js';
import { ledgerCommand } from './commands/ledger.js';
import { projectCommand } from './commands/project.js';
import { reconcileCommand } from './commands/reconcile.js';
import { snapshotCommand } from './commands/snapshot.js';
import { EXIT, formatUserError, isUserError, userError, type UserError } from './errors.js';
import { output, type CliIo, type Output } from './io.js';

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  invoiceCommand,
  invoicesCommand,
  contractsCommand,
  ledgerCommand,
  explainCommand,
  checkCommand,
  reconcileCommand,
  einvoiceCommand,
  datevCommand,
  importCommand,
  projectCommand,
  snapshotCommand,
];

/** The overall `--help` text. */
export const HELP = `Usage: msp-billing <command> [options]

Event-sourced billing of Managed Service Packages: reads an NDJSON event log (--events F) or an
event store (--store URL) and prints invoices, the ledger of work entries, explanations and checks;
imports logs into a store.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run msp-billing <command> --help for a command's options.

Exit status: 0 success; 1 findings (check: warnings only; reconcile: differences);
2 user error or invalid events; 70 internal error (MSP_DEBUG=1 prints its stack trace).
`;

const dispatch = async (
  argv: readonly string[],
  io: CliIo,
  out: Output,
): Promise<E.Either<UserError, number>> => {
  const [name, ...rest] = argv;
  if (name === undefined)
    return E.left(userError('NoCommand', 'no command', 'run msp-billing --help for the list'));
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    await out.write(topic?.help ?? HELP);
    return E.right(EXIT.ok);
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    return E.left(
      userError(
        'UnknownCommand',
        `unknown command ${JSON.stringify(name)}`,
        `expected one of ${COMMANDS.map((c) => c.name).join(', ')}`,
      ),
    );
  }
  const args = parseArgs(command.name, rest, command.options);
  if (E.isLeft(args)) return args;
  if (args.right.help) {
    await out.write(command.help);
    return E.right(EXIT.ok);
  }
  return command.run(args.right, io, out);
};

/** One line for a bug: the error's first line, no stack. */
const bugLine = (err: unknown): string => {
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  // eslint-disable-next-line no-control-regex
  return (raw.split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
};

/** Run `msp-billing` with `argv` (the words after the program name); resolves to the exit status. */
export const run = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const out = output(io.stdout);
  try {
    const r = await dispatch(argv, io, out);
    if (E.isLeft(r)) {
      // Results of a failed command are not printed: a half invoice is worse than none.
      io.stderr.write(`${formatUserError(r.left)}\n`);
      return EXIT.usage;
    }
    await out.flush();
    return r.right;
  } catch (err) {
    if (isUserError(err)) {
      io.stderr.write(`${formatUserError(err)}\n`);
      return EXIT.usage;
    }
    if (io.env?.['MSP_DEBUG'] === '1') {
      io.stderr.write(`${err instanceof Error ? (err.stack ?? bugLine(err)) : bugLine(err)}\n`);
    } else {
      io.stderr.write(`msp-billing: internal error — ${bugLine(err)} (MSP_DEBUG=1 shows the stack trace)\n`);
    }
    return EXIT.internal;
  }
};
