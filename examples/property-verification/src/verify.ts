/**
 * Check YOUR rate card and SLA catalog against the billing laws of `@msp-billing/testing`: generate
 * hundreds of valid logs that use only your hourly rates, your billing increments and your SLA
 * catalog, and run every law on each. The result is a report (one entry per law, with the shrunk
 * counterexample when one breaks) rather than a thrown error, so it can gate a rate-card change in
 * a script as well as in a test.
 *
 * The catalog must reach both sides: the generator keeps only events a Ledger with YOUR catalog
 * accepts (`LogOptions.ledger`), and the laws fold with the same catalog (their `LedgerOptions`).
 */
import * as fc from 'fast-check';
import type { LedgerOptions } from '@msp-billing/billing';
import { Money } from '@msp-billing/events';
import type { SlaCatalog } from '@msp-billing/sla';
import {
  arbitraryContractLogs,
  arbitraryLog,
  interleave,
  lawDuplicatesChangeNothing,
  lawInterleavingDoesNotMatter,
  lawIssuedInvoicesAreFrozen,
  lawNothingLostNothingBilledTwice,
  lawPricesAreExact,
  type LawViolation,
  type LogOptions,
} from '@msp-billing/testing';

/** What to verify: your rates, increments, catalog, and how hard to try. */
export interface MyRateCard {
  /** Hourly rates as decimal strings, e.g. `['89.90', '119.00', '149.50']`. */
  readonly rates: readonly string[];
  /** Billing increments in minutes, e.g. `[6, 10]` (tenths and sixths of an hour). */
  readonly increments: readonly number[];
  readonly slaCatalog: SlaCatalog;
  /** Time zones of your contracts; default Europe/Berlin only. */
  readonly timeZones?: readonly string[];
  /** Generated logs per law; default 200. */
  readonly numRuns?: number;
  /** Seed, to replay a failing run; default random (fast-check picks and reports it). */
  readonly seed?: number;
}

/** The outcome of one law. */
export interface LawResult {
  readonly law: string;
  readonly description: string;
  readonly holds: boolean;
  readonly numRuns: number;
  /** Why it broke, on the shrunk counterexample. */
  readonly failure?: string;
  /** Seed and path fast-check reports, to replay exactly this failure. */
  readonly replay?: { readonly seed: number; readonly path: string };
}

/** The outcome of every law. */
export interface VerificationReport {
  readonly holds: boolean;
  readonly laws: readonly LawResult[];
}

/** How a check is run: fast-check's parameters, narrowed to what the report controls. */
type RunParameters = { readonly numRuns: number; readonly seed?: number };

/** What the report needs of fast-check's run details (which are invariant in the generated tuple). */
interface RunOutcome {
  readonly failed: boolean;
  readonly numRuns: number;
  readonly seed: number;
  readonly counterexamplePath: string | null;
  readonly errorInstance: unknown;
}

/** A law as a fast-check property over your logs, ready to run. */
export interface LawCheck {
  readonly law: string;
  readonly description: string;
  readonly run: (parameters: RunParameters) => RunOutcome;
}

const check = <Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  parameters: RunParameters,
): RunOutcome => {
  const d = fc.check(property, parameters);
  return {
    failed: d.failed,
    numRuns: d.numRuns,
    seed: d.seed,
    counterexamplePath: d.counterexamplePath,
    errorInstance: d.errorInstance,
  };
};

/** Throw the violation so fast-check shrinks to it and reports its detail. */
const holds = (v: LawViolation | undefined): void => {
  if (v !== undefined) throw new Error(`law (${v.law}): ${v.detail}`);
};

/** The laws, each as a property over logs generated from `log` and folded with `ledger`. */
export const lawChecks = (log: LogOptions, ledger: LedgerOptions): readonly LawCheck[] => [
  {
    law: 'a',
    description: 'issued nets plus the next draft equal the current billable amounts',
    run: (p) =>
      check(
        fc.property(arbitraryLog(log), (events) => holds(lawNothingLostNothingBilledTwice(events, ledger))),
        p,
      ),
  },
  {
    law: 'b',
    description: 'an issued invoice never changes when more events are appended',
    run: (p) =>
      check(
        fc.property(
          arbitraryLog(log).chain((events) => fc.tuple(fc.constant(events), fc.nat({ max: events.length }))),
          ([events, cut]) => holds(lawIssuedInvoicesAreFrozen(events, cut, ledger)),
        ),
        p,
      ),
  },
  {
    law: 'c',
    description: 'replaying a log with duplicated events gives the same ledger',
    run: (p) =>
      check(
        fc.property(
          arbitraryLog(log),
          fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 })), { minLength: 1, maxLength: 15 }),
          (events, copies) => holds(lawDuplicatesChangeNothing(events, copies, ledger)),
        ),
        p,
      ),
  },
  {
    law: 'd',
    description: 'the ledger does not depend on how contracts are interleaved',
    run: (p) =>
      check(
        fc.property(
          arbitraryContractLogs({ ...log, minContracts: 2 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
          (seqs, a, b) =>
            holds(lawInterleavingDoesNotMatter(interleave(seqs, a), interleave(seqs, b), ledger)),
        ),
        p,
      ),
  },
  {
    law: 'e, f',
    description: 'only billable entries are priced, and every price is exact',
    run: (p) =>
      check(
        fc.property(arbitraryLog(log), (events) => holds(lawPricesAreExact(events, ledger))),
        p,
      ),
  },
];

/**
 * Refuse a rate card no event could carry: the generator would fail on its first event with a
 * message about generated data, not about your input.
 */
const checkRateCard = (options: MyRateCard): void => {
  if (options.rates.length === 0) throw new RangeError('no hourly rates to check');
  for (const r of options.rates) {
    if (Money.decode(r)._tag === 'Left')
      throw new RangeError(
        `hourly rate ${JSON.stringify(r)} is not Money (a decimal ≥ 0, at most 4 fraction digits)`,
      );
  }
  if (options.increments.length === 0) throw new RangeError('no billing increments to check');
  for (const i of options.increments) {
    if (!Number.isInteger(i) || i < 1 || i > 60)
      throw new RangeError(`billing increment ${i} is not a whole number of minutes in 1..60`);
  }
};

/**
 * Run every billing law on logs built from your rate card and catalog. A broken law is reported,
 * not thrown; a rate card that no event could carry throws a RangeError.
 */
export const verifyMyRateCard = (options: MyRateCard): VerificationReport => {
  checkRateCard(options);
  const numRuns = options.numRuns ?? 200;
  const ledger: LedgerOptions = { slaCatalog: options.slaCatalog };
  const log: LogOptions = {
    rates: options.rates,
    increments: options.increments,
    timeZones: options.timeZones ?? ['Europe/Berlin'],
    ledger,
  };
  const laws = lawChecks(log, ledger).map(({ law, description, run }): LawResult => {
    const details = run({
      numRuns,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    if (!details.failed) return { law, description, holds: true, numRuns: details.numRuns };
    const error = details.errorInstance;
    return {
      law,
      description,
      holds: false,
      numRuns: details.numRuns,
      failure: error instanceof Error ? error.message : String(error),
      replay: { seed: details.seed, path: details.counterexamplePath ?? '' },
    };
  });
  return { holds: laws.every((l) => l.holds), laws };
};
