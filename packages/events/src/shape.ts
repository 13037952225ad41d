/**
 * What a codec's `encode` does, described (internal, not exported by the package): next to its io-ts
 * codec, each combinator of codec.ts and primitives.ts registers the shape of its encoder (the third
 * argument of `withFast`, beside its fast decoder), so that `canonicalFingerprint` (fingerprint.ts)
 * can hash what `encode` would write without building it.
 *
 * - `identity`: `encode(v)` is `v` itself (strings, booleans, literals, integers, refinements of them);
 * - `instant`: `encode(v)` is `formatInstant(v)`;
 * - `closed`: `encode(a)` is an object with, in `keys` order, each key whose value in `a` is not
 *   undefined, encoded by its codec in `codecs`;
 * - `array`: `encode(a)` is `a.map(item.encode)`.
 *
 * A codec without a registered shape (a custom io-ts codec) is hashed through its own `encode`.
 */
import type * as t from 'io-ts';

export type Shape =
  | { readonly kind: 'identity' }
  | { readonly kind: 'instant' }
  | { readonly kind: 'closed'; readonly keys: readonly string[]; readonly codecs: readonly t.Mixed[] }
  | { readonly kind: 'array'; readonly item: t.Mixed };

export const IDENTITY: Shape = { kind: 'identity' };

// Written only when a codec is defined (at module load, by the combinators): a constant after that.
const registry = new WeakMap<t.Mixed, Shape>();

/** Register the shape of `codec`'s encoder (none: hashed through `encode`), and return the codec. */
export const withShape = <C extends t.Mixed>(codec: C, shape: Shape | undefined): C => {
  if (shape !== undefined) registry.set(codec, shape);
  return codec;
};

/** The shape of `codec`'s encoder, when it has one. */
export const shapeOf = (codec: t.Mixed): Shape | undefined => registry.get(codec);
