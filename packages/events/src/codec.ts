/**
 * Codec combinators on top of io-ts that the wire format needs and io-ts lacks: closed objects
 * (unknown fields are refused, not stripped: spec §2 says extra fields are almost always typos),
 * optional fields with defaults, and refinements whose failure carries a human-readable reason.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { NOT_FAST, fastDecoderOf, withFast, type FastDecoder } from './fast.js';
import { IDENTITY, shapeOf } from './shape.js';

/** Own, enumerable keys of a plain JSON object, or undefined when `u` is not one. */
const asRecord = (u: unknown): Record<string, unknown> | undefined =>
  typeof u === 'object' && u !== null && !Array.isArray(u) ? (u as Record<string, unknown>) : undefined;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A field that may be absent; when absent it decodes to `fallback`. */
export interface WithDefault<C extends t.Mixed> {
  readonly _tag: 'WithDefault';
  readonly codec: C;
  readonly fallback: t.TypeOf<C>;
}

/** Mark a field optional with a default value (the decoded type has it always present). */
export const withDefault = <C extends t.Mixed>(codec: C, fallback: t.TypeOf<C>): WithDefault<C> => ({
  _tag: 'WithDefault',
  codec,
  fallback,
});

/** A field that may be absent and stays absent in the decoded value. */
export interface Optional<C extends t.Mixed> {
  readonly _tag: 'Optional';
  readonly codec: C;
}

/** Mark a field optional without a default. */
export const optional = <C extends t.Mixed>(codec: C): Optional<C> => ({ _tag: 'Optional', codec });

type Field = t.Mixed | WithDefault<t.Mixed> | Optional<t.Mixed>;
type Fields = Record<string, Field>;

type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends Optional<t.Mixed> ? never : K }[keyof F];
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends Optional<t.Mixed> ? K : never }[keyof F];
type FieldType<F> =
  F extends WithDefault<infer C>
    ? t.TypeOf<C>
    : F extends Optional<infer C>
      ? t.TypeOf<C>
      : F extends t.Mixed
        ? t.TypeOf<F>
        : never;
type FieldOutput<F> =
  F extends WithDefault<infer C>
    ? t.OutputOf<C>
    : F extends Optional<infer C>
      ? t.OutputOf<C>
      : F extends t.Mixed
        ? t.OutputOf<F>
        : never;

/** The decoded type of a closed object. */
export type ClosedType<F extends Fields> = { readonly [K in RequiredKeys<F>]: FieldType<F[K]> } & {
  readonly [K in OptionalKeys<F>]?: FieldType<F[K]>;
};
/** The wire type of a closed object. */
export type ClosedOutput<F extends Fields> = { [K in RequiredKeys<F>]: FieldOutput<F[K]> } & {
  [K in OptionalKeys<F>]?: FieldOutput<F[K]>;
};

const REQUIRED = 0;
const DEFAULTED = 1;
const OPTIONAL = 2;

/**
 * The fields of a closed object as both of its decoders read them, by position in catalog key
 * order: each one's codec, whether it is required, defaulted or optional, and its default.
 */
interface FieldPlan {
  readonly keys: readonly string[];
  readonly codecs: readonly t.Mixed[];
  readonly kinds: readonly number[];
  readonly fallbacks: readonly unknown[];
}

const tagOf = (f: Field): string | undefined => ('_tag' in f ? f._tag : undefined);

const kindOf = (f: Field): number =>
  tagOf(f) === 'WithDefault' ? DEFAULTED : tagOf(f) === 'Optional' ? OPTIONAL : REQUIRED;

const planOf = (fields: Fields): FieldPlan => {
  const keys = Object.keys(fields);
  const fs = keys.map((k) => fields[k] as Field);
  return {
    keys,
    codecs: fs.map((f) => (kindOf(f) === REQUIRED ? (f as t.Mixed) : (f as Optional<t.Mixed>).codec)),
    kinds: fs.map(kindOf),
    fallbacks: fs.map((f) => (kindOf(f) === DEFAULTED ? (f as WithDefault<t.Mixed>).fallback : undefined)),
  };
};

/**
 * The fast decoder of `closed(_, fields)`, or undefined when a field's codec has none. It accepts
 * exactly what the io-ts decoder accepts, in the same steps (`hasOwn`, `=== undefined`, defaults),
 * and builds the output in catalog key order like it; an unknown key makes it give up.
 */
