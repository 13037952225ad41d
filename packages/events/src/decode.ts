/**
 * Decoding and encoding of whole events: the envelope (`id`, `type`, `occurredAt`, `schemaVersion`,
 * `data`), upcasting of older schema versions, and one readable line per refusal naming the field
 * path and the reason (never io-ts' default dump). A valid event at its current version is decoded
 * by the fast decoders of fast.ts (about 0.7 µs of CPU instead of 4 on the bench's log; the bench's
 * 1M-event fold took 12.7 s of CPU with them, 15.5 s with the fast path off); any other input goes
 * through io-ts, which explains what is wrong with it.
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import {
  CURRENT_SCHEMA_VERSION,
  eventDataCodecs,
  type DomainEvent,
  type EventType,
  type WireEvent,
} from './catalog.js';
import { EventId, InstantC, formatInstant, type EventId as EventIdT } from './primitives.js';
import { NOT_FAST, fastDecoderOf, type FastDecoder } from './fast.js';
import { encodedEventFingerprint, jsonFingerprint } from './fingerprint.js';

/**
 * Why an input is not a valid event. `message` is one line listing every problem found, each as
 * `<path>: <reason>`, separated by `; ` (the first 10, then `(and N more)`); `path` and `reason` are
 * those of the first.
 */
export interface DecodeError {
  readonly _tag: 'DecodeError';
  /** Dotted path of the offending field (`data.windows[0].start`), or `` for the whole value. */
  readonly path: string;
  readonly reason: string;
  /** The event id, when it could be read. */
  readonly eventId?: string;
  readonly message: string;
  /** Every problem found, in order, each with its path (the message spells out the first 10). */
  readonly problems: readonly DecodeProblem[];
}

/** One problem of an input: the dotted path of the field (`data.minutes`) and the reason. */
export interface DecodeProblem {
  readonly path: string;
  readonly reason: string;
}

/** Short rendering of an offending value for an error line. */
const show = (u: unknown): string => {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (typeof u === 'string') return JSON.stringify(u.length > 40 ? `${u.slice(0, 40)}…` : u);
  if (typeof u === 'number' || typeof u === 'boolean') return String(u);
  if (u instanceof Date) return Number.isNaN(u.getTime()) ? 'an invalid Date' : `Date ${u.toISOString()}`;
  return Array.isArray(u) ? 'an array' : 'an object';
};

/** One path step: `[3]` for an array index, `.name` for a plain key, `["odd key"]` (short, one line) else. */
const pathStep = (key: string, first: boolean, inArray: boolean): string => {
  if (inArray) return `[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(key)) return first ? key : `.${key}`;
  // A hostile key (newlines, megabytes) must not break the one-line message.
  return `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
};

const pathOf = (context: t.Context): string => {
  let p = '';
  for (let i = 1; i < context.length; i++) {
    const entry = context[i] as t.ContextEntry;
    // An index only when the parent value is an array: a numeric key of an object stays a key.
    p += pathStep(entry.key, p === '', Array.isArray(context[i - 1]?.actual));
  }
  return p;
};

type Problem = DecodeProblem;

/** At most this many problems are spelled out in a message; the rest are counted. */
const MAX_PROBLEMS = 10;

/** The problems io-ts found, each with its path and a readable reason, in the order found. */
const problemsOf = (errors: t.Errors): Problem[] =>
  errors.map((e) => {
    const expected = e.context[e.context.length - 1]?.type.name ?? 'a valid value';
    const base = e.message ?? `expected ${expected}`;
    const reason =
      base === 'required field is missing' || base === 'unknown field'
        ? base
        : `${base} (got ${show(e.value)})`;
    return { path: pathOf(e.context), reason };
  });

const line = (p: Problem): string => (p.path === '' ? p.reason : `${p.path}: ${p.reason}`);

/**
 * One error for every problem: `path` and `reason` are the first problem's, `message` lists the
 * first {@link MAX_PROBLEMS} on one line (`data.a: …; data.b: …`) and counts the rest.
 */
