/**
 * Classification of one work entry (spec §4): rules 1–14 decide the status from the service and the
 * contract's facts at business time; rules 15–17 then check whether billable work may be billed.
 * The first rule that decides wins. Every rule evaluated is recorded in the trace with the facts it
 * looked at: that trace is what `explain` prints when a customer disputes a line.
 *
 * Each rule is one static object: `decide` is its logic, the only copy; `facts` says what it read and
 * runs only when a trace is asked for. Folding a log classifies every entry untraced, so `decide`
 * builds nothing for a rule that lets the entry through (its note is fixed text, or a function of the
 * input called only when tracing) and returns shared decisions where the reason is fixed text.
 */
import { isInMaintenanceWindow } from '@msp-billing/sla';
import {
  judgeSafetyMeasure,
  type AlertFacts,
  type SafetyMeasureFacts,
  type SafetyMeasureVerdict,
} from '@msp-billing/contracts/internal';
import { type ServiceKind } from '@msp-billing/events';
import { emailKey, type Justification } from '@msp-billing/events/internal';
import type { ClassificationInput, RateInForce } from './facts.js';

/** The four outcomes of classification. */
export type Status = 'included' | 'billable' | 'held' | 'flagged';

/** Clause numbers of the service description that decisions cite. */
export type Clause = '1' | '2.1' | '2.2' | '3' | '3.1' | '4.1' | '4.2' | '5.1' | '5.2' | '5.3';

/** One rule evaluated for an entry: whether it decided, and the facts it read. */
export interface RuleCheck {
  /** Rule number of spec §4 (1–17). */
  readonly rule: number;
  readonly clause: Clause;
  /** What the rule asks, in a few words. */
  readonly question: string;
  /** `decided` when this rule fixed the status; `passed` when it did not apply or let the entry through. */
  readonly outcome: 'decided' | 'passed';
  readonly status?: Status;
  /** The facts the rule looked at, as readable strings. */
  readonly facts: Readonly<Record<string, string>>;
  readonly note: string;
}

/** The result of classifying one entry. */
export interface Classification {
  readonly status: Status;
  readonly clause: Clause;
  /** One line saying why. */
  readonly reason: string;
  /** The service that was classified (the entry's own, else the ticket's). */
  readonly service: ServiceKind;
  /** For billable entries: the rate in force at the start of the work. */
  readonly hourlyRate?: string;
  readonly rateEffectiveFrom?: number;
  /** Every rule evaluated, in order (empty when classified with `trace: false`). */
  readonly trace: readonly RuleCheck[];
}

const iso = (t: number): string => new Date(t).toISOString();
const yes = (b: boolean): string => (b ? 'yes' : 'no');

interface Decision {
  readonly status: Status;
  readonly clause: Clause;
  readonly reason: string;
  /** Whether the reason is fixed text (made by {@link fixed}): its untraced results may be shared. */
  readonly fixed: boolean;
}

/** A decision whose reason names the input: built per entry. */
const decided = (status: Status, clause: Clause, reason: string): Decision => ({
  status,
  clause,
  reason,
  fixed: false,
});

/** A decision whose reason is fixed text: one frozen object, whose untraced results may be shared. */
const fixed = (status: Status, clause: Clause, reason: string): Decision =>
  Object.freeze({ status, clause, reason, fixed: true });

/**
 * What a rule reads: the input, the service classified (the entry's own, else the ticket's) and,
 * for rule 17, the rate in force when the work started (undefined for rules 1–16).
 */
type Read<T> = (input: ClassificationInput, service: ServiceKind, rate: RateInForce | undefined) => T;

/** Why a rule let the entry through: fixed text, or text naming the input, built only when tracing. */
type Note = string | Read<string>;

/** The facts a rule read, as readable strings. */
type Facts = Record<string, string>;

