/**
 * A small HTTP front for the billing service on plain `node:http` (no framework, so the example shows
 * the library, not a router):
 *
 * - `POST /commands` — a command as JSON (see `commands.ts`); 201 with the recorded events, or 200
 *   with `replayed: true` (and the header `Idempotent-Replayed: true`) when the same command, same
 *   event id and content, was applied before: a client retry records nothing twice;
 * - `GET /contracts/:id/invoices/:period` — the invoice (spec §7 JSON shape, without invalidEvents);
 * - `GET /work/:id/explain` — how a work entry was classified and priced, rule by rule.
 *
 * Errors are JSON `{ _tag, message, … }`: malformed JSON or commands 400 (with the field `path`),
 * unknown ids 404, refusals 409 (the command clashes with what was recorded) or 422 (the rules of
 * the service description forbid it), each with the refusal's `_tag` and `message`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefusalTag } from '@msp-billing/contracts';
import { InMemoryEventStore, type EventStore } from '@msp-billing/store';
import type { LedgerQueryError } from '@msp-billing/billing';
import { createBillingService, type BillingService, type CommandRefusal } from './billingService.js';
import { parseCommand } from './commands.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Host to bind; default 127.0.0.1 (an example should not listen on every interface). */
  readonly host?: string;
  /** The event store; default: PostgreSQL when `DATABASE_URL` is set, else in memory. */
  readonly store?: EventStore;
  /**
   * On a PostgreSQL store: start from its latest snapshot, write one every this many applied events
   * and on close (default SNAPSHOT_EVERY of billingService.ts); 0 turns snapshots off.
   */
  readonly snapshotEvery?: number;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stop listening, and close the store when the server opened it. */
  readonly close: () => Promise<void>;
}

/** Bodies larger than this are refused: commands are small, and memory is not the client's to spend. */
const MAX_BODY_BYTES = 1_048_576;

type Status = 404 | 409 | 422;

/**
 * HTTP status of every refusal. A Record over RefusalTag, so a refusal added to the contracts
 * package fails to compile here until someone decides its status.
 */
const REFUSAL_STATUS: Record<RefusalTag | CommandRefusal['_tag'], Status> = {
  // Unknown ids.
  UnknownContract: 404,
  UnknownRateCard: 404,
  UnknownTicket: 404,
  UnknownAlert: 404,
  UnknownWorkEntry: 404,
  // The command clashes with what was already recorded.
  MspAlreadyBookedForVm: 409,
  ContractAlreadyBooked: 409,
  MspAlreadyCancelled: 409,
  RateCardAlreadyPublished: 409,
  TicketIdAlreadyUsed: 409,
  AlertIdAlreadyUsed: 409,
  WorkIdAlreadyUsed: 409,
  WorkEntryVoided: 409,
  InvoicePeriodNotAfterLast: 409,
  InvoiceNumberAlreadyUsed: 409,
  InvoiceNumberTaken: 409,
  HaRestartLimitReached: 409,
  EventIdConflict: 409,
  CommandIdConflict: 409,
  ConflictRetriesExhausted: 409,
  // The service description forbids the command as stated.
  MspMandatoryForSla: 422,
  UpdateWithoutVendorSupport: 422,
  UpdateOutsideMaintenanceWindow: 422,
  AlertingNotActive: 422,
  SafetyMeasureNotJustified: 422,
  WorkOnOtherVm: 422,
  VmNotOfContract: 422,
  NotAuthorizedToOrder: 422,
  NotAnUpdateTicket: 422,
  EmptyCorrection: 422,
  InvoicePeriodNotOver: 422,
  InvalidProfile: 422,
  ReverseChargeWithoutVatId: 422,
};

const QUERY_STATUS: Record<LedgerQueryError['_tag'], 400 | 404> = {
  UnknownContract: 404,
  UnknownWorkEntry: 404,
  BadPeriod: 400,
};

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
};

