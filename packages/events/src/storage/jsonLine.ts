/**
 * Parsing one NDJSON line: exactly what `JSON.parse(text)` gives or throws, with the short ids at the
 * start of an event made outside JSON.parse.
 *
 * Why: V8's JSON.parse internalizes every string value of at most 10 characters (V8 11.3,
 * kMaxInternalizedStringValueLength). Such a string goes to the old generation and the string table,
 * and only a full GC frees it. An event's own id and the ids that lead its `data` (`workId`,
 * `ticketId`, `alertId`) are new on most lines and used once: the Ledger copies the ids it keeps into
 * typed arrays. Made by JSON.parse, a million of them are old-generation garbage that raises the peak
 * until the next full GC; made by a regular expression's captures, they die young.
 *
 * How: {@link EVENT_HEAD} matches the start of a line our tools write — the id, the envelope's string
 * members, then up to two leading `data` members named in {@link DATA_IDS}. Each of those values of
 * at most 10 characters is replaced in the text by the token `null`, the text is parsed, and the slot
 * gets the captured string back. Nothing else changes: same keys, in the same order, same values;
 * a line whose text does not parse is parsed again as it is, so that the error is JSON.parse's own.
 *
 * Why that is exact:
 * - The head has no backslash, so its quotes are exactly the strings' ends: the replaced tokens are
 *   string values, in the top-level object (the envelope members before `data` are strings, so
 *   nothing nests) or in the object that is the value of its `data` member.
 * - `null` is valid in no place where a string is not, and a string value swapped for another value
 *   leaves the structure as it was: the text parses exactly when the line does, to the same tree.
 * - Replacements are made only when the rest of the line has no `null`. So after parsing, a slot
 *   that holds null holds a replacement; one that does not was overwritten by a later duplicate key
 *   (a later `"id"`, a later `"data"` object, a repeated id inside `data`), which wins in JSON.parse
 *   too, and it is left alone.
 * - A slot is read only when it is an own property (not one a polluted prototype lends); JSON.parse
 *   makes every member an own property, `__proto__` too.
 * A property in test/jsonLine.unit.spec.ts pins this to JSON.parse, key order included.
 */

/** The longest string value that V8's JSON.parse internalizes. */
const INTERNALIZED_MAX = 10;

/**
 * The `data` members replaced when they lead it: the ids that are new on most lines (a WorkLogged's
 * work entry and ticket, a TicketOpened's ticket, an AlertRaised's alert). Ids of long-lived things
 * (contracts) are found again in the string table at no cost; replacing them would cost. EVENT_HEAD
 * spells them out.
 */
const DATA_IDS = ['workId', 'ticketId', 'alertId'] as const;

/**
 * The head of an event line: `{"id":"<1>"` then, optionally, `<2>,"data":{"<3>":"<4>"` and
 * `,"<5>":"<6>"`, where 2 is up to four `,"key":"value"` members without backslashes, 3 and 5 are
 * {@link DATA_IDS} and 1, 4 and 6 are strings without backslashes or control characters.
 */
const EVENT_HEAD =
  // eslint-disable-next-line no-control-regex -- JSON refuses control characters in a string
  /^\{"id":"([^"\\\x00-\x1f]*)"(?:((?:,"[^"\\]*":"[^"\\]*"){0,4}),"data":\{"(workId|ticketId|alertId)":"([^"\\\x00-\x1f]*)"(?:,"(workId|ticketId|alertId)":"([^"\\\x00-\x1f]*)")?)?/;

const replaced = (value: string): boolean => value.length <= INTERNALIZED_MAX;

/** The literal `"value"` of the text, or `null` when it is replaced. */
const token = (value: string): string => (replaced(value) ? 'null' : `"${value}"`);

type DataIds = { [K in (typeof DATA_IDS)[number]]?: unknown };

/**
 * Give `data[key]` its string back when it still holds the replacement. Properties are named, not
 * keyed by the captured key (a copy, which a keyed access would first look up in the string table);
 * an own member only, since a polluted prototype may lend a null.
 */
const restoreData = (data: unknown, key: string, value: string): void => {
  if (!replaced(value) || typeof data !== 'object' || data === null) return;
  const d = data as DataIds;
  if (key === 'workId') {
    if (d.workId === null && Object.hasOwn(d, 'workId')) d.workId = value;
  } else if (key === 'ticketId') {
    if (d.ticketId === null && Object.hasOwn(d, 'ticketId')) d.ticketId = value;
  } else if (d.alertId === null && Object.hasOwn(d, 'alertId')) d.alertId = value;
};

/**
 * What `JSON.parse(text)` gives or throws (the NDJSON readers' parser), with the short ids at the start
 * of an event made outside JSON.parse (see the module comment for why, and why it is exact).
 */
export const parseJsonLine = (text: string): unknown => {
  const m = text.startsWith('{"id":"') ? EVENT_HEAD.exec(text) : null;
  if (m === null) return JSON.parse(text);
  const head = m[0];
  const id = m[1] as string;
  const envelope = m[2];
  const first = m[4];
  const second = m[6];
  const idShort = replaced(id);
  if (!(idShort || (first !== undefined && replaced(first)) || (second !== undefined && replaced(second))))
    return JSON.parse(text);
  if (text.includes('null', head.length)) return JSON.parse(text);
  // The head again, with the short values as null: the captures are all it is made of.
  let changed = `{"id":${token(id)}`;
  if (first !== undefined) {
    changed += `${envelope as string},"data":{"${m[3] as string}":${token(first)}`;
    if (second !== undefined) changed += `,"${m[5] as string}":${token(second)}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(changed + text.slice(head.length));
  } catch {
    return JSON.parse(text);
  }
  const o = parsed as { id: unknown; data?: unknown };
  // Last first: a key repeated in the head ends with its last value, as in JSON.parse.
  if (second !== undefined) restoreData(o.data, m[5] as string, second);
  if (first !== undefined) restoreData(o.data, m[3] as string, first);
  if (idShort && o.id === null) o.id = id; // the line's first member: always own
  return parsed;
};
