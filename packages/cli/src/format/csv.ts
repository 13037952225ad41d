/**
 * CSV both ways, through csv-stringify and csv-parse (RFC 4180). Writing: fields quoted when they
 * hold the separator, a quote, CR or LF, or leading/trailing blanks; CRLF line ends, so spreadsheets
 * open it as-is. Reading: `,` or `;` separated (told apart by the header row), a UTF-8 byte-order
 * mark, quoted fields with doubled quotes and embedded line breaks; every record carries the line
 * it starts on, for error messages.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const WRITE = { record_delimiter: 'windows', quoted_match: /^\s|\s$|[\r\n]/ } as const;

/** One field, quoted when needed. */
export const csvField = (value: string | number | null): string =>
  stringify([[value === null ? '' : String(value)]], { ...WRITE, record_delimiter: '' });

/** One record with its CRLF line end. */
export const csvRow = (values: readonly (string | number | null)[]): string =>
  stringify([values.map((v) => (v === null ? '' : String(v)))], WRITE);

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

/** CSV text read: its records and the separator its header uses. */
export interface ParsedCsv {
  readonly records: CsvRecord[];
  readonly delimiter: ',' | ';';
}

/**
 * The separator of a file: `;` when its first line has more semicolons than commas outside quotes
 * (what German spreadsheets and accounting tools write), else `,`.
 */
const delimiterOf = (text: string): ',' | ';' => {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas += 1;
    else if (!quoted && c === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
};

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field',
};

/**
 * Parse CSV text into records. Blank lines (outside quotes) are skipped; records may differ in
 * length (the caller names the line). A syntax error names its line and reason.
 */
export const parseCsv = (text: string): ParsedCsv | { error: CsvSyntaxError } => {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = delimiterOf(src);
  try {
    const rows = parse(src, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    const records: CsvRecord[] = [];
    for (const { record, info, raw } of rows) {
      // A line of blanks only is no record (spacing a person left in the file).
      if (record.length === 1 && (record[0] as string).trim() === '') continue;
      // `lines` is the line the record ends on; a quoted field may have spanned several. The raw
      // text may start with the blank lines skipped before the record.
      const body = raw.replace(/^(\r\n|\r|\n)+/, '').replace(/(\r\n|\r|\n)$/, '');
      const breaks = body.match(/\r\n|\r|\n/g)?.length ?? 0;
      records.push({ line: info.lines - breaks, fields: record });
    }
    return { records, delimiter };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? 1;
    const reason = REASONS[err.code] ?? err.message;
    // An unclosed quote is reported at the end of the text; its record starts where the quote opens.
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      const lines = src.split(/\r\n|\r|\n/);
      let open = 1;
      let inQuote = false;
      lines.forEach((l, k) => {
        const quotes = (l.match(/"/g) ?? []).length;
        if (!inQuote && quotes % 2 === 1) open = k + 1;
        if (quotes % 2 === 1) inQuote = !inQuote;
      });
      return { error: { line: open, reason } };
    }
    return { error: { line, reason } };
  }
};
