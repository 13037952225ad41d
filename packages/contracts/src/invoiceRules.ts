/**
 * The integrity rules of an `InvoiceIssued` (spec §2, invalid events; §5): invoices of a contract
 * are issued in increasing period order, only once their period is over in the contract's time zone,
 * and under an invoice number no other invoice of the log used (§ 14 UStG: a number used once).
 * Written once here; the contract decider refuses `IssueInvoice` with it, and the Ledger (so `check`)
 * reports an `InvoiceIssued` that breaks it as invalid.
 */
import { TZDate } from '@date-fns/tz';
import { formatInstant, type EventData, type Instant } from '@msp-billing/events';
import type { RefusalData } from './refusal.js';

/** The refusals of issuing an invoice. */
export type InvoiceIssueRefusal = Extract<
  RefusalData,
  { readonly _tag: 'InvoicePeriodNotAfterLast' | 'InvoicePeriodNotOver' | 'InvoiceNumberAlreadyUsed' }
>;

/** The issued invoice that holds an invoice number. */
export interface InvoiceNumberUse {
  readonly contractId: string;
  readonly period: string;
}

/** What the rules read of the contract an invoice is issued for. */
export interface InvoicingContract {
  readonly contractId: string;
  readonly timeZone: string;
  readonly lastIssuedPeriod?: string | undefined;
}

/**
 * Period ends already computed, by zone and period: a TZDate costs ~45 µs, and logs issue thousands.
 * A pure memo: each value is a function of its key alone, whatever was asked before.
 */
const ends = new Map<string, number>();

/** The first instant of the month after `period` (`YYYY-MM`) in `timeZone`: when the period is over. */
export const periodEndsAt = (period: string, timeZone: string): number => {
  const key = `${timeZone} ${period}`;
  let end = ends.get(key);
  if (end === undefined) {
    const year = Number(period.slice(0, 4));
    const month = Number(period.slice(5, 7)); // 1-based, so it is the 0-based index of the next month
    end =
      month === 12
        ? new TZDate(year + 1, 0, 1, 0, 0, 0, 0, timeZone).getTime()
        : new TZDate(year, month, 1, 0, 0, 0, 0, timeZone).getTime();
    ends.set(key, end);
  }
  return end;
};

/**
 * Why issuing invoice `data` at `occurredAt` breaks integrity, or undefined when it may be issued.
 * `numberUse` is the earlier issued invoice that holds `data.invoiceNumber`, if any (from the
 * Registry in a decider, from the Ledger's own index in a projection).
 */
export const invoiceIssueRefusal = (
  c: InvoicingContract,
  data: EventData<'InvoiceIssued'>,
  occurredAt: number,
  numberUse: InvoiceNumberUse | undefined,
): InvoiceIssueRefusal | undefined => {
  const { period, invoiceNumber } = data;
  if (c.lastIssuedPeriod !== undefined && period <= c.lastIssuedPeriod)
    return {
      _tag: 'InvoicePeriodNotAfterLast',
      contractId: c.contractId,
      period,
      lastIssuedPeriod: c.lastIssuedPeriod,
    };
  const endsAt = periodEndsAt(period, c.timeZone);
  if (occurredAt < endsAt)
    return {
      _tag: 'InvoicePeriodNotOver',
      contractId: c.contractId,
      period,
      at: formatInstant(occurredAt as Instant),
      periodEndsAt: formatInstant(endsAt as Instant),
      timeZone: c.timeZone,
    };
  if (numberUse !== undefined)
    return {
      _tag: 'InvoiceNumberAlreadyUsed',
      contractId: c.contractId,
      period,
      invoiceNumber,
      usedByContractId: numberUse.contractId,
      usedForPeriod: numberUse.period,
    };
  return undefined;
};
