/**
 * What a command is: its name, help, the options it accepts, and `run`, which prints its results and
 * returns an exit status or a user error. Also the steps every log-reading command shares.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Ledger, LedgerQueryError } from '@msp-billing/billing';
import type { OptionSpec, ParsedArgs } from './args.js';
import { userError, type UserError } from './errors.js';
import type { CliIo, Output } from './io.js';
import { gateInvalid, resolveSource, type LoadedLedger } from './source.js';

/** One `msp-billing <command>`. */
export interface Command {
  readonly name: string;
  /** One line for the overall help. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly options: readonly OptionSpec[];
  run(args: ParsedArgs, io: CliIo, out: Output): Promise<E.Either<UserError, number>>;
}

/** `--format` with its closed set of values. */
export const formatOption = (values: readonly string[]): OptionSpec => ({
  name: 'format',
  kind: 'string',
  values,
});

/** `--skip-invalid`. */
export const SKIP_INVALID: OptionSpec = { name: 'skip-invalid', kind: 'flag' };

/**
 * Load the ledger and apply the invalid-event gate: `Right(undefined)` means the gate stopped the
 * command (invalid events printed, exit 2); `Left` is a user error.
 */
export const loadGated = async (
  command: string,
  args: ParsedArgs,
  io: CliIo,
): Promise<E.Either<UserError, LoadedLedger | undefined>> => {
  const source = resolveSource(command, args, io);
  if (E.isLeft(source)) return source;
  const loaded = await source.right();
  if (E.isLeft(loaded)) return loaded;
  return E.right(gateInvalid(loaded.right.ledger, args, io) === 'stop' ? undefined : loaded.right);
};

const known = (ids: readonly string[]): string => {
  if (ids.length === 0) return 'the log has no contracts';
  const shown = ids.slice(0, 5).join(', ');
  return `the log has ${ids.length === 1 ? 'contract' : 'contracts'} ${shown}${ids.length > 5 ? ', …' : ''}`;
};

/** A Ledger query error as a user error, naming the option it came from. */
export const fromQueryError = (e: LedgerQueryError, ledger: Ledger): UserError => {
  switch (e._tag) {
    case 'UnknownContract':
      return userError(
        'UnknownContract',
        `--contract ${JSON.stringify(e.contractId)}`,
        `no such contract (${known(ledger.contractIds())})`,
      );
    case 'UnknownWorkEntry':
      return userError('UnknownWorkEntry', `--work ${JSON.stringify(e.workId)}`, e.message);
    case 'BadPeriod':
      return userError('BadPeriod', `--period ${JSON.stringify(e.period)}`, 'must be a month YYYY-MM');
  }
};

/** A contract id the log does not know, as a user error (for `ledger --contract`). */
export const unknownContract = (contractId: string, ledger: Ledger): UserError =>
  fromQueryError({ _tag: 'UnknownContract', contractId, message: '' }, ledger);
