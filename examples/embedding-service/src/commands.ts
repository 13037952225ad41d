/**
 * Commands as they arrive over HTTP: `{ "type": "LogWork", "eventId": "…", "occurredAt": "RFC 3339",
 * "data": { … } }`. The `data` of a command is exactly the `data` of the event it records, so the
 * body is checked by decoding that event with the catalog's own codecs (`decodeEvent`): one source
 * of truth for field rules, and errors that already name the offending field path.
 */
import { decodeEvent, type DecodeError } from '@msp-billing/events';
import { EVENT_OF_COMMAND, type Command } from '@msp-billing/contracts';

/** Why a request body is not a command: the field path (`data.minutes`) and a one-line reason. */
export interface BadCommand {
  readonly _tag: 'BadCommand';
  readonly path: string;
  readonly message: string;
}

/** A parsed command, or why the body is not one. */
export type ParsedCommand =
  | { readonly _tag: 'Command'; readonly command: Command }
  | { readonly _tag: 'BadCommand'; readonly error: BadCommand };

const BODY_KEYS = new Set(['type', 'eventId', 'occurredAt', 'data']);
const COMMAND_TYPES = Object.keys(EVENT_OF_COMMAND) as readonly Command['type'][];

const bad = (path: string, reason: string): ParsedCommand => ({
  _tag: 'BadCommand',
  error: { _tag: 'BadCommand', path, message: path === '' ? reason : `${path}: ${reason}` },
});

const isCommandType = (u: unknown): u is Command['type'] =>
  typeof u === 'string' && Object.prototype.hasOwnProperty.call(EVENT_OF_COMMAND, u);

// The decoder speaks of the event's envelope; the client wrote a command, whose id field is `eventId`.
const commandPath = (e: DecodeError): string =>
  e.path === 'id' || e.path.startsWith('id.') ? `eventId${e.path.slice(2)}` : e.path;

/** Check a decoded JSON body and turn it into a command of `@msp-billing/contracts`. */
export const parseCommand = (body: unknown): ParsedCommand => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return bad('', 'expected a command object { type, eventId, occurredAt, data }');
  const o = body as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!BODY_KEYS.has(k)) return bad(k, 'unknown field');
  if (!isCommandType(o['type'])) {
    return bad(
      'type',
      o['type'] === undefined
        ? 'required field is missing'
        : `unknown command type (expected one of ${COMMAND_TYPES.join(', ')})`,
    );
  }
  const type = o['type'];
  const decoded = decodeEvent({
    id: o['eventId'],
    type: EVENT_OF_COMMAND[type],
    occurredAt: o['occurredAt'],
    data: o['data'],
  });
  if (decoded._tag === 'Left') {
    const path = commandPath(decoded.left);
    return bad(path, decoded.left.reason);
  }
  const e = decoded.right;
  // The event decoded is of type EVENT_OF_COMMAND[type], so its data is exactly the command's data.
  const command = { type, eventId: e.id, occurredAt: e.occurredAt, data: e.data } as Command;
  return { _tag: 'Command', command };
};