export const errorOf = (problems: readonly Problem[], eventId?: string): DecodeError => {
  const first = problems[0] ?? { path: '', reason: 'invalid event' };
  const shown = problems.slice(0, MAX_PROBLEMS).map(line).join('; ');
  const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
  return {
    _tag: 'DecodeError',
    path: first.path,
    reason: first.reason,
    ...(eventId === undefined ? {} : { eventId }),
    message: shown + more,
    problems,
  };
};

/**
 * Why `value` is not a value of `codec`, in the words the decoder uses for a field at `path`
 * (`data.minutes: expected an integer 1..1440 (got 2000)`); undefined when it is one. For code that
 * takes values a program built without decoding and must check a field the decoder checks.
 */
export const fieldRefusal = (path: string, codec: t.Mixed, value: unknown): string | undefined => {
  // The Ledger asks this of every work entry: a value the fast decoder takes is one io-ts takes
  // (fast.ts), found without io-ts' Either and context; any other value is explained by io-ts.
  const fast = fastDecoderOf(codec);
  if (fast !== undefined && isFastValue(fast, value)) return undefined;
  const r = codec.decode(value);
  if (E.isRight(r)) return undefined;
  return problemsOf(r.left)
    .slice(0, MAX_PROBLEMS)
    .map((p) =>
      line({
        path: p.path === '' || p.path.startsWith('[') ? `${path}${p.path}` : `${path}.${p.path}`,
        reason: p.reason,
      }),
    )
    .join('; ');
};

/** Whether the fast decoder takes `value` (a throwing getter or proxy: no, io-ts decides). */
const isFastValue = (fast: FastDecoder, value: unknown): boolean => {
  try {
    return fast(value) !== NOT_FAST;
  } catch {
    return false;
  }
};

const ENVELOPE_KEYS = new Set(['id', 'type', 'occurredAt', 'schemaVersion', 'data']);

/**
 * Turns the `data` of an older schema version into that of the next one. Register one per step
 * (v1→v2, v2→v3, …); the decoder chains them until the catalog's version is reached.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: unknown) => unknown;
}

/** A codec of an event's `data` at a given schema version. */
export interface CatalogEntry {
  readonly version: number;
  readonly codec: t.Mixed;
}

/** Options of {@link createDecoder}: the catalog to decode against and the upcasters to apply. */
export interface DecoderOptions {
  /** Overrides of catalog entries (a newer version of a type); the rest is the v1 catalog. */
  readonly catalog?: Readonly<Record<string, CatalogEntry>>;
  readonly upcasters?: readonly Upcaster[];
  /**
   * Decode valid input without io-ts' machinery (see fast.ts): same results, several times faster.
   * Default true; false runs io-ts on every input, the reference the fast path is tested against.
   */
  readonly fastPath?: boolean;
}

const defaultCatalog: Readonly<Record<string, CatalogEntry>> = Object.fromEntries(
  Object.entries(eventDataCodecs).map(([k, codec]) => [
    k,
    { version: CURRENT_SCHEMA_VERSION, codec: codec as t.Mixed },
  ]),
);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** fp-ts' `right`, read once: in a bundle each `E.right` is a getter call (CommonJS interop). */
const right = E.right;

/** Whether `k` is an envelope key (as {@link ENVELOPE_KEYS}, without a set lookup). */
const isEnvelopeKey = (k: string): boolean =>
  k === 'id' || k === 'type' || k === 'occurredAt' || k === 'data' || k === 'schemaVersion';

const fastEventId = fastDecoderOf(EventId) as FastDecoder;
const fastInstant = fastDecoderOf(InstantC) as FastDecoder;

/** A catalog entry that has a fast decoder, at its (integer) version. */
interface FastEntry {
  /** The catalog's own key: decoded events carry it, not the string parsed from the line. */
  readonly type: string;
  readonly version: number;
  readonly data: FastDecoder;
}

/** The entries of `catalog` whose codec has a fast decoder (all of the v1 catalog). */
const fastEntries = (catalog: Readonly<Record<string, CatalogEntry>>): Map<string, FastEntry> => {
  const out = new Map<string, FastEntry>();
  for (const [type, entry] of Object.entries(catalog)) {
    const data = fastDecoderOf(entry.codec);
    // An odd version (0, 1.5) is left to the full decoder, which explains why it fails.
    if (data !== undefined && Number.isSafeInteger(entry.version) && entry.version >= 1)
      out.set(type, { type, version: entry.version, data });
  }
  return out;
};

