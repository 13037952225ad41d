/**
 * A small hand-written option parser: `--name value`, `--name=value` and boolean `--flag`; `-` is a
 * value (standard input), not an option. Each command declares its options; anything else is a user
 * error, so that a typo (`--perod`) is reported instead of silently ignored.
 */
import * as E from 'fp-ts/lib/Either.js';
import { userError, type UserError } from './errors.js';

/** One option a command accepts. */
export interface OptionSpec {
  readonly name: string;
  readonly kind: 'string' | 'flag';
  /** For string options with a closed set of values (`--format`). */
  readonly values?: readonly string[];
}

/** Parsed options of one command line. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  /** `--help` or `-h` was given: the command prints its help and does nothing else. */
  readonly help: boolean;
}

/** Parse `argv` (the words after the command name) against `specs`. */
export const parseArgs = (
  command: string,
  argv: readonly string[],
  specs: readonly OptionSpec[],
): E.Either<UserError, ParsedArgs> => {
  // --help wins over every other mistake on the line: someone asking for help gets it.
  if (argv.some((a) => a === '--help' || a === '-h'))
    return E.right({ values: new Map(), flags: new Set(), help: true });
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('--') || word === '--') {
      return E.left(
        userError(
          'UnexpectedArgument',
          `${command} ${JSON.stringify(word)}`,
          'unexpected argument; options start with --',
        ),
      );
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      return E.left(
        userError(
          'UnknownOption',
          `${command} --${name}`,
          `unknown option (see msp-billing ${command} --help)`,
        ),
      );
    }
    if (spec.kind === 'flag') {
      if (eq !== -1) return E.left(userError('BadOptionValue', `--${name}`, 'takes no value'));
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // `-` alone is a value (standard input); any other word starting with `--` is the next option.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        return E.left(userError('MissingOption', `--${name}`, 'needs a value'));
      }
      value = next;
      i += 1;
    }
    if (values.has(name)) return E.left(userError('BadOptionValue', `--${name}`, 'given more than once'));
    if (spec.values !== undefined && !spec.values.includes(value)) {
      return E.left(
        userError(
          'BadOptionValue',
          `--${name} ${JSON.stringify(value)}`,
          `must be one of ${spec.values.join(', ')}`,
        ),
      );
    }
    values.set(name, value);
  }
  return E.right({ values, flags, help: false });
};

/** The value of a required string option, or a MissingOption error. */
export const required = (
  command: string,
  args: ParsedArgs,
  name: string,
  hint: string,
): E.Either<UserError, string> => {
  const v = args.values.get(name);
  return v === undefined || v === ''
    ? E.left(userError('MissingOption', `${command} --${name}`, `is required (${hint})`))
    : E.right(v);
};

/** Whether `s` is a period `YYYY-MM` (spec §5). */
export const isPeriod = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** Check a `--period` value before any reading: a long log should not be read to report a typo. */
export const checkPeriod = (value: string): E.Either<UserError, string> =>
  isPeriod(value)
    ? E.right(value)
    : E.left(
        userError('BadPeriod', `--period ${JSON.stringify(value)}`, 'must be a month YYYY-MM, e.g. 2026-10'),
      );