/** One rule of spec §4. */
interface Rule {
  /** Rule number of spec §4 (1–17). */
  readonly rule: number;
  readonly clause: Clause;
  /** What the rule asks; rules 5 and 7 ask more once the service is theirs. */
  readonly question: string | Read<string>;
  /** The decision, or the note saying why the entry passed. */
  readonly decide: Read<Decision | Note>;
  /** The facts read, built only when a trace is asked for (explain): they cost strings. */
  readonly facts: Read<Facts>;
}

const serviceFact: Read<Facts> = (_, service) => ({ service });

/** Fixed decisions `reason(s)` for each of `services`, by service. */
const byService = (
  services: readonly ServiceKind[],
  status: Status,
  clause: Clause,
  reason: (s: ServiceKind) => string,
): ReadonlyMap<ServiceKind, Decision> => new Map(services.map((s) => [s, fixed(status, clause, reason(s))]));

// ------------------------------------------------------------------------------------------------
// Rules 1–3: the scope of the MSP (1) and what is never offered (5.2)

const rule1: Rule = {
  rule: 1,
  clause: '1',
  question: 'Was the MSP active when the work started?',
  decide: ({ entry, contract }) => {
    if (contract.isMspActiveAt(entry.startedAt)) return 'the MSP was active';
    return decided(
      'flagged',
      '1',
      entry.startedAt < contract.bookedAt
        ? `work started ${iso(entry.startedAt)}, before the MSP was booked (${iso(contract.bookedAt)})`
        : `work started ${iso(entry.startedAt)}, after the MSP was cancelled (${iso(contract.cancelledAt ?? 0)})`,
    );
  },
  facts: ({ entry, contract }) => ({
    startedAt: iso(entry.startedAt),
    mspBookedAt: iso(contract.bookedAt),
    ...(contract.cancelledAt === undefined ? {} : { mspCancelledAt: iso(contract.cancelledAt) }),
  }),
};

const rule2: Rule = {
  rule: 2,
  clause: '1',
  question: "Is the ticket for the contract's VM?",
  decide: ({ ticket, contract }) =>
    ticket.vmId !== undefined && ticket.vmId !== contract.vmId
      ? decided('flagged', '1', `ticket is for VM ${ticket.vmId}, the MSP covers only ${contract.vmId}`)
      : 'no other VM named',
  facts: ({ ticket, contract }) => ({ ticketVm: ticket.vmId ?? '(none named)', contractVm: contract.vmId }),
};

const SOURCE_BUILD = fixed(
  'flagged',
  '5.2',
  'compiling from source is not offered; software only from standard repositories',
);

const rule3: Rule = {
  rule: 3,
  clause: '5.2',
  question: 'Is it compiling software from source?',
  decide: (_, service) => (service === 'source-build' ? SOURCE_BUILD : 'not a source build'),
  facts: serviceFact,
};

// ------------------------------------------------------------------------------------------------
// Rules 4–8: included services (2.1, 2.2, 3.1)

const INCLUDED_AT_PROVISIONING = byService(
  ['os-setup', 'network-setup', 'certificate-installation'],
  'included',
  '2.1',
  (s) => `${s} is included at provisioning`,
);
const INCLUDED_IN_OPERATION = byService(
  ['monitoring', 'alerting', 'certificate-renewal'],
  'included',
  '2.2',
  (s) => `${s} is included in operation`,
);

const rule4: Rule = {
  rule: 4,
  clause: '2.1',
  question: 'Is it OS, network or certificate setup?',
  decide: (_, service) => INCLUDED_AT_PROVISIONING.get(service) ?? 'not a provisioning service',
  facts: serviceFact,
};

/** Whether a Backup-NAS-Share was attached when the work started. */
const attached = ({ entry, contract }: ClassificationInput): boolean =>
  contract.isNasShareAttachedAt(entry.startedAt);