const fastClosed = ({ keys, codecs, kinds, fallbacks }: FieldPlan): FastDecoder | undefined => {
  const decoders: FastDecoder[] = [];
  for (const codec of codecs) {
    const fast = fastDecoderOf(codec);
    if (fast === undefined) return undefined;
    decoders.push(fast);
  }
  const known = new Set(keys);
  return (u) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return NOT_FAST;
    const o = u as Record<string, unknown>;
    const present = Object.keys(o);
    if (present.length > keys.length) return NOT_FAST;
    const out: Record<string, unknown> = {};
    // Wire keys usually come in catalog order: walk both lists together, and look a field up only
    // when it is not the next wire key (absent, or elsewhere).
    let next = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      let v: unknown;
      if (present[next] === k) {
        next += 1;
        v = o[k];
      } else v = hasOwn(o, k) ? o[k] : undefined;
      if (v === undefined) {
        if (kinds[i] === REQUIRED) return NOT_FAST;
        if (kinds[i] === DEFAULTED) out[k] = fallbacks[i];
        continue;
      }
      const d = (decoders[i] as FastDecoder)(v);
      if (d === NOT_FAST) return NOT_FAST;
      out[k] = d;
    }
    // Unless every wire key was met in order, one may be unknown.
    if (next !== present.length)
      for (let i = 0; i < present.length; i++) if (!known.has(present[i] as string)) return NOT_FAST;
    return out;
  };
};

/**
 * A closed JSON object: every required field present and valid, optional fields valid when present,
 * and any other key refused with the reason `unknown field`.
 */
export const closed = <F extends Fields>(
  name: string,
  fields: F,
): t.Type<ClosedType<F>, ClosedOutput<F>, unknown> => {
  const plan = planOf(fields);
  const { keys, codecs, kinds, fallbacks } = plan;
  const decoder = new t.Type<ClosedType<F>, ClosedOutput<F>, unknown>(
    name,
    (u): u is ClosedType<F> => {
      const o = asRecord(u);
      if (o === undefined) return false;
      for (const k of Object.keys(o)) if (!hasOwn(fields, k)) return false;
      return keys.every((k, i) => (hasOwn(o, k) ? (codecs[i] as t.Mixed).is(o[k]) : kinds[i] !== REQUIRED));
    },
    (u, c) => {
      const o = asRecord(u);
      if (o === undefined) return t.failure(u, c, 'expected a JSON object');
      const errors: t.ValidationError[] = [];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const codec = codecs[i] as t.Mixed;
        if (!hasOwn(o, k) || o[k] === undefined) {
          if (kinds[i] === DEFAULTED) out[k] = fallbacks[i];
          else if (kinds[i] === REQUIRED)
            errors.push({
              value: undefined,
              context: t.appendContext(c, k, codec, undefined),
              message: 'required field is missing',
            });
          continue;
        }
        // The field's path is needed only for an error: decode with the parent context first (no
        // allocation per field and event), and again with the full path only when it fails.
        const fast = codec.validate(o[k], c);
        if (!isLeft(fast)) {
          out[k] = fast.right;
          continue;
        }
        const r = codec.validate(o[k], t.appendContext(c, k, codec, o[k]));
        if (isLeft(r)) errors.push(...r.left);
        else out[k] = r.right;
      }
      for (const k of Object.keys(o)) {
        if (!hasOwn(fields, k)) {
          errors.push({
            value: o[k],
            context: t.appendContext(c, k, t.never, o[k]),
            message: 'unknown field',
          });
        }
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out as ClosedType<F>);
    },
    (a) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const v = (a as Record<string, unknown>)[k];
        if (v !== undefined) out[k] = (codecs[i] as t.Mixed).encode(v);
      }
      return out as ClosedOutput<F>;
    },
  );
  return withFast(decoder, fastClosed(plan), { kind: 'closed', keys, codecs });
};

/** The fast decoder of a refinement: the base's, then the same check. */
const fastRefinement = <A>(
  base: FastDecoder | undefined,
  check: (a: A) => string | undefined,
): FastDecoder | undefined =>
  base === undefined
    ? undefined
    : (u) => {
        const v = base(u);
        return v !== NOT_FAST && check(v as A) === undefined ? v : NOT_FAST;
      };

/**
 * A refinement of a base codec whose failure message is a readable reason (`check` returns the
 * reason, or undefined when the value is acceptable).
 */
export const refineWith = <A, O, B extends A>(
  base: t.Type<A, O, unknown>,
  name: string,
  check: (a: A) => string | undefined,
): t.Type<B, O, unknown> =>
  withFast(
    new t.Type<B, O, unknown>(
      name,
      (u): u is B => base.is(u) && check(u) === undefined,
      (u, c) => {
        const r = base.validate(u, c);
        if (isLeft(r)) return r;
        const reason = check(r.right);
        return reason === undefined ? t.success(r.right as B) : t.failure(u, c, reason);
      },
      (b) => base.encode(b),
    ),
    fastRefinement(fastDecoderOf(base), check),
    shapeOf(base), // encode is the base's
  );

