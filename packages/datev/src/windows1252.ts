/**
 * Windows-1252, the character set DATEV reads an EXTF file in. Bytes 0x00–0x7F are ASCII and
 * 0xA0–0xFF are Latin-1, both equal to their code points; 0x80–0x9F hold 27 typographic characters
 * (€, „, “, –, …) and five unassigned bytes. A character outside the set is refused, never replaced:
 * a `?` in an account's booking text is a silent change of what the provider wrote.
 */

/** The 27 characters of 0x80–0x9F, by code point. */
const HIGH: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], // €
  [0x201a, 0x82], // ‚
  [0x0192, 0x83], // ƒ
  [0x201e, 0x84], // „
  [0x2026, 0x85], // …
  [0x2020, 0x86], // †
  [0x2021, 0x87], // ‡
  [0x02c6, 0x88], // ˆ
  [0x2030, 0x89], // ‰
  [0x0160, 0x8a], // Š
  [0x2039, 0x8b], // ‹
  [0x0152, 0x8c], // Œ
  [0x017d, 0x8e], // Ž
  [0x2018, 0x91], // ‘
  [0x2019, 0x92], // ’
  [0x201c, 0x93], // “
  [0x201d, 0x94], // ”
  [0x2022, 0x95], // •
  [0x2013, 0x96], // –
  [0x2014, 0x97], // —
  [0x02dc, 0x98], // ˜
  [0x2122, 0x99], // ™
  [0x0161, 0x9a], // š
  [0x203a, 0x9b], // ›
  [0x0153, 0x9c], // œ
  [0x017e, 0x9e], // ž
  [0x0178, 0x9f], // Ÿ
]);

/** The Windows-1252 byte of code point `cp`, or undefined when the set has none. */
export const windows1252Byte = (cp: number): number | undefined => {
  if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return HIGH.get(cp);
};

/** The first character of `text` that Windows-1252 cannot hold, or undefined when all fit. */
export const firstNotWindows1252 = (text: string): string | undefined => {
  for (const ch of text) if (windows1252Byte(ch.codePointAt(0) as number) === undefined) return ch;
  return undefined;
};

/** `text` as Windows-1252 bytes; the caller has checked it with {@link firstNotWindows1252}. */
export const encodeWindows1252 = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const b = windows1252Byte(ch.codePointAt(0) as number);
    if (b === undefined)
      throw new Error(`not in Windows-1252: U+${(ch.codePointAt(0) as number).toString(16)}`);
    out[n++] = b;
  }
  return out.subarray(0, n);
};
