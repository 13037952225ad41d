/**
 * The XML writing of the e-invoices: a small writer of our own (docs/decisions.md says why). It
 * writes elements in the order the caller gives — the order of the UBL and CII schemas, which the
 * document modules state element by element — escapes every text and attribute value, and never
 * writes an empty element. Text is written as UTF-8 characters (umlauts, emoji); only `&`, `<`, `>`,
 * `"` and the whitespace an XML parser would normalise away are written as references, so every
 * text reads back exactly.
 */

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_SPECIAL_ALL = /[&<>"\t\n\r]/g;
const REFERENCE: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const reference = (c: string): string => REFERENCE[c] as string;

/** `s` as element content: `&`, `<`, `>` and a carriage return (which a parser turns into a line feed) escaped. */
export const escapeText = (s: string): string =>
  TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_ALL, reference) : s;

/** `s` as an attribute value in double quotes: also `"`, tabs and line breaks (a parser would turn them into spaces). */
export const escapeAttribute = (s: string): string =>
  ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_ALL, reference) : s;

/**
 * A character XML 1.0 cannot carry at all, not even as a reference: a control character other than
 * tab, line feed and carriage return, U+FFFE, U+FFFF, or half of a surrogate pair.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The first character of `s` that XML 1.0 cannot carry, as `U+XXXX`, or undefined when there is none. */
export const uncarriable = (s: string): string | undefined => {
  const m = NOT_XML_CHAR.exec(s);
  return m === null
    ? undefined
    : `U+${(m[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
};

/** Attributes of an element, in the order written. */
export type Attributes = readonly (readonly [string, string])[];

const attributes = (attrs: Attributes | undefined): string => {
  if (attrs === undefined) return '';
  let s = '';
  for (const [name, value] of attrs) s += ` ${name}="${escapeAttribute(value)}"`;
  return s;
};

const INDENT: string[] = [''];
const indent = (depth: number): string => {
  while (INDENT.length <= depth) INDENT.push(`${INDENT[INDENT.length - 1] as string}  `);
  return INDENT[depth] as string;
};

/** Writes one XML document, element by element, indented by two spaces. */
export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  private readonly openNames: string[] = [];

  /** Open element `name` (a qualified name), with attributes. */
  open(name: string, attrs?: Attributes): this {
    this.parts.push(`${indent(this.openNames.length)}<${name}${attributes(attrs)}>\n`);
    this.openNames.push(name);
    return this;
  }

  /** Close the innermost open element. */
  close(): this {
    const name = this.openNames.pop();
    if (name === undefined) throw new Error('XmlWriter: nothing to close');
    this.parts.push(`${indent(this.openNames.length)}</${name}>\n`);
    return this;
  }

  /** An element with text content; nothing at all when `text` is undefined or empty. */
  leaf(name: string, text: string | undefined, attrs?: Attributes): this {
    if (text === undefined || text === '') return this;
    this.parts.push(
      `${indent(this.openNames.length)}<${name}${attributes(attrs)}>${escapeText(text)}</${name}>\n`,
    );
    return this;
  }

  /** The document; every element must be closed. */
  toString(): string {
    if (this.openNames.length > 0) throw new Error(`XmlWriter: ${this.openNames.join(' > ')} not closed`);
    return this.parts.join('');
  }
}