/**
 * A codec of values taken as they are, from one rule: `accept` gives the value, or {@link NOT_FAST}
 * for any input it refuses, which io-ts then refuses with `expected`. The io-ts codec and the fast
 * decoder are both `accept`, so the rule is written once.
 */
export const leaf = <A>(
  name: string,
  accept: (u: unknown) => A | typeof NOT_FAST,
  expected: string,
): t.Type<A, A, unknown> =>
  withFast(
    new t.Type<A, A, unknown>(
      name,
      (u): u is A => accept(u) !== NOT_FAST,
      (u, c) => {
        const v = accept(u);
        return v === NOT_FAST ? t.failure(u, c, expected) : t.success(v as A);
      },
      t.identity,
    ),
    accept,
    IDENTITY,
  );

/** A string literal union whose failure names the allowed values. */
export const oneOf = <const L extends readonly [string, ...string[]]>(
  name: string,
  values: L,
): t.Type<L[number], L[number], unknown> => {
  // Decoding returns the literal of `values`, not the string parsed from the input: one string per
  // value however many events name it (a ticket's service, channel, scope), compared by identity.
  const canonical = new Map<string, L[number]>(values.map((v) => [v, v]));
  return leaf(
    name,
    (u) => (typeof u === 'string' ? (canonical.get(u) ?? NOT_FAST) : NOT_FAST),
    `expected one of ${values.join(', ')}`,
  );
};

/** A string whose failure says so. */
export const str = leaf('string', (u) => (typeof u === 'string' ? u : NOT_FAST), 'expected a string');

/** A boolean whose failure says so. */
export const bool = leaf('boolean', (u) => (typeof u === 'boolean' ? u : NOT_FAST), 'expected true or false');

const jsonOf = (x: unknown): string | undefined => JSON.stringify(x);

/** Whether two items of `u` have the same JSON text. */
const hasRepeats = (u: readonly unknown[]): boolean => new Set(u.map(jsonOf)).size !== u.length;

/** Options of {@link arrayOf}. */
interface ArrayOptions {
  nonEmpty?: boolean;
  max?: number;
  unique?: boolean;
}

/** Why array `u` breaks `opts` (its length, a repeated item), or undefined: for both decoders. */
const arrayRefusal = (u: readonly unknown[], opts: ArrayOptions): string | undefined => {
  if (opts.nonEmpty === true && u.length === 0) return 'expected a non-empty array';
  if (opts.max !== undefined && u.length > opts.max) return `expected at most ${opts.max} items`;
  if (opts.unique === true && hasRepeats(u)) return 'expected no item twice';
  return undefined;
};

/** The fast decoder of `arrayOf(item, opts)`: the same checks of the array, then each item. */
const fastArray = (item: FastDecoder | undefined, opts: ArrayOptions): FastDecoder | undefined =>
  item === undefined
    ? undefined
    : (u) => {
        if (!Array.isArray(u) || arrayRefusal(u, opts) !== undefined) return NOT_FAST;
        const out: unknown[] = [];
        for (let i = 0; i < u.length; i++) {
          // A hole is undefined here, which no fast decoder accepts (io-ts' forEach would skip it).
          const v = item(u[i]);
          if (v === NOT_FAST) return NOT_FAST;
          out.push(v);
        }
        return out;
      };

/** A JSON array of `item`, optionally non-empty. */
export const arrayOf = <C extends t.Mixed>(
  item: C,
  opts: ArrayOptions = {},
): t.Type<ReadonlyArray<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> =>
  withFast(
    new t.Type<ReadonlyArray<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
      `Array<${item.name}>`,
      (u): u is ReadonlyArray<t.TypeOf<C>> => Array.isArray(u) && u.every((x) => item.is(x)),
      (u, c) => {
        if (!Array.isArray(u)) return t.failure(u, c, 'expected a JSON array');
        const refused = arrayRefusal(u, opts);
        if (refused !== undefined) return t.failure(u, c, refused);
        const errors: t.ValidationError[] = [];
        const out: Array<t.TypeOf<C>> = [];
        u.forEach((x, i) => {
          const r = item.validate(x, t.appendContext(c, String(i), item, x));
          if (isLeft(r)) errors.push(...r.left);
          else out.push(r.right);
        });
        return errors.length > 0 ? t.failures(errors) : t.success(out);
      },
      (a) => a.map((x) => item.encode(x) as t.OutputOf<C>),
    ),
    fastArray(fastDecoderOf(item), opts),
    { kind: 'array', item },
  );