const sendError = (res: ServerResponse, status: number, tag: string, message: string, extra = {}): void =>
  send(res, status, { _tag: tag, message, ...extra });

class BodyTooLarge extends Error {}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const postCommand = async (service: BillingService, req: IncomingMessage, res: ServerResponse) => {
  let text: string;
  try {
    text = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge)
      return sendError(res, 413, 'BodyTooLarge', `a command is at most ${MAX_BODY_BYTES} bytes`);
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return sendError(res, 400, 'BadJson', `the body is not JSON: ${why}`, { path: '' });
  }
  const parsed = parseCommand(body);
  if (parsed._tag === 'BadCommand') return send(res, 400, parsed.error);
  const outcome = await service.execute(parsed.command);
  if (outcome._tag === 'Refused') return send(res, REFUSAL_STATUS[outcome.refusal._tag], outcome.refusal);
  if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
  return send(res, outcome.replayed ? 200 : 201, { events: outcome.events, replayed: outcome.replayed });
};

const route = async (service: BillingService, req: IncomingMessage, res: ServerResponse) => {
  // Only the path matters; the base is a placeholder for the URL parser.
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const allow = (m: string) => {
    if (method === m) return true;
    res.setHeader('allow', m);
    sendError(res, 405, 'MethodNotAllowed', `${url.pathname} accepts ${m} only`);
    return false;
  };
  if (parts.length === 1 && parts[0] === 'commands') {
    if (allow('POST')) await postCommand(service, req, res);
    return;
  }
  if (parts.length === 4 && parts[0] === 'contracts' && parts[2] === 'invoices') {
    if (!allow('GET')) return;
    const r = await service.invoice(parts[1] as string, parts[3] as string);
    if (r._tag === 'QueryError') return send(res, QUERY_STATUS[r.error._tag], r.error);
    return send(res, 200, r.value);
  }
  if (parts.length === 3 && parts[0] === 'work' && parts[2] === 'explain') {
    if (!allow('GET')) return;
    const r = await service.explain(parts[1] as string);
    if (r._tag === 'QueryError') return send(res, QUERY_STATUS[r.error._tag], r.error);
    return send(res, 200, r.value);
  }
  sendError(res, 404, 'NotFound', `no route ${method} ${url.pathname}`);
};

/**
 * The default store: PostgreSQL when `DATABASE_URL` is set, else in memory. The adapter is imported
 * lazily so the in-memory path never loads `pg`.
 */
export const storeFromEnv = async (env: NodeJS.ProcessEnv = process.env): Promise<EventStore> => {
  const url = env['DATABASE_URL'];
  if (url === undefined || url === '') return new InMemoryEventStore();
  const { PostgresEventStore } = await import('@msp-billing/store-postgres');
  return PostgresEventStore.create({ connectionString: url });
};

/** Start the HTTP service; resolves once it listens. */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await storeFromEnv());
  // Only a PostgreSQL store keeps snapshots; the in-memory path still never loads `pg`.
  const pg = store instanceof InMemoryEventStore ? undefined : await import('@msp-billing/store-postgres');
  const snapshots =
    pg !== undefined && store instanceof pg.PostgresEventStore && options.snapshotEvery !== 0
      ? {
          store,
          ...(options.snapshotEvery === undefined ? {} : { every: options.snapshotEvery }),
          onNotice: (line: string) => console.error(line),
        }
      : undefined;
  const service = createBillingService(store, snapshots === undefined ? {} : { snapshots });
  // Read what the store holds before taking requests: from the latest snapshot, then what follows.
  await service.start();
  const server = createServer((req, res) => {
    route(service, req, res).catch((err: unknown) => {
      // A bug or a store outage: say so without leaking a stack trace to the client.
      console.error(err);
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'the service failed; see its log');
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      // A clean shutdown leaves a snapshot of where the service stands, so the next start reads little.
      await service.close();
      if (ownsStore) await store.close();
    },
  };
};
