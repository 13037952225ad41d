/**
 * Appending to the many short arrays of a large log. V8 grows a pushed array by at least 16 slots,
 * so an entry list or timeline of two items would hold room for seventeen; most of them never grow
 * beyond a few. Short arrays are therefore copied at their exact size on append, long ones pushed.
 */

/** Arrays shorter than this are copied on append. */
export const SHORT_ARRAY = 8;

/**
 * `list` with `item` appended: a new exact-size array while `list` is short (the old one unchanged),
 * else `list` itself with `item` pushed.
 */
export const appended = <T>(list: T[], item: T): T[] => {
  if (list.length < SHORT_ARRAY) return list.concat([item]);
  list.push(item);
  return list;
};
