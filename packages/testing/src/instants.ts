/**
 * The rule every printed or served JSON keeps: an instant is RFC 3339 text, never epoch milliseconds.
 * `instantProblems` walks a parsed JSON value and names every place that breaks it. For the tests of
 * the CLI's and the example service's JSON (imported by path, not part of this package's exports).
 */

/** RFC 3339 with a `Z` or `±hh:mm` offset, as the engine writes and reads instants. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of 2000-01-01T00:00:00Z and of the last instant the wire format accepts. */
const EPOCH_MS_FROM = Date.UTC(2000, 0, 1);
const EPOCH_MS_TO = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A key that names an instant: `at`, `from`, `until`, or one ending in At, From, For, Until, Since. */
const INSTANT_KEY = /^(at|from|until)$|[a-z](At|From|For|Until|Since)$/;

/**
 * The places in `json` (paths like `$.lines[0].startedAt`) where a number looks like an epoch-ms
 * instant (an integer from year 2000 to 9999 in ms), or a key naming an instant holds anything but
 * RFC 3339 text, `null`, or a parenthesised note such as `(not scheduled)`.
 */
export const instantProblems = (json: unknown, path = '$'): string[] => {
  if (typeof json === 'number')
    return Number.isInteger(json) && json >= EPOCH_MS_FROM && json <= EPOCH_MS_TO
      ? [`${path}: ${json} looks like epoch milliseconds`]
      : [];
  if (Array.isArray(json)) return json.flatMap((v, i) => instantProblems(v, `${path}[${i}]`));
  if (typeof json !== 'object' || json === null) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    const at = `${path}.${k}`;
    if (
      INSTANT_KEY.test(k) &&
      v !== null &&
      !(typeof v === 'string' && (RFC3339.test(v) || /^\(.*\)$/.test(v)))
    )
      out.push(`${at}: ${JSON.stringify(v)} is not RFC 3339`);
    else out.push(...instantProblems(v, at));
  }
  return out;
};