/** Rules 5 (2.1) and 7 (2.2): a backup service is included only with a Backup-NAS-Share attached. */
const backupRule = (rule: number, clause: Clause, kind: ServiceKind, what: string): Rule => {
  const asked = `Is it ${what}?`;
  const askedWithShare = `Is it ${what}, with a Backup-NAS-Share attached?`;
  const notIt = `not ${what}`;
  const included = fixed('included', clause, `${what} is included with a Backup-NAS-Share attached`);
  return {
    rule,
    clause,
    question: (_, service) => (service === kind ? askedWithShare : asked),
    decide: (input, service) => {
      if (service !== kind) return notIt;
      if (attached(input)) return included;
      return decided(
        'flagged',
        clause,
        `${what} needs a Backup-NAS-Share; none was attached at ${iso(input.entry.startedAt)}`,
      );
    },
    facts: (input, service): Facts =>
      service !== kind
        ? { service }
        : { service, startedAt: iso(input.entry.startedAt), nasShareAttached: yes(attached(input)) },
  };
};

const rule5 = backupRule(5, '2.1', 'backup-setup', 'backup setup');

const rule6: Rule = {
  rule: 6,
  clause: '2.2',
  question: 'Is it monitoring, alerting or certificate renewal?',
  decide: (_, service) => INCLUDED_IN_OPERATION.get(service) ?? 'not an operations service',
  facts: serviceFact,
};

const rule7 = backupRule(7, '2.2', 'backup-run', 'running backups');

const INCIDENT = fixed('included', '3.1', "fault of the provider's infrastructure is included");

const rule8: Rule = {
  rule: 8,
  clause: '3.1',
  question: "Is it an incident of the provider's own infrastructure?",
  decide: (_, service) => (service === 'incident' ? INCIDENT : 'not an incident'),
  facts: serviceFact,
};

// ------------------------------------------------------------------------------------------------
// Rule 9: updates (4.1)

const UPDATE_NOT_ORDERED = fixed(
  'flagged',
  '4.1',
  "updates are installed only on the customer's order; the ticket was not opened by UpdateRequested",
);

/** Whether `at` lies in a maintenance window in force at `at` (the agreed ones, else the SLA's). */
const insideWindow = ({ contract }: ClassificationInput, at: number): boolean =>
  isInMaintenanceWindow(at, contract.maintenanceWindowsAt(at).windows, contract.timeZone);

const rule9: Rule = {
  rule: 9,
  clause: '4.1',
  question: 'Is it an update ordered, supported and scheduled as agreed?',
  decide: (input, service) => {
    if (service !== 'update-installation') return 'not an update installation';
    const u = input.ticket.update;
    if (u === undefined) return UPDATE_NOT_ORDERED;
    if (!u.vendorSupported)
      return decided('flagged', '4.1', `${u.software} is no longer supported by its vendor`);
    const s = u.schedule;
    if (s !== undefined && !s.agreedWithCustomer && !insideWindow(input, s.scheduledFor)) {
      return decided(
        'flagged',
        '4.1',
        `update scheduled for ${iso(s.scheduledFor)}, outside every maintenance window, without agreement`,
      );
    }
    return u.scope === 'customer-installed'
      ? decided('billable', '4.1', `update of customer-installed software ${u.software} is billable`)
      : decided(
          'included',
          '4.1',
          `update of ${u.scope === 'os' ? 'the OS' : 'pre-installed'} ${u.software} on order is included`,
        );
  },
  facts: (input, service) => {
    const { ticket, contract } = input;
    const u = ticket.update;
    if (service !== 'update-installation') return { service };
    if (u === undefined) return { service, ticketOrigin: ticket.origin };
    const facts: Facts = {
      service,
      software: u.software,
      scope: u.scope,
      vendorSupported: yes(u.vendorSupported),
    };
    if (!u.vendorSupported) return facts;
    const s = u.schedule;
    if (s === undefined) {
      facts['scheduledFor'] = '(not scheduled)';
      return facts;
    }
    const inForce = contract.maintenanceWindowsAt(s.scheduledFor);
    facts['scheduledFor'] = iso(s.scheduledFor);
    facts['windows'] = `${inForce.source === 'agreed' ? 'agreed' : `${inForce.sla} SLA`}: ${
      inForce.windows.map((w) => `${w.day} ${w.start}-${w.end}`).join(', ') || '(none)'
    } (${contract.timeZone})`;
    facts['insideWindow'] = yes(insideWindow(input, s.scheduledFor));
    facts['agreedWithCustomer'] = yes(s.agreedWithCustomer);
    return facts;
  },
};

