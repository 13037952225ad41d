/**
 * CSV per RFC 4180, both ways: writing (fields quoted when they hold a comma, quote, CR or LF, or
 * leading/trailing blanks; CRLF line ends, so spreadsheets open it as-is) and reading (quoted fields
 * with doubled quotes and embedded line breaks; every record carries the line it started on, for
 * error messages).
 */

/** One field, quoted when needed. */
export const csvField = (value: string | number | null): string => {
  const s = value === null ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One record with its CRLF line end. */
export const csvRow = (values: readonly (string | number | null)[]): string =>
  `${values.map(csvField).join(',')}\r\n`;

/** A record read from CSV text: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** Why CSV text could not be read: the line and the reason. */
export interface CsvSyntaxError {
  readonly line: number;
  readonly reason: string;
}

/**
 * Parse CSV text into records. Blank lines (outside quotes) are skipped. Returns a syntax error for a
 * quote inside an unquoted field, text after a closing quote, or a quote never closed.
 */
export const parseCsv = (text: string): { records: CsvRecord[] } | { error: CsvSyntaxError } => {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const n = src.length;
  let line = 1;
  let i = 0;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let quoted = false;
    for (;;) {
      const c = src[i];
      if (c === undefined || c === '\r' || c === '\n') {
        fields.push(field);
        if (c !== undefined) {
          i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
          line += 1;
        }
        break;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        quoted = false;
        i += 1;
        continue;
      }
      if (c === '"') {
        if (!atFieldStart) {
          return {
            error: {
              line,
              reason: quoted ? 'text after the closing quote of a field' : 'a quote inside an unquoted field',
            },
          };
        }
        // A quoted field: up to the closing quote; "" is a quote; line breaks are data.
        i += 1;
        let closed = false;
        while (i < n) {
          const q = src[i] as string;
          if (q === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (q === '\n') line += 1;
          field += q;
          i += 1;
        }
        if (!closed) return { error: { line: start, reason: 'a quoted field is never closed' } };
        atFieldStart = false;
        quoted = true;
        continue;
      }
      if (quoted) return { error: { line, reason: 'text after the closing quote of a field' } };
      atFieldStart = false;
      field += c;
      i += 1;
    }
    const blank = fields.length === 1 && (fields[0] as string).trim() === '' && !quoted;
    if (!blank) records.push({ line: start, fields });
  }
  return { records };
};
