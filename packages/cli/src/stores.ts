/**
 * `--store URL`: which event store a URL names, opening it, and saying in ONE line why it cannot be
 * used. `postgres://`/`postgresql://` open the PostgreSQL store, `esdb://`/`esdb+discover://` the
 * EventStoreDB store; `memory:` is refused (a store in this process's memory is gone when it exits,
 * so no other command could read it). Passwords never reach a message: every URL shown is masked and
 * the password is also blanked out of the drivers' error texts.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { EventStore } from '@msp-billing/store';
// The drivers (pg, the EventStoreDB gRPC client) are loaded only when a --store is opened: importing
// them costs about half a second of CPU at start-up, which every --events command would pay.
import type { PostgresEventStore } from '@msp-billing/store-postgres';
import type { EsdbEventStore } from '@msp-billing/store-esdb';
import { userError, type UserError } from './errors.js';

/** How long connecting may take before the store counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** An opened store and the masked `--store …` words that name it in messages. */
export interface OpenedStore {
  readonly store: EventStore;
  /** `--store <url with the password masked>`. */
  readonly what: string;
  /** Blank out the URL's password from any text (a driver's error message). */
  readonly scrub: (text: string) => string;
}

/** `url` with the password of its user info and of a `password=` query parameter replaced by `***`. */
export const maskUrl = (url: string): string => {
  let out = url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (m !== null) {
    const [, scheme = '', authority = '', rest = ''] = m;
    // The host follows the LAST `@`: an unencoded `@` in a password must not leak its tail.
    const at = authority.lastIndexOf('@');
    const colon = at === -1 ? -1 : authority.slice(0, at).indexOf(':');
    out = colon === -1 ? url : `${scheme}${authority.slice(0, colon)}:***${authority.slice(at)}${rest}`;
  }
  return out.replace(/([?&]password=)[^&#]*/gi, '$1***');
};

/** The secrets of `url` as they may appear in text: raw and percent-decoded. */
const secretsOf = (url: string): string[] => {
  const found: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/is.exec(url);
  const authority = m?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  const colon = at === -1 ? -1 : authority.slice(0, at).indexOf(':');
  if (colon !== -1) found.push(authority.slice(colon + 1, at));
  for (const q of url.matchAll(/[?&]password=([^&#]*)/gi)) found.push(q[1] ?? '');
  const all = found.flatMap((s) => {
    try {
      return [s, decodeURIComponent(s)];
    } catch {
      return [s];
    }
  });
  return [...new Set(all.filter((s) => s.length > 0))];
};

const scrubber =
  (url: string) =>
  (text: string): string =>
    secretsOf(url).reduce((t, s) => t.split(s).join('***'), text);

/** A driver error as one short reason (pg's AggregateError of several addresses has no message). */
export const reasonOf = (err: unknown): string => {
  if (err instanceof AggregateError && err.errors.length > 0 && err.message === '')
    return reasonOf(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const text = err.message === '' && typeof code === 'string' ? code : err.message;
    return (text.split('\n')[0] ?? '').trim() || err.name;
  }
  return String(err);
};

type Kind = 'postgres' | 'esdb';

/** Which store `url` names, or why it names none. */
export const storeKind = (url: string): E.Either<UserError, Kind> => {
  const what = `--store ${maskUrl(url)}`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'memory')
    return E.left(
      userError(
        'BadOptionValue',
        what,
        'an in-memory store lives only inside one process, so no other command could read it; use postgres://… or esdb://…',
      ),
    );
  // PostgreSQL URLs may name a unix socket with an empty host (`postgresql://user@/db?host=/run/pg`),
  // which the WHATWG URL parser refuses but libpq and pg accept: check only their shape here.
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return /^postgres(?:ql)?:\/\/(?:[^@/?#\s]*@)?(?:\[[0-9a-f:.]+\](?::\d+)?|[^@/?#[\]\s]*)(?:\/[^?#\s]*)?(?:\?[^#\s]*)?$/i.test(
      url,
    )
      ? E.right('postgres')
      : E.left(userError('BadOptionValue', what, 'is not a valid URL'));
  }
  if (scheme !== undefined && !URL.canParse(url))
    return E.left(userError('BadOptionValue', what, 'is not a valid URL'));
  if (scheme === 'esdb' || scheme === 'esdb+discover') return E.right('esdb');
  return E.left(
    userError(
      'BadOptionValue',
      what,
      'unsupported store URL; expected postgres://…, postgresql://…, esdb://… or esdb+discover://…',
    ),
  );
};

const withTimeout = <A>(p: Promise<A>, ms: number): Promise<A> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    p.then(
      (a) => {
        clearTimeout(timer);
        resolve(a);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

/**
 * Open the store `url` names and make sure it answers. `migrate`: create the PostgreSQL schema when
 * missing (import writes; readers must not create tables as a side effect).
 */
export const openStore = async (
  url: string,
  options: { readonly migrate: boolean },
): Promise<E.Either<UserError, OpenedStore>> => {
  const kind = storeKind(url);
  if (E.isLeft(kind)) return kind;
  const what = `--store ${maskUrl(url)}`;
  const scrub = scrubber(url);
  const cannot = (err: unknown): UserError =>
    userError('StoreUnavailable', what, `cannot connect: ${scrub(reasonOf(err))}`);
  if (kind.right === 'postgres') {
    let store: PostgresEventStore | undefined;
    let migrate: typeof import('@msp-billing/store-postgres').migrate;
    try {
      const pg = await import('@msp-billing/store-postgres');
      migrate = pg.migrate;
      store = await pg.PostgresEventStore.create({
        connectionString: url,
        migrate: false,
        maxConnections: 2,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
      await store.pool.query('SELECT 1');
    } catch (err) {
      await store?.close().catch(() => undefined);
      return E.left(cannot(err));
    }
    if (options.migrate) {
      try {
        await migrate(store.pool);
      } catch (err) {
        await store.close().catch(() => undefined);
        return E.left(
          userError('StoreUnavailable', what, `cannot prepare the schema: ${scrub(reasonOf(err))}`),
        );
      }
    }
    return E.right({ store, what, scrub });
  }
  let store: EsdbEventStore | undefined;
  try {
    const { EsdbEventStore: Esdb } = await import('@msp-billing/store-esdb');
    store = Esdb.connect(url);
    // The client connects lazily: one small read proves the server answers.
    await withTimeout(store.readAll({ batchSize: 1 }), CONNECT_TIMEOUT_MS);
  } catch (err) {
    await store?.close().catch(() => undefined);
    return E.left(cannot(err));
  }
  return E.right({ store, what, scrub });
};
