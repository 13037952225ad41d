/**
 * Decimal money for billing (spec §5). A private decimal.js configuration: the host's global
 * `Decimal` settings are never read or changed. Amounts round half-up (away from zero on ties, so a
 * reversal is the exact negation of the line it reverses) to cents, per entry.
 */
import { Decimal } from 'decimal.js';

/** Our own Decimal constructor: 40 significant digits, half-up rounding. */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
/** A decimal value of our private configuration. */
export type Dec = InstanceType<typeof Dec>;

/** Zero, for sums. */
export const ZERO: Dec = new Dec(0);

/** Round to cents, half-up (ties away from zero). */
export const toCents = (d: Dec): Dec => d.toDecimalPlaces(2, Dec.ROUND_HALF_UP);

/** Money as output: exactly two decimals, `"-95.00"`; never `"-0.00"`. */
export const formatMoney = (d: Dec): string => (d.isZero() ? '0.00' : d.toFixed(2, Dec.ROUND_HALF_UP));

// A log has a handful of distinct rates and increments but prices every entry, often many times
// (each re-classification): parsing the same rate string and redoing the same division dominated
// pricing. Decimals are immutable, so sharing them is safe; the maps are bounded against hostile logs.
// A pure memo: each value is a function of its key alone, so a hit returns exactly what a miss would
// compute, and no result depends on what was priced before (or on the maps being cleared).
const MEMO_LIMIT = 10_000;
const rates = new Map<string, Dec>();
const amounts = new Map<string, Dec>();
const formattedRates = new Map<string, string>();

const memo = <V>(map: Map<string, V>, key: string, make: () => V): V => {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    if (map.size >= MEMO_LIMIT) map.clear();
    map.set(key, v);
  }
  return v;
};

/** An hourly rate as output: at least two decimals (`"97.50"`, `"97.1234"`). */
export const formatRate = (rate: string): string =>
  memo(formattedRates, rate, () => {
    const d = new Dec(rate);
    return d.toFixed(Math.max(2, d.decimalPlaces()));
  });

/** Minutes rounded up to the rate card's billing increment (spec §5). */
export const billedMinutesOf = (minutes: number, incrementMinutes: number): number =>
  Math.ceil(minutes / incrementMinutes) * incrementMinutes;

/** hourlyRate × billedMinutes / 60, rounded half-up to cents (spec §5). */
export const amountOf = (hourlyRate: string, billedMinutes: number): Dec =>
  memo(amounts, `${hourlyRate}|${billedMinutes}`, () =>
    toCents(
      memo(rates, hourlyRate, () => new Dec(hourlyRate))
        .times(billedMinutes)
        .dividedBy(60),
    ),
  );

/** VAT of a net amount: net × percent / 100, rounded half-up to cents (ties away from zero). */
export const vatOf = (net: Dec, vatRatePercent: string): Dec =>
  toCents(net.times(vatRatePercent).dividedBy(100));
