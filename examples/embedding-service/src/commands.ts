/**
 * Commands as they arrive over HTTP: `{ "type": "LogWork", "eventId": "…", "occurredAt": "RFC 3339",
 * "data": { … } }`. `decodeCommand` of `@msp-billing/contracts` checks the body by decoding the event
 * the command records with the catalog's own codecs: one source of truth for field rules, and errors
 * that name every offending field path.
 */
import { decodeCommand, type Command } from '@msp-billing/contracts';

/** Why a request body is not a command: the first field path (`data.minutes`) and every problem, on one line. */
export interface BadCommand {
  readonly _tag: 'BadCommand';
  readonly path: string;
  readonly message: string;
}

/** A parsed command, or why the body is not one. */
export type ParsedCommand =
  | { readonly _tag: 'Command'; readonly command: Command }
  | { readonly _tag: 'BadCommand'; readonly error: BadCommand };

/** Check a decoded JSON body and turn it into a command of `@msp-billing/contracts`. */
export const parseCommand = (body: unknown): ParsedCommand => {
  const r = decodeCommand(body);
  return r._tag === 'Right'
    ? { _tag: 'Command', command: r.right }
    : { _tag: 'BadCommand', error: { _tag: 'BadCommand', path: r.left.path, message: r.left.message } };
};