// ------------------------------------------------------------------------------------------------
// Rule 10: safety measures (4.2)

type Unjustified = Exclude<SafetyMeasureVerdict, { holds: true }>['reason'];

const UNJUSTIFIED: Record<Unjustified, string> = {
  'alerting-not-active': 'alerting was not active; no proactive measures without it',
  'alert-required': 'its justification needs the alert it answers; none was named',
  'alert-not-older-than-72h': 'its alert was not more than 72 h old (no-response needs more than 3 days)',
  'alert-acknowledged-before':
    'the customer answered its alert before the measure; no-response does not hold',
  'alert-not-acknowledged-before': 'the customer had not answered its alert before the measure',
};

const JUSTIFICATIONS: readonly Justification[] = ['no-response', 'imminent-danger', 'customer-instructed'];

/** The decision on a measure that holds, by justification. */
const MEASURE_HOLDS = Object.fromEntries(
  JUSTIFICATIONS.map((j) => [j, fixed('included', '4.2', `${j} safety measure with alerting active`)]),
) as Record<Justification, Decision>;

/** The decision on a measure that does not hold, by justification and why not. */
const MEASURE_FAILS = Object.fromEntries(
  JUSTIFICATIONS.map((j) => [
    j,
    Object.fromEntries(
      Object.entries(UNJUSTIFIED).map(([why, text]) => [
        why,
        fixed('flagged', '4.2', `${j} safety measure: ${text}`),
      ]),
    ),
  ]),
) as Record<Justification, Record<Unjustified, Decision>>;

const NO_MEASURE = fixed('flagged', '4.2', 'no SafetyMeasureTaken is recorded for this ticket');

/** The alert a measure answers, if it names one this contract raised. */
const alertOf = ({ contract }: ClassificationInput, m: SafetyMeasureFacts): AlertFacts | undefined =>
  m.alertId === undefined ? undefined : contract.alert(m.alertId);

const judge = (input: ClassificationInput, m: SafetyMeasureFacts): Decision => {
  const alert = alertOf(input, m);
  const alertingActive = input.contract.isAlertingActiveAt(m.takenAt);
  const { justification, takenAt } = m;
  const verdict = judgeSafetyMeasure(
    alert === undefined
      ? { justification, takenAt, alertingActive }
      : { justification, takenAt, alertingActive, alert },
  );
  return verdict.holds ? MEASURE_HOLDS[justification] : MEASURE_FAILS[justification][verdict.reason];
};

const rule10: Rule = {
  rule: 10,
  clause: '4.2',
  question: 'Is it a justified safety measure with alerting active?',
  decide: (input, service) => {
    if (service !== 'safety-measure') return 'not a safety measure';
    const m = input.ticket.safetyMeasure;
    return m === undefined ? NO_MEASURE : judge(input, m);
  },
  facts: (input, service): Facts => {
    const m = input.ticket.safetyMeasure;
    if (service !== 'safety-measure') return { service };
    if (m === undefined) return { service, ticketOrigin: input.ticket.origin };
    const alert = alertOf(input, m);
    return {
      measureAt: iso(m.takenAt),
      justification: m.justification,
      alertingActive: yes(input.contract.isAlertingActiveAt(m.takenAt)),
      alert: alert?.alertId ?? m.alertId ?? '(none named)',
      ...(alert === undefined
        ? {}
        : {
            alertRaisedAt: iso(alert.raisedAt),
            hoursSinceAlert: ((m.takenAt - alert.raisedAt) / 3_600_000).toFixed(2),
            acknowledgedAt:
              alert.firstAcknowledgedAt === undefined ? '(never)' : iso(alert.firstAcknowledgedAt),
          }),
    };
  },
};

// ------------------------------------------------------------------------------------------------
// Rules 11–14: optional, billable services (3.1, 5.1, 5.2, 5.3)

