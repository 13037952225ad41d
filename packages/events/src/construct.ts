/**
 * Constructors of the branded values a program writes itself (`ids.contract('c-1')`,
 * `money('97.50')`, `instant('2026-10-05T09:00:00+02:00')`). Each checks its argument with the very
 * codec the wire format uses, so a value built here is one the decoder would have accepted, and
 * throws a `RangeError` with one line (`ContractId: expected a non-empty id (got "")`) otherwise.
 * Input from outside (a request, a file) goes through the decoders instead, which return `Either`.
 */
import type * as t from 'io-ts';
import { fieldRefusal } from './decode.js';
import {
  AlertId,
  ContractId,
  CustomerId,
  EventId,
  InstantC,
  InvoiceNumber,
  Money,
  RateCardId,
  ShareId,
  TechnicianId,
  TicketId,
  VmId,
  WorkId,
  type Instant,
} from './primitives.js';

/** `codec`'s value of `u`, or a RangeError whose message is the decoder's reason, led by `name`. */
const checked =
  <I, A>(name: string, codec: t.Type<A, unknown, unknown>) =>
  (u: I): A => {
    const r = codec.decode(u);
    if (r._tag === 'Right') return r.right;
    throw new RangeError(fieldRefusal(name, codec, u) ?? `${name}: invalid`);
  };

/** An id constructor: a string in, the branded id out. */
const id = <A>(name: string, codec: t.Type<A, unknown, unknown>): ((id: string) => A) =>
  checked<string, A>(name, codec);

/**
 * The id constructors: each takes a string and returns it as the branded id the events and commands
 * carry, after the wire format's check (non-empty, at most 200 characters). Throws a `RangeError`
 * with a one-line reason otherwise.
 *
 * @example
 * ```ts
 * const contractId = ids.contract('c-1'); // ContractId
 * ```
 */
export const ids = {
  /** An event id (`EventId`). */
  event: id('EventId', EventId),
  /** A contract id (`ContractId`). */
  contract: id('ContractId', ContractId),
  /** A customer id (`CustomerId`). */
  customer: id('CustomerId', CustomerId),
  /** A VM id (`VmId`). */
  vm: id('VmId', VmId),
  /** A rate card id (`RateCardId`). */
  rateCard: id('RateCardId', RateCardId),
  /** A ticket id (`TicketId`). */
  ticket: id('TicketId', TicketId),
  /** A work entry id (`WorkId`). */
  work: id('WorkId', WorkId),
  /** An alert id (`AlertId`). */
  alert: id('AlertId', AlertId),
  /** A backup NAS share id (`ShareId`). */
  share: id('ShareId', ShareId),
  /** An invoice number (`InvoiceNumber`). */
  invoiceNumber: id('InvoiceNumber', InvoiceNumber),
  /** A technician id (`TechnicianId`). */
  technician: id('TechnicianId', TechnicianId),
} as const;

/**
 * A money amount from its decimal text (`money('97.50')`): ≥ 0 with at most 4 fraction digits, as
 * on the wire. Throws a `RangeError` with a one-line reason otherwise. Amounts are decimal strings,
 * never floating-point numbers.
 */
export const money: (text: string) => Money = checked<string, Money>('Money', Money);

/**
 * An instant from an RFC 3339 timestamp with offset (`'2026-10-05T09:00:00+02:00'`) or a `Date`,
 * as epoch milliseconds. Throws a `RangeError` with a one-line reason otherwise.
 */
export const instant: (at: string | Date) => Instant = checked<string | Date, Instant>('Instant', InstantC);
