/**
 * Plain-text tables for people: columns padded to their widest cell, numbers right-aligned, two
 * spaces between columns, no trailing blanks. Widths count code points, so `€` or `ü` in a reason do
 * not shift the columns.
 */

/** A column: its header and alignment. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

const width = (s: string): number => [...s].length;

const pad = (s: string, w: number, align: 'left' | 'right'): string => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
};

/** The lines of a table: header, a rule of dashes, then one line per row. */
export const renderTable = (columns: readonly Column[], rows: readonly (readonly string[])[]): string[] => {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const render = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i] as number, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [
    render(columns.map((c) => c.header)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(render),
  ];
};

/** Label/value pairs with the values aligned: `label   value`. */
export const renderPairs = (pairs: readonly (readonly [string, string])[], indent = ''): string[] => {
  const w = Math.max(0, ...pairs.map(([k]) => width(k)));
  return pairs.map(([k, v]) => `${indent}${pad(k, w, 'left')}  ${v}`.trimEnd());
};

/** `1 entry` / `2 entries`. */
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * An instant as local wall-clock time in `timeZone`, `YYYY-MM-DD HH:MM`, computed with Intl for that
 * zone: never the machine's zone.
 */
export const localTime = (instant: string | number, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
};