/**
 * The fast path of a decoder (see fast.ts): the decoded event when `u` is a valid event at its type's
 * current version, else undefined. It accepts only what the full decoder accepts, checking in the same
 * order with the same reads, and builds the same object; events that need upcasting, and anything it
 * refuses, go to the full decoder, so every refusal is explained there.
 */
const decodeFast = (entries: ReadonlyMap<string, FastEntry>, u: unknown): unknown => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return undefined;
  const o = u as Record<string, unknown>;
  // for…in also meets inherited enumerable keys (a polluted prototype): then io-ts decides.
  for (const k in o) if (!isEnvelopeKey(k)) return undefined;
  const id = hasOwn(o, 'id') ? fastEventId(o['id']) : NOT_FAST;
  if (id === NOT_FAST) return undefined;
  const type = hasOwn(o, 'type') ? o['type'] : undefined;
  const entry = typeof type === 'string' ? entries.get(type) : undefined;
  if (entry === undefined) return undefined;
  const occurredAt = fastInstant(o['occurredAt']);
  if (occurredAt === NOT_FAST) return undefined;
  const sv = o['schemaVersion'] === undefined ? 1 : o['schemaVersion'];
  if (sv !== entry.version || !hasOwn(o, 'data')) return undefined;
  const data = entry.data(o['data']);
  if (data === NOT_FAST) return undefined;
  return { id, type: entry.type, occurredAt, data };
};

/**
 * Build a decoder for a catalog plus upcasters. `decodeEvent` is this with the v1 catalog; a later
 * catalog passes its newer entries and the upcasters that lift old `data` to them.
 */
export const createDecoder = <Ev = DomainEvent>(options: DecoderOptions = {}) => {
  const catalog = { ...defaultCatalog, ...options.catalog };
  const steps = new Map<string, (data: unknown) => unknown>();
  for (const u of options.upcasters ?? []) steps.set(`${u.type}@${u.fromVersion}`, u.upcast);
  const fast = options.fastPath === false ? new Map<string, FastEntry>() : fastEntries(catalog);

  return (u: unknown): E.Either<DecodeError, Ev> => {
    let quick: unknown;
    try {
      quick = decodeFast(fast, u);
    } catch {
      quick = undefined; // not JSON (a getter, a proxy that throws): the full decoder decides
    }
    if (quick !== undefined) return right(quick as Ev);
    if (typeof u !== 'object' || u === null || Array.isArray(u)) {
      return E.left(errorOf([{ path: '', reason: `expected an event object (got ${show(u)})` }]));
    }
    const o = u as Record<string, unknown>;
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
    const rawId = has('id') ? o['id'] : undefined;
    const idForErrors =
      typeof rawId === 'string' && rawId.length > 0 && rawId.length <= 200 ? rawId : undefined;
    // Every problem is collected (the message lists them); a field whose check needs another
    // (data needs a known type) is checked only when that one passed.
    const problems: Problem[] = [];
    const missing = (path: string): void => void problems.push({ path, reason: 'required field is missing' });
    for (const k of Object.keys(o)) {
      if (!ENVELOPE_KEYS.has(k)) problems.push({ path: pathStep(k, true, false), reason: 'unknown field' });
    }
    let id: EventIdT | undefined;
    if (rawId === undefined) missing('id');
    else {
      const r = EventId.validate(rawId, [
        { key: '', type: EventId, actual: u },
        { key: 'id', type: EventId, actual: rawId },
      ]);
      if (E.isLeft(r)) problems.push(...problemsOf(r.left));
      else id = r.right;
    }
    const type = has('type') ? o['type'] : undefined;
    let entry: CatalogEntry | undefined;
    if (type === undefined) missing('type');
    else if (typeof type !== 'string')
      problems.push({ path: 'type', reason: `expected a string (got ${show(type)})` });
    else {
      entry = Object.prototype.hasOwnProperty.call(catalog, type) ? catalog[type] : undefined;
      if (entry === undefined) problems.push({ path: 'type', reason: `unknown event type ${show(type)}` });
    }
    const occurredAt = InstantC.validate(o['occurredAt'], [
      { key: '', type: InstantC, actual: u },
      { key: 'occurredAt', type: InstantC, actual: o['occurredAt'] },
    ]);
    if (E.isLeft(occurredAt)) {
      if (o['occurredAt'] === undefined) missing('occurredAt');
      else problems.push(...problemsOf(occurredAt.left));
    }
    const sv = o['schemaVersion'] === undefined ? 1 : o['schemaVersion'];
    let svOk = typeof sv === 'number' && Number.isInteger(sv) && sv >= 1;
    if (!svOk) problems.push({ path: 'schemaVersion', reason: `expected an integer ≥ 1 (got ${show(sv)})` });
    else if (entry !== undefined && (sv as number) > entry.version) {
      svOk = false;
      problems.push({
        path: 'schemaVersion',
        reason: `version ${sv as number} of ${type as string} is newer than this engine reads (${entry.version})`,
      });
    }
    let data: unknown = o['data'];
    if (!has('data')) missing('data');
    else if (entry !== undefined && svOk) {
      const codec = entry.codec;
      let upcast = true;
      for (let v = sv as number; v < entry.version; v++) {
        const step = steps.get(`${type as string}@${v}`);
        if (step === undefined) {
          problems.push({
            path: 'schemaVersion',
            reason: `no upcaster from version ${v} of ${type as string}`,
          });
          upcast = false;
          break;
        }
        try {
          data = step(data);
        } catch (err) {
          const why = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
          problems.push({ path: 'data', reason: `cannot upcast version ${v} of ${type as string}: ${why}` });
          upcast = false;
          break;
        }
      }
      if (upcast) {
        const d = codec.validate(data, [
          { key: '', type: codec, actual: u },
          { key: 'data', type: codec, actual: data },
        ]);
        if (E.isLeft(d)) problems.push(...problemsOf(d.left));
        else data = d.right;
      }
    }
    if (problems.length > 0 || id === undefined || E.isLeft(occurredAt))
      return E.left(errorOf(problems, idForErrors));
    return E.right({ id, type, occurredAt: occurredAt.right, data } as unknown as Ev);
  };
};

