/**
 * One shared copy of the strings facts keep and events repeat. Every decoded event carries fresh
 * strings (JSON.parse makes a new one per value), so a requester's e-mail, a VM id or a technician
 * kept per ticket or per work entry would be as many copies as events, of a few hundred distinct
 * values. Interning returns the first-seen string of equal content instead; since strings are
 * immutable and compared by content, nothing can tell the difference but the heap.
 *
 * The table is bounded: it only ever holds the first {@link INTERN_LIMIT} distinct strings and then
 * stops adding, returning new strings as they are. A long-running engine meets an unbounded number
 * of distinct values over the years (and hostile input can make them up), and the table keeps each
 * alive forever; a bounded table costs at most a few MB, while the values worth sharing — those
 * repeated thousands of times — are nearly always among the first seen. Module state, yet no
 * result depends on it: an interned string equals its argument.
 */

/** How many distinct strings the shared table holds at most (about 1–2 MB of short strings). */
export const INTERN_LIMIT = 16_384;

/**
 * An interning function over `table`, which it fills up to `limit` distinct strings: the string
 * first seen with the content of `s`, or `s` itself if the table holds none and is full.
 */
export const createInterner =
  (limit: number, table: Map<string, string> = new Map()) =>
  <S extends string>(s: S): S => {
    const first = table.get(s);
    if (first !== undefined) return first as S;
    if (table.size < limit) table.set(s, s);
    return s;
  };

/** The shared copy of `s` (see the module's comment). */
export const intern: <S extends string>(s: S) => S = createInterner(INTERN_LIMIT);

/** {@link intern} for optional fields. */
export const internOptional = <S extends string>(s: S | undefined): S | undefined =>
  s === undefined ? undefined : intern(s);
