/**
 * An independent reading of spec §2's instants, for tests only: a regular expression and Date.UTC,
 * as the decoder once did it. The decoder's own scanner (src/primitives.ts) must give the same
 * instant, or the same reason, for every text.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const MIN = Date.UTC(1970, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch milliseconds of an RFC 3339 timestamp with offset, or the reason it is not one. */
export const referenceInstant = (s: string): number | string => {
  const m = RFC3339.exec(s);
  if (m === null) {
    if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s))
      return 'timestamp has no offset (add Z or ±hh:mm)';
    return 'expected an RFC 3339 timestamp with offset, like 2026-10-05T09:00:00+02:00';
  }
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  if (y < 1970 || y > 9999) return `year ${m[1]} is outside 1970..9999`;
  if (mo < 1 || mo > 12) return `month ${m[2]} is not 01..12`;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  if (h > 23) return `hour ${m[4]} is not 00..23`;
  if (mi > 59) return `minute ${m[5]} is not 00..59`;
  if (se > 59) return `second ${m[6]} is not 00..59 (leap seconds are not supported)`;
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return `offset ${m[9]}${m[10]}:${m[11]} is out of range`;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, se, frac) - offsetMin * 60_000;
  if (ms < MIN || ms > MAX) return 'instant is outside 1970..9999 UTC';
  return ms;
};
