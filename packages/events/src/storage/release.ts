/**
 * Growing a table's columns, and giving the old ones back at once. The engine's tables keep their columns in typed
 * arrays and grow them by copying into bigger ones. The old array has usually lived long enough to
 * be in V8's old generation, so its buffer stays allocated until a full GC finds it unreachable, and
 * a fold's tables grow often enough for those buffers to be ~15 MB of the peak of a 1M-event fold
 * (docs/benchmarks.md). Transferring the buffer away detaches it at once; its memory goes with a
 * clone that nothing keeps, which the next young-generation GC frees.
 */

/**
 * Detach the buffer of `column` (which then reads as empty) so that its memory is freed by the next
 * young-generation GC instead of the next full one. Only for a column nothing refers to any more. A
 * view of part of a buffer (a pooled `Buffer`) or of a shared buffer is left as it is: its buffer
 * holds other data.
 */
export const releaseColumn = (column: ArrayBufferView): void => {
  const buffer = column.buffer;
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
  if (column.byteOffset !== 0 || column.byteLength !== buffer.byteLength) return;
  structuredClone(buffer, { transfer: [buffer] });
};

/** A typed array a table can keep a column in. */
export type TypedColumn = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/**
 * `column` grown to `size` rows: a typed array of the same kind holding its values, then zeros. The
 * old column is released (see {@link releaseColumn}): it reads as empty from then on.
 */
export const grownTo = <T extends TypedColumn>(column: T, size: number): T => {
  const next = new (column.constructor as new (length: number) => T)(size);
  next.set(column);
  releaseColumn(column);
  return next;
};

/**
 * `column` grown to hold at least `n` rows, as the same kind of typed array (by half again, so the
 * room kept is a third at most; the old column's memory is given back at once, see {@link grownTo});
 * `column` itself when it already does. A table grows all its
 * columns of one length together, when a row would not fit (`capacity`).
 */
export const grown = <T extends TypedColumn>(column: T, n: number): T => {
  if (n <= column.length) return column;
  return grownTo(column, Math.max(n, 1024, Math.ceil(column.length * 1.5)));
};
