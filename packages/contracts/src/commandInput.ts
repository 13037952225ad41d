/**
 * Commands from plain values: the input-normalising step at the API boundary. A command is written
 * as the HTTP service receives it — ids and amounts as strings, instants as RFC 3339 strings or
 * `Date`s — and checked by decoding the event it records with the catalog's own codecs, so a
 * command is refused exactly where a log line with that event would be, with the same reasons.
 * Inside, commands keep their decoded form (branded ids, instants as epoch ms).
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import {
  decodeEvent,
  type Branded,
  type DecodeError,
  type DecodeProblem,
  type Instant,
} from '@msp-billing/events';
import { errorOf } from '@msp-billing/events/internal';
import { EVENT_OF_COMMAND, type Command } from './commands.js';

/**
 * A decoded value as a caller writes it: ids and amounts as plain strings, an instant as RFC 3339
 * text or a `Date`, literal unions (`'Basic' | …`) as they are.
 */
export type PlainInput<T> = T extends Instant
  ? string | Date
  : T extends Branded<string, string>
    ? string
    : T extends Branded<number, string>
      ? number
      : T extends readonly (infer U)[]
        ? readonly PlainInput<U>[]
        : T extends object
          ? { readonly [F in keyof T]: PlainInput<T[F]> }
          : T;

/** The data of command `K` as plain values (optional fields stay optional, wire defaults may be left out). */
export type CommandDataInput<K extends Command['type']> = PlainInput<Extract<Command, { type: K }>['data']>;

/**
 * A command as plain values (`{ type: 'LogWork', eventId: 'e-7', occurredAt: '2026-10-05T08:00:00Z',
 * data: { …, startedAt: '2026-10-05T07:00:00Z', minutes: 50 } }`), the shape the HTTP service takes.
 */
export type CommandInput = {
  [K in Command['type']]: {
    readonly type: K;
    readonly eventId: string;
    /** RFC 3339 with offset, or a `Date`. */
    readonly occurredAt: string | Date;
    readonly data: CommandDataInput<K>;
  };
}[Command['type']];

const BODY_KEYS = new Set(['type', 'eventId', 'occurredAt', 'data']);
const COMMAND_TYPES = Object.keys(EVENT_OF_COMMAND).join(', ');

// The decoder speaks of the event's envelope; a command's id field is `eventId`.
const commandPath = (path: string): string =>
  path === 'id' || path.startsWith('id.') || path.startsWith('id[') ? `eventId${path.slice(2)}` : path;

/**
 * Check untrusted input (a request body) and turn it into a {@link Command}: every problem is
 * reported with its path, as the event decoder reports them (`data.minutes: expected an integer
 * 1..1440 (got 0)`), `eventId` for the event's id. Never throws.
 */
export const decodeCommand = (u: unknown): Either<DecodeError, Command> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u))
    return left(
      errorOf([{ path: '', reason: 'expected a command object { type, eventId, occurredAt, data }' }]),
    );
  const o = u as Record<string, unknown>;
  const problems: DecodeProblem[] = [];
  for (const k of Object.keys(o)) if (!BODY_KEYS.has(k)) problems.push({ path: k, reason: 'unknown field' });
  const type = o['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(EVENT_OF_COMMAND, type)) {
    problems.push({
      path: 'type',
      reason:
        type === undefined
          ? 'required field is missing'
          : `unknown command type (expected one of ${COMMAND_TYPES})`,
    });
    return left(errorOf(problems));
  }
  const k = type as Command['type'];
  const decoded = decodeEvent({
    id: o['eventId'],
    type: EVENT_OF_COMMAND[k],
    occurredAt: o['occurredAt'],
    data: o['data'],
  });
  if (decoded._tag === 'Left') {
    for (const p of decoded.left.problems) problems.push({ path: commandPath(p.path), reason: p.reason });
    return left(errorOf(problems, decoded.left.eventId));
  }
  if (problems.length > 0) return left(errorOf(problems, decoded.right.id));
  const e = decoded.right;
  // The event decoded is of type EVENT_OF_COMMAND[k], so its data is exactly the command's data.
  return right({ type: k, eventId: e.id, occurredAt: e.occurredAt, data: e.data } as Command);
};

/**
 * A command from plain values, checked as {@link decodeCommand} checks a request body. For commands a
 * program writes itself: throws a `RangeError` whose message lists every problem on one line.
 *
 * @example
 * ```ts
 * const logWork = command({
 *   type: 'LogWork',
 *   eventId: 'e-7',
 *   occurredAt: '2026-10-05T08:00:00Z',
 *   data: { workId: 'w-1', ticketId: 't-1', technician: 'tech-1', startedAt: new Date('2026-10-05T07:00:00Z'), minutes: 50 },
 * });
 * ```
 */
export const command = <C extends CommandInput>(input: C): Extract<Command, { type: C['type'] }> => {
  const r = decodeCommand(input);
  if (r._tag === 'Left') throw new RangeError(`${input.type}: ${r.left.message}`);
  return r.right as Extract<Command, { type: C['type'] }>;
};
