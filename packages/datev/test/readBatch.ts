/**
 * A reader of DATEV booking batches for the tests, written from DATEV's format description rather
 * than from the writer: Windows-1252 (decoded with the code chart below, not the writer's table),
 * CRLF line ends, `;` between fields, text in double quotes with `""` for a quote, amounts with a
 * decimal comma. It throws on anything a strict importer would not read.
 */
import { Dec } from '@msp-billing/billing';

/** A field as written: its value and whether it was in quotes. */
export interface Field {
  readonly value: string;
  readonly quoted: boolean;
}

/** A batch read back. */
export interface ReadBatch {
  readonly header: readonly Field[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Field[])[];
}

/** One booking's values, by DATEV's column names. */
export interface ReadBooking {
  /** Signed: negative for `H`. */
  readonly amount: Dec;
  readonly sollHaben: 'S' | 'H';
  readonly konto: string;
  readonly gegenkonto: string;
  readonly belegdatum: string;
  readonly belegfeld1: string;
  readonly buchungstext: string;
  /** Columns other than these seven that are not empty (should be none). */
  readonly others: readonly string[];
}

const splitFields = (line: string, lineNo: number): Field[] => {
  const out: Field[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) throw new Error(`line ${lineNo}: unclosed quote`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push({ value, quoted: true });
    } else {
      const end = line.indexOf(';', i);
      const value = end === -1 ? line.slice(i) : line.slice(i, end);
      if (value.includes('"')) throw new Error(`line ${lineNo}: a quote inside an unquoted field`);
      out.push({ value, quoted: false });
      i = end === -1 ? line.length : end;
    }
    if (i === line.length) return out;
    if (line[i] !== ';') throw new Error(`line ${lineNo}: ${JSON.stringify(line[i])} after a quoted field`);
    i += 1;
  }
};

/**
 * Bytes 0x80–0x9F of Windows-1252 as one string, from the code chart; `_` marks the five unassigned
 * bytes. (Node 20's `TextDecoder('windows-1252')` decodes these bytes as Latin-1 C1 controls, so it
 * cannot check the writer.)
 */
const CHART_80_9F = '€_‚ƒ„…†‡ˆ‰Š‹Œ_Ž__‘’“”•–—˜™š›œ_žŸ';

/** Decode Windows-1252; an unassigned byte is an error. */
export const decodeWindows1252 = (bytes: Uint8Array): string => {
  let out = '';
  for (const b of bytes) {
    if (b < 0x80 || b >= 0xa0) out += String.fromCharCode(b);
    else {
      const ch = CHART_80_9F[b - 0x80] as string;
      if (ch === '_') throw new Error(`byte 0x${b.toString(16)} is unassigned in Windows-1252`);
      out += ch;
    }
  }
  return out;
};

/** Read a batch's bytes; throws on a malformed file. */
export const readBatch = (bytes: Uint8Array): ReadBatch => {
  const text = decodeWindows1252(bytes);
  if (!text.endsWith('\r\n')) throw new Error('the file does not end with CRLF');
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) throw new Error('a line end that is not CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const [header, columns, ...rows] = lines.map((l, i) => splitFields(l, i + 1));
  if (header === undefined || columns === undefined) throw new Error('no header or no column line');
  return { header, columns: columns.map((c) => c.value), rows };
};

/** The bookings of a batch read back, checked field by field against DATEV's expressions. */
export const bookingsOf = (batch: ReadBatch): ReadBooking[] =>
  batch.rows.map((row, r) => {
    const at = (name: string): Field => {
      const i = batch.columns.indexOf(name);
      const f = row[i];
      if (i === -1 || f === undefined) throw new Error(`row ${r + 1}: no column ${name}`);
      return f;
    };
    if (row.length !== batch.columns.length)
      throw new Error(`row ${r + 1}: ${row.length} fields, ${batch.columns.length} columns`);
    const umsatz = at('Umsatz (ohne Soll/Haben-Kz)');
    if (umsatz.quoted || !/^\d{1,10},\d{2}$/.test(umsatz.value))
      throw new Error(`row ${r + 1}: Umsatz ${umsatz.value}`);
    const sh = at('Soll/Haben-Kennzeichen');
    if (!sh.quoted || (sh.value !== 'S' && sh.value !== 'H'))
      throw new Error(`row ${r + 1}: S/H ${sh.value}`);
    const amount = new Dec(umsatz.value.replace(',', '.'));
    const used = [
      'Umsatz (ohne Soll/Haben-Kz)',
      'Soll/Haben-Kennzeichen',
      'Konto',
      'Gegenkonto (ohne BU-Schlüssel)',
      'Belegdatum',
      'Belegfeld 1',
      'Buchungstext',
    ];
    return {
      amount: sh.value === 'H' ? amount.negated() : amount,
      sollHaben: sh.value,
      konto: at('Konto').value,
      gegenkonto: at('Gegenkonto (ohne BU-Schlüssel)').value,
      belegdatum: at('Belegdatum').value,
      belegfeld1: at('Belegfeld 1').value,
      buchungstext: at('Buchungstext').value,
      others: batch.columns.filter((c, i) => !used.includes(c) && (row[i] as Field).value !== ''),
    };
  });
