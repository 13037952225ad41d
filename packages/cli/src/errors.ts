/**
 * User errors of the CLI: tagged values, each turned into ONE line on stderr
 * (`msp-billing: <what> — <why>`) with exit status 2. Anything that is not a user error is a bug and
 * takes the other path in `main.ts` (exit 70, stack trace only with MSP_DEBUG=1).
 */

/** A mistake of the person (or script) running the command: what was wrong, and why. */
export type UserError =
  | { readonly _tag: 'NoCommand'; readonly what: string; readonly why: string }
  | { readonly _tag: 'UnknownCommand'; readonly what: string; readonly why: string }
  | { readonly _tag: 'UnknownOption'; readonly what: string; readonly why: string }
  | { readonly _tag: 'MissingOption'; readonly what: string; readonly why: string }
  | { readonly _tag: 'BadOptionValue'; readonly what: string; readonly why: string }
  | { readonly _tag: 'UnexpectedArgument'; readonly what: string; readonly why: string }
  | { readonly _tag: 'SourceUnreadable'; readonly what: string; readonly why: string }
  | { readonly _tag: 'StoreUnavailable'; readonly what: string; readonly why: string }
  | { readonly _tag: 'ImportStopped'; readonly what: string; readonly why: string }
  | { readonly _tag: 'UnknownContract'; readonly what: string; readonly why: string }
  | { readonly _tag: 'UnknownWorkEntry'; readonly what: string; readonly why: string }
  | { readonly _tag: 'BadPeriod'; readonly what: string; readonly why: string }
  | { readonly _tag: 'BadInvoicesCsv'; readonly what: string; readonly why: string }
  | { readonly _tag: 'EInvoiceRefused'; readonly what: string; readonly why: string }
  | { readonly _tag: 'OutputUnwritable'; readonly what: string; readonly why: string };

/** The tags of {@link UserError}. */
export type UserErrorTag = UserError['_tag'];

/** Build a user error. */
export const userError = (_tag: UserErrorTag, what: string, why: string): UserError =>
  ({ _tag, what, why }) as UserError;

/** Control characters would break the one-line promise (a file name may hold a newline). */
const oneLine = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');

/** The one line printed for a user error (without the newline). */
export const formatUserError = (e: UserError): string =>
  `msp-billing: ${oneLine(e.what)} — ${oneLine(e.why)}`;

/** Whether `u` is a {@link UserError} (for the top-level catch). */
export const isUserError = (u: unknown): u is UserError =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as { _tag?: unknown })._tag === 'string' &&
  typeof (u as { what?: unknown }).what === 'string' &&
  typeof (u as { why?: unknown }).why === 'string';

/** Exit statuses of every command (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** `check`: warnings only; `reconcile`: differences found. */
  findings: 1,
  /** A user error, or invalid events without --skip-invalid (spec §2). */
  usage: 2,
  /** An internal error (a bug): EX_SOFTWARE of sysexits.h. */
  internal: 70,
} as const;
