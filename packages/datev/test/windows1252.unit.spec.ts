import { describe, expect, it } from 'vitest';
import { encodeWindows1252, firstNotWindows1252, windows1252Byte } from '../src/windows1252.js';
import { decodeWindows1252 } from './readBatch.js';

/** The five bytes Windows-1252 leaves unassigned (WHATWG decodes them to C1 controls). */
const UNASSIGNED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

describe('Windows-1252', () => {
  it("agrees with the tests' code chart on every assigned byte", () => {
    const assigned = Array.from({ length: 256 }, (_, b) => b).filter((b) => !UNASSIGNED.includes(b));
    expect(assigned).toHaveLength(251);
    for (const b of assigned) {
      const ch = decodeWindows1252(Uint8Array.of(b));
      expect([b, windows1252Byte(ch.codePointAt(0) as number)]).toEqual([b, b]);
    }
    for (const b of UNASSIGNED) expect(() => decodeWindows1252(Uint8Array.of(b))).toThrow('unassigned');
  });

  it('has no byte for C1 controls, unassigned positions or characters outside the set', () => {
    for (const b of UNASSIGNED) expect(windows1252Byte(b)).toBeUndefined();
    expect(windows1252Byte(0x80)).toBeUndefined(); // U+0080 is a control; € is U+20AC → 0x80
    expect(windows1252Byte(0x20ac)).toBe(0x80);
    expect(firstNotWindows1252('Grüße, Œuvre – „€ 5“')).toBeUndefined();
    expect(firstNotWindows1252('Łódź')).toBe('Ł');
    expect(firstNotWindows1252('ok 😀')).toBe('😀');
  });

  it('encodes one byte per character', () => {
    expect([...encodeWindows1252('Mä€“')]).toEqual([0x4d, 0xe4, 0x80, 0x93]);
  });
});