const INITIAL_SETUP = fixed('included', '5.3', 'configuration during the initial setup is included');
const CHANGE_AFTER_HANDOVER = fixed('billable', '5.3', 'configuration change after handover is billable');

const rule11: Rule = {
  rule: 11,
  clause: '5.3',
  question: 'Is it a change after the initial setup?',
  decide: ({ entry, contract }, service) => {
    if (service !== 'change-request') return 'not a change request';
    const done = contract.provisioningCompletedAt;
    return done === undefined || entry.startedAt < done ? INITIAL_SETUP : CHANGE_AFTER_HANDOVER;
  },
  facts: ({ entry, contract }, service): Facts => {
    if (service !== 'change-request') return { service };
    const done = contract.provisioningCompletedAt;
    return {
      service,
      startedAt: iso(entry.startedAt),
      provisioningCompletedAt: done === undefined ? '(not completed)' : iso(done),
    };
  },
};

const SUPPORT = fixed('billable', '3.1', 'help with setting up or running services is billable');

const rule12: Rule = {
  rule: 12,
  clause: '3.1',
  question: 'Is it a support request?',
  decide: (_, service) => (service === 'support-request' ? SUPPORT : 'not a support request'),
  facts: serviceFact,
};

const BILLABLE_FAULTS = byService(
  ['customer-caused-fault', 'ddos-mitigation', 'security-review', 'malware-cleanup'],
  'billable',
  '5.1',
  (s) => `${s} is always billable by effort`,
);

const rule13: Rule = {
  rule: 13,
  clause: '5.1',
  question: 'Is it a customer-caused fault, DDoS, security review or malware clean-up?',
  decide: (_, service) => BILLABLE_FAULTS.get(service) ?? 'not one of them',
  facts: serviceFact,
};

const SOFTWARE_INSTALLATION = fixed(
  'billable',
  '5.2',
  'installing individual software is always billable, even during provisioning',
);

const rule14: Rule = {
  rule: 14,
  clause: '5.2',
  question: 'Is it installing individual software?',
  decide: (_, service) =>
    service === 'software-installation' ? SOFTWARE_INSTALLATION : 'not a software installation',
  facts: serviceFact,
};

const SERVICE_RULES: readonly Rule[] = [
  rule1,
  rule2,
  rule3,
  rule4,
  rule5,
  rule6,
  rule7,
  rule8,
  rule9,
  rule10,
  rule11,
  rule12,
  rule13,
  rule14,
];

// ------------------------------------------------------------------------------------------------
// Rules 15–17: may billable work be billed? (3)

const PROVIDER_TICKET = fixed('flagged', '3', 'billable work on a provider ticket: no customer ordered it');
const orderedBy: Read<string> = ({ ticket }) => `ordered by ${ticket.requester}`;

const rule15: Rule = {
  rule: 15,
  clause: '3',
  question: 'Did a customer order it?',
  decide: ({ ticket }) => (ticket.requester === undefined ? PROVIDER_TICKET : orderedBy),
  facts: ({ ticket }) => ({ requester: ticket.requester ?? '(provider ticket)' }),
};

const isAuthorised: Read<string> = ({ ticket }) => `${ticket.requester ?? ''} is authorised`;
const confirmed: Read<string> = ({ ticket }) =>
  `order by ${ticket.requester ?? ''} confirmed by ${ticket.decision?.by}`;

const rule16: Rule = {
  rule: 16,
  clause: '3',
  question: 'Was the requester authorised to order billable work?',
  decide: ({ ticket, contract }) => {
    const authorized = contract.authorizedRequestersAt(ticket.openedAt);
    const requester = ticket.requester ?? '';
    const d = ticket.decision;
    if (authorized.size === 0) return 'no authorised requesters named: implicit order';
    if (authorized.has(emailKey(requester))) return isAuthorised;
    if (d === undefined)
      return decided('held', '3', `${requester} is not an authorised requester; awaiting confirmation`);
    if (d.kind === 'declined')
      return decided('flagged', '3', `order by ${requester} was declined by ${d.by}`);
    return confirmed;
  },
  facts: ({ ticket, contract }) => {
    const authorized = contract.authorizedRequestersAt(ticket.openedAt);
    const d = ticket.decision;
    return {
      ticketOpenedAt: iso(ticket.openedAt),
      requester: ticket.requester ?? '',
      authorizedRequesters:
        authorized.size === 0 ? '(none named: every ticket is an order)' : [...authorized].join(', '),
      ...(d === undefined ? {} : { decision: `${d.kind} by ${d.by} at ${iso(d.at)}` }),
    };
  },
};

