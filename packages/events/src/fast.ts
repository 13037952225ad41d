/**
 * Fast decoders (internal, not exported by the package): next to its io-ts codec, each combinator of
 * codec.ts and primitives.ts registers a plain function that decodes an input the codec accepts to the
 * very value the codec's `decode` gives, without io-ts' Either and context machinery. On input it
 * refuses, or is not sure about, a fast decoder returns {@link NOT_FAST}; the caller then runs the
 * io-ts codec, which explains the refusal. So only valid input takes the fast path, and every error
 * message comes from io-ts, unchanged.
 *
 * The contract of a fast decoder `f` of codec `c`: for every input `u`, either `f(u)` is NOT_FAST, or
 * `c.decode(u)` is a Right whose value is deep-equal to `f(u)`, objects with the same keys in the same
 * order. No fast decoder accepts `undefined` (an array hole or a missing field is left to io-ts). A
 * codec without a registered fast decoder (a custom io-ts codec) has none, and neither do the codecs built on
 * it: decoding it takes the io-ts path only.
 *
 * So each event is defined once, in catalog.ts, from those combinators, and its io-ts codec, its fast
 * decoder and its encoder's shape (shape.ts) are all derived from that one definition. Each rule of
 * a combinator is written once too: `str`, `bool`, `oneOf` and the integers are one function each
 * (`leaf`), the instant is one scanner (`parseInstant`), a refinement's check, an array's length and
 * repeat rules (`arrayRefusal`) and a closed object's fields (`planOf`) serve both decoders. What is
 * written twice is only the walk over an object's fields and an array's items: io-ts collects every
 * error with its path, the fast decoder stops at the first refusal.
 */
import type * as t from 'io-ts';
import { withShape, type Shape } from './shape.js';

/** What a fast decoder returns when it does not decode its input (invalid, or not sure). */
export const NOT_FAST: unique symbol = Symbol('NOT_FAST');

/** A fast decoder: the decoded value, or {@link NOT_FAST}. Never allocates a closure per call. */
export type FastDecoder = (u: unknown) => unknown;

// Written only when a codec is defined (at module load, by the combinators): a constant after that.
const registry = new WeakMap<t.Mixed, FastDecoder>();

/**
 * Register `fast` as the fast decoder of `codec`, and `shape` as what its encoder does (shape.ts),
 * and return the codec.
 */
export const withFast = <C extends t.Mixed>(codec: C, fast: FastDecoder | undefined, shape?: Shape): C => {
  if (fast !== undefined) registry.set(codec, fast);
  return withShape(codec, shape);
};

/** The fast decoder of `codec`, when it has one. */
export const fastDecoderOf = (codec: t.Mixed): FastDecoder | undefined => registry.get(codec);