/** Decode one event of the v1 catalog (spec §2). Never throws. */
export const decodeEvent: (u: unknown) => E.Either<DecodeError, DomainEvent> = createDecoder();

/** Encode a decoded event back to its wire form (instants in UTC, defaults written out). */
export const encodeEvent = (e: DomainEvent): WireEvent => ({
  id: e.id,
  type: e.type,
  occurredAt: formatInstant(e.occurredAt),
  data: (eventDataCodecs[e.type] as t.Mixed).encode(e.data) as Record<string, unknown>,
});

/**
 * Canonical text of an event: equal for two events that state the same fact (same id, type,
 * instant and data, whatever the key order, offset notation or defaults spelled out on the wire).
 */
export const canonicalEvent = (e: DomainEvent): string => JSON.stringify(encodeEvent(e));

/**
 * A 53-bit fingerprint of {@link canonicalEvent}'s text, computed from the encoded event without
 * writing the text: two events get the same fingerprint exactly when their canonical texts are equal
 * (up to a 2^-53 chance of a collision). It is not `cyrb53` of that text; compare it only with others
 * made by this function.
 */
export const canonicalFingerprint = (e: DomainEvent): number => {
  const type: unknown = typeof e === 'object' && e !== null ? e.type : undefined;
  const data =
    typeof type === 'string' && Object.hasOwn(eventDataCodecs, type)
      ? (eventDataCodecs as Record<string, t.Mixed>)[type]
      : undefined;
  // Not an event of the catalog: encoding it throws, and must throw the same way.
  return data === undefined ? jsonFingerprint(encodeEvent(e)) : encodedEventFingerprint(e, data);
};

/** Build a typed event (for deciders and tests); the data is taken as already valid. */
export const makeEvent = <T extends EventType>(
  type: T,
  id: string,
  occurredAt: number,
  data: import('./catalog.js').EventData<T>,
): import('./catalog.js').EventOf<T> =>
  ({ id, type, occurredAt, data }) as unknown as import('./catalog.js').EventOf<T>;