const rateInForce: Read<string> = (_i, _s, rate) => `rate ${rate?.hourlyRate} in force`;

const rule17: Rule = {
  rule: 17,
  clause: '3',
  question: 'Was an hourly rate in force when the work started?',
  decide: ({ entry }, _, rate) =>
    rate === undefined
      ? decided('flagged', '3', `no hourly rate in force at ${iso(entry.startedAt)}`)
      : rateInForce,
  facts: ({ entry }, _, rate) => ({
    startedAt: iso(entry.startedAt),
    hourlyRate: rate === undefined ? '(none)' : `${rate.hourlyRate} from ${iso(rate.effectiveFrom)}`,
  }),
};

const BILLING_RULES: readonly Rule[] = [rule15, rule16, rule17];

// ------------------------------------------------------------------------------------------------

/** The trace entry of a rule that gave `result`: the question, the facts and the note, as strings. */
const checkOf = (
  rule: Rule,
  result: Decision | Note,
  input: ClassificationInput,
  service: ServiceKind,
  rate: RateInForce | undefined,
): RuleCheck => {
  const question = typeof rule.question === 'string' ? rule.question : rule.question(input, service, rate);
  return typeof result === 'object'
    ? {
        rule: rule.rule,
        clause: rule.clause,
        question,
        outcome: 'decided',
        status: result.status,
        facts: rule.facts(input, service, rate),
        note: result.reason,
      }
    : {
        rule: rule.rule,
        clause: rule.clause,
        question,
        outcome: 'passed',
        facts: rule.facts(input, service, rate),
        note: typeof result === 'string' ? result : result(input, service, rate),
      };
};

/** The first decision of `rules`, in order; each rule evaluated is added to `trace` when given. */
const firstDecision = (
  rules: readonly Rule[],
  input: ClassificationInput,
  service: ServiceKind,
  rate: RateInForce | undefined,
  trace: RuleCheck[] | undefined,
): Decision | undefined => {
  for (let k = 0; k < rules.length; k += 1) {
    const rule = rules[k] as Rule;
    const result = rule.decide(input, service, rate);
    if (trace !== undefined) trace.push(checkOf(rule, result, input, service, rate));
    if (typeof result === 'object') return result;
  }
  return undefined;
};

/** Every ServiceKind is decided by one of rules 3–14; this guards a catalog extended without a rule. */
const notCovered = (service: ServiceKind): Decision =>
  decided('flagged', '3', `no rule covers service ${service}`);

/** The trace of an untraced classification: one shared empty array, not one per entry. */
const NO_TRACE: readonly RuleCheck[] = Object.freeze([]);

/** Options of {@link classify}. */
export interface ClassifyOptions {
  /**
   * Record every rule evaluated with the facts it read (default true). The Ledger turns it off for
   * bulk classification and on for `explain`: the trace costs strings per rule and entry.
   */
  readonly trace?: boolean;
}

/**
 * The result for a decision, with the rate for billed work. Fields are copied one by one: on Node 20
 * spreading a decision built per entry (`{ ...decision }`) costs microseconds, more than all
 * seventeen rules together.
 */
const resultOf = (
  d: Decision,
  service: ServiceKind,
  rate: RateInForce | undefined,
  trace: readonly RuleCheck[],
): Classification =>
  rate === undefined
    ? { status: d.status, clause: d.clause, reason: d.reason, service, trace }
    : {
        status: d.status,
        clause: d.clause,
        reason: d.reason,
        service,
        hourlyRate: rate.hourlyRate,
        rateEffectiveFrom: rate.effectiveFrom,
        trace,
      };

/** The untraced result for a decision: a new one, or the shared one of a {@link Classifier}. */
type Untraced = (d: Decision, service: ServiceKind, rate: RateInForce | undefined) => Classification;

const fresh: Untraced = (d, service, rate) => resultOf(d, service, rate, NO_TRACE);

/** The result: made by `untraced` when untraced, else built for this entry with its trace. */
const result = (
  d: Decision,
  service: ServiceKind,
  rate: RateInForce | undefined,
  trace: readonly RuleCheck[] | undefined,
  untraced: Untraced,
): Classification => (trace === undefined ? untraced(d, service, rate) : resultOf(d, service, rate, trace));

/** Classify by rules 1–17, making untraced results with `untraced`. */
const classifyWith = (
  input: ClassificationInput,
  options: ClassifyOptions | undefined,
  untraced: Untraced,
): Classification => {
  const trace: RuleCheck[] | undefined = (options?.trace ?? true) ? [] : undefined;
  const service = input.entry.service ?? input.ticket.service;
  const decision = firstDecision(SERVICE_RULES, input, service, undefined, trace) ?? notCovered(service);
  if (decision.status !== 'billable') return result(decision, service, undefined, trace, untraced);
  const rate = input.rateAt(input.entry.startedAt);
  const refused = firstDecision(BILLING_RULES, input, service, rate, trace);
  if (refused !== undefined) return result(refused, service, undefined, trace, untraced);
  // Rule 17 let the entry through: a rate was in force.
  return result(decision, service, rate, trace, untraced);
};

/**
 * Classify one work entry by spec §4, rules 1–17 in order; the first rule that decides wins.
 * Every call builds its own result: what it returns depends on its input alone.
 */
export const classify = (input: ClassificationInput, options?: ClassifyOptions): Classification =>
  classifyWith(input, options, fresh);

/**
 * {@link classify} with a table of shared (interned) results that its owner keeps: the Ledger
 * keeps one result per entry, and most entries share one of a few dozen (status, clause, reason,
 * service, rate). Two classifiers share nothing, so no result depends on what another classified.
 */
export interface Classifier {
  /**
   * {@link classify}; with `trace: false` calls giving the same fixed reason, service and rate return
   * one shared, frozen object (a reason naming the input, a time, a VM, a requester, is never shared).
   */
  readonly classify: (input: ClassificationInput, options?: ClassifyOptions) => Classification;
  /**
   * Whether `c` is a shared result of this classifier. A caller that keeps per-entry values derived
   * only from the result (a price per period and billed minutes, say) may share them per shared
   * result too.
   */
  readonly isShared: (c: Classification) => boolean;
}

/**
 * At most this many shared results per fixed decision and service (one per rate in force) are kept
 * for sharing; past them the table starts over, so that a log with thousands of rates keeps no more.
 */
const SHARED_RATES = 32;

/** A {@link Classifier} with an empty table of shared results. */
export const createClassifier = (): Classifier => {
  const byDecision = new Map<Decision, Map<ServiceKind, Classification[]>>();
  const shared = new WeakSet<Classification>();
  const untraced: Untraced = (d, service, rate) => {
    if (!d.fixed) return resultOf(d, service, rate, NO_TRACE);
    let ofDecision = byDecision.get(d);
    if (ofDecision === undefined) byDecision.set(d, (ofDecision = new Map()));
    let results = ofDecision.get(service);
    if (results === undefined) ofDecision.set(service, (results = []));
    for (let k = 0; k < results.length; k += 1) {
      const r = results[k] as Classification;
      if (r.hourlyRate === rate?.hourlyRate && r.rateEffectiveFrom === rate?.effectiveFrom) return r;
    }
    const r = Object.freeze(resultOf(d, service, rate, NO_TRACE));
    if (results.length >= SHARED_RATES) results.length = 0;
    results.push(r);
    shared.add(r);
    return r;
  };
  return {
    classify: (input, options) => classifyWith(input, options, untraced),
    isShared: (c) => shared.has(c),
  };
};
