/**
 * Classification of one work entry (spec §4): rules 1–14 decide the status from the service and the
 * contract's facts at business time; rules 15–17 then check whether billable work may be billed.
 * The first rule that decides wins. Every rule evaluated is recorded in the trace with the facts it
 * looked at: that trace is what `explain` prints when a customer disputes a line.
 */
import { isInMaintenanceWindow } from '@msp-billing/sla';
import { judgeSafetyMeasure, type SafetyMeasureVerdict } from '@msp-billing/contracts';
import { emailKey, type ServiceKind } from '@msp-billing/events';
import type { ClassificationInput, ContractView, TicketView, WorkEntryFacts } from './facts.js';

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
}

interface Step {
  readonly rule: number;
  readonly clause: Clause;
  readonly question: string;
  /** The facts read, built only when a trace is asked for (explain): they cost strings. */
  readonly facts: () => Record<string, string>;
  /** A decision, or the reason the rule let the entry through. */
  readonly result: Decision | string;
}

type Ctx = {
  readonly entry: WorkEntryFacts;
  readonly ticket: TicketView;
  readonly contract: ContractView;
  readonly service: ServiceKind;
};

const decide = (status: Status, clause: Clause, reason: string): Decision => ({ status, clause, reason });

// ------------------------------------------------------------------------------------------------
// Rules 1–3: the scope of the MSP (1) and what is never offered (5.2)

const rule1 = ({ entry, contract }: Ctx): Step => ({
  rule: 1,
  clause: '1',
  question: 'Was the MSP active when the work started?',
  facts: () => ({
    startedAt: iso(entry.startedAt),
    mspBookedAt: iso(contract.bookedAt),
    ...(contract.cancelledAt === undefined ? {} : { mspCancelledAt: iso(contract.cancelledAt) }),
  }),
  result: contract.isMspActiveAt(entry.startedAt)
    ? 'the MSP was active'
    : decide(
        'flagged',
        '1',
        entry.startedAt < contract.bookedAt
          ? `work started ${iso(entry.startedAt)}, before the MSP was booked (${iso(contract.bookedAt)})`
          : `work started ${iso(entry.startedAt)}, after the MSP was cancelled (${iso(contract.cancelledAt ?? 0)})`,
      ),
});

const rule2 = ({ ticket, contract }: Ctx): Step => ({
  rule: 2,
  clause: '1',
  question: "Is the ticket for the contract's VM?",
  facts: () => ({ ticketVm: ticket.vmId ?? '(none named)', contractVm: contract.vmId }),
  result:
    ticket.vmId !== undefined && ticket.vmId !== contract.vmId
      ? decide('flagged', '1', `ticket is for VM ${ticket.vmId}, the MSP covers only ${contract.vmId}`)
      : 'no other VM named',
});

const rule3 = ({ service }: Ctx): Step => ({
  rule: 3,
  clause: '5.2',
  question: 'Is it compiling software from source?',
  facts: () => ({ service }),
  result:
    service === 'source-build'
      ? decide(
          'flagged',
          '5.2',
          'compiling from source is not offered; software only from standard repositories',
        )
      : 'not a source build',
});

// ------------------------------------------------------------------------------------------------
// Rules 4–8: included services (2.1, 2.2, 3.1)

const INCLUDED_AT_PROVISIONING: ReadonlySet<ServiceKind> = new Set([
  'os-setup',
  'network-setup',
  'certificate-installation',
]);
const INCLUDED_IN_OPERATION: ReadonlySet<ServiceKind> = new Set([
  'monitoring',
  'alerting',
  'certificate-renewal',
]);

const rule4 = ({ service }: Ctx): Step => ({
  rule: 4,
  clause: '2.1',
  question: 'Is it OS, network or certificate setup?',
  facts: () => ({ service }),
  result: INCLUDED_AT_PROVISIONING.has(service)
    ? decide('included', '2.1', `${service} is included at provisioning`)
    : 'not a provisioning service',
});

const backupRule =
  (rule: number, clause: Clause, kind: ServiceKind, what: string) =>
  ({ entry, contract, service }: Ctx): Step => {
    if (service !== kind)
      return { rule, clause, question: `Is it ${what}?`, facts: () => ({ service }), result: `not ${what}` };
    const attached = contract.isNasShareAttachedAt(entry.startedAt);
    return {
      rule,
      clause,
      question: `Is it ${what}, with a Backup-NAS-Share attached?`,
      facts: () => ({ service, startedAt: iso(entry.startedAt), nasShareAttached: yes(attached) }),
      result: attached
        ? decide('included', clause, `${what} is included with a Backup-NAS-Share attached`)
        : decide(
            'flagged',
            clause,
            `${what} needs a Backup-NAS-Share; none was attached at ${iso(entry.startedAt)}`,
          ),
    };
  };

const rule5 = backupRule(5, '2.1', 'backup-setup', 'backup setup');

const rule6 = ({ service }: Ctx): Step => ({
  rule: 6,
  clause: '2.2',
  question: 'Is it monitoring, alerting or certificate renewal?',
  facts: () => ({ service }),
  result: INCLUDED_IN_OPERATION.has(service)
    ? decide('included', '2.2', `${service} is included in operation`)
    : 'not an operations service',
});

const rule7 = backupRule(7, '2.2', 'backup-run', 'running backups');

const rule8 = ({ service }: Ctx): Step => ({
  rule: 8,
  clause: '3.1',
  question: "Is it an incident of the provider's own infrastructure?",
  facts: () => ({ service }),
  result:
    service === 'incident'
      ? decide('included', '3.1', "fault of the provider's infrastructure is included")
      : 'not an incident',
});

// ------------------------------------------------------------------------------------------------
// Rule 9: updates (4.1)

const rule9 = ({ ticket, contract, service }: Ctx): Step => {
  const base = {
    rule: 9,
    clause: '4.1' as const,
    question: 'Is it an update ordered, supported and scheduled as agreed?',
  };
  if (service !== 'update-installation')
    return { ...base, facts: () => ({ service }), result: 'not an update installation' };
  const u = ticket.update;
  if (u === undefined) {
    return {
      ...base,
      facts: () => ({ service, ticketOrigin: ticket.origin }),
      result: decide(
        'flagged',
        '4.1',
        "updates are installed only on the customer's order; the ticket was not opened by UpdateRequested",
      ),
    };
  }
  const facts: Record<string, string> = {
    service,
    software: u.software,
    scope: u.scope,
    vendorSupported: yes(u.vendorSupported),
  };
  if (!u.vendorSupported) {
    return {
      ...base,
      facts: () => facts,
      result: decide('flagged', '4.1', `${u.software} is no longer supported by its vendor`),
    };
  }
  if (u.schedule !== undefined) {
    const inForce = contract.maintenanceWindowsAt(u.schedule.scheduledFor);
    const inside = isInMaintenanceWindow(u.schedule.scheduledFor, inForce.windows, contract.timeZone);
    facts['scheduledFor'] = iso(u.schedule.scheduledFor);
    facts['windows'] = `${inForce.source === 'agreed' ? 'agreed' : `${inForce.sla} SLA`}: ${
      inForce.windows.map((w) => `${w.day} ${w.start}-${w.end}`).join(', ') || '(none)'
    } (${contract.timeZone})`;
    facts['insideWindow'] = yes(inside);
    facts['agreedWithCustomer'] = yes(u.schedule.agreedWithCustomer);
    if (!inside && !u.schedule.agreedWithCustomer) {
      return {
        ...base,
        facts: () => facts,
        result: decide(
          'flagged',
          '4.1',
          `update scheduled for ${iso(u.schedule.scheduledFor)}, outside every maintenance window, without agreement`,
        ),
      };
    }
  } else {
    facts['scheduledFor'] = '(not scheduled)';
  }
  return {
    ...base,
    facts: () => facts,
    result:
      u.scope === 'customer-installed'
        ? decide('billable', '4.1', `update of customer-installed software ${u.software} is billable`)
        : decide(
            'included',
            '4.1',
            `update of ${u.scope === 'os' ? 'the OS' : 'pre-installed'} ${u.software} on order is included`,
          ),
  };
};

// ------------------------------------------------------------------------------------------------
// Rule 10: safety measures (4.2)

const UNJUSTIFIED: Record<Exclude<SafetyMeasureVerdict, { holds: true }>['reason'], string> = {
  'alerting-not-active': 'alerting was not active; no proactive measures without it',
  'alert-required': 'its justification needs the alert it answers; none was named',
  'alert-not-older-than-72h': 'its alert was not more than 72 h old (no-response needs more than 3 days)',
  'alert-acknowledged-before':
    'the customer answered its alert before the measure; no-response does not hold',
  'alert-not-acknowledged-before': 'the customer had not answered its alert before the measure',
};

const rule10 = ({ ticket, contract, service }: Ctx): Step => {
  const base = {
    rule: 10,
    clause: '4.2' as const,
    question: 'Is it a justified safety measure with alerting active?',
  };
  if (service !== 'safety-measure')
    return { ...base, facts: () => ({ service }), result: 'not a safety measure' };
  const m = ticket.safetyMeasure;
  if (m === undefined) {
    return {
      ...base,
      facts: () => ({ service, ticketOrigin: ticket.origin }),
      result: decide('flagged', '4.2', 'no SafetyMeasureTaken is recorded for this ticket'),
    };
  }
  const alerting = contract.isAlertingActiveAt(m.takenAt);
  const alert = m.alertId === undefined ? undefined : contract.alert(m.alertId);
  const verdict = judgeSafetyMeasure({
    justification: m.justification,
    takenAt: m.takenAt,
    alertingActive: alerting,
    ...(alert === undefined ? {} : { alert }),
  });
  const facts = (): Record<string, string> => ({
    measureAt: iso(m.takenAt),
    justification: m.justification,
    alertingActive: yes(alerting),
    alert: alert?.alertId ?? m.alertId ?? '(none named)',
    ...(alert === undefined
      ? {}
      : {
          alertRaisedAt: iso(alert.raisedAt),
          hoursSinceAlert: ((m.takenAt - alert.raisedAt) / 3_600_000).toFixed(2),
          acknowledgedAt:
            alert.firstAcknowledgedAt === undefined ? '(never)' : iso(alert.firstAcknowledgedAt),
        }),
  });
  return {
    ...base,
    facts,
    result: verdict.holds
      ? decide('included', '4.2', `${m.justification} safety measure with alerting active`)
      : decide('flagged', '4.2', `${m.justification} safety measure: ${UNJUSTIFIED[verdict.reason]}`),
  };
};

// ------------------------------------------------------------------------------------------------
// Rules 11–14: optional, billable services (3.1, 5.1, 5.2, 5.3)

const rule11 = ({ entry, contract, service }: Ctx): Step => {
  const base = { rule: 11, clause: '5.3' as const, question: 'Is it a change after the initial setup?' };
  if (service !== 'change-request')
    return { ...base, facts: () => ({ service }), result: 'not a change request' };
  const done = contract.provisioningCompletedAt;
  const facts = () => ({
    service,
    startedAt: iso(entry.startedAt),
    provisioningCompletedAt: done === undefined ? '(not completed)' : iso(done),
  });
  return {
    ...base,
    facts,
    result:
      done === undefined || entry.startedAt < done
        ? decide('included', '5.3', 'configuration during the initial setup is included')
        : decide('billable', '5.3', 'configuration change after handover is billable'),
  };
};

const BILLABLE_FAULTS: ReadonlySet<ServiceKind> = new Set([
  'customer-caused-fault',
  'ddos-mitigation',
  'security-review',
  'malware-cleanup',
]);

const rule12 = ({ service }: Ctx): Step => ({
  rule: 12,
  clause: '3.1',
  question: 'Is it a support request?',
  facts: () => ({ service }),
  result:
    service === 'support-request'
      ? decide('billable', '3.1', 'help with setting up or running services is billable')
      : 'not a support request',
});

const rule13 = ({ service }: Ctx): Step => ({
  rule: 13,
  clause: '5.1',
  question: 'Is it a customer-caused fault, DDoS, security review or malware clean-up?',
  facts: () => ({ service }),
  result: BILLABLE_FAULTS.has(service)
    ? decide('billable', '5.1', `${service} is always billable by effort`)
    : `not one of them`,
});

const rule14 = ({ service }: Ctx): Step => ({
  rule: 14,
  clause: '5.2',
  question: 'Is it installing individual software?',
  facts: () => ({ service }),
  result:
    service === 'software-installation'
      ? decide(
          'billable',
          '5.2',
          'installing individual software is always billable, even during provisioning',
        )
      : 'not a software installation',
});

const SERVICE_RULES: ReadonlyArray<(c: Ctx) => Step> = [
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

const rule15 = ({ ticket }: Ctx): Step => ({
  rule: 15,
  clause: '3',
  question: 'Did a customer order it?',
  facts: () => ({ requester: ticket.requester ?? '(provider ticket)' }),
  result:
    ticket.requester === undefined
      ? decide('flagged', '3', 'billable work on a provider ticket: no customer ordered it')
      : `ordered by ${ticket.requester}`,
});

const rule16 = ({ ticket, contract }: Ctx): Step => {
  const authorized = contract.authorizedRequestersAt(ticket.openedAt);
  const requester = ticket.requester ?? '';
  const d = ticket.decision;
  const base = {
    rule: 16,
    clause: '3' as const,
    question: 'Was the requester authorised to order billable work?',
    facts: () => ({
      ticketOpenedAt: iso(ticket.openedAt),
      requester,
      authorizedRequesters:
        authorized.size === 0 ? '(none named: every ticket is an order)' : [...authorized].join(', '),
      ...(d === undefined ? {} : { decision: `${d.kind} by ${d.by} at ${iso(d.at)}` }),
    }),
  };
  if (authorized.size === 0) return { ...base, result: 'no authorised requesters named: implicit order' };
  if (authorized.has(emailKey(requester))) return { ...base, result: `${requester} is authorised` };
  if (d === undefined) {
    return {
      ...base,
      result: decide('held', '3', `${requester} is not an authorised requester; awaiting confirmation`),
    };
  }
  if (d.kind === 'declined') {
    return { ...base, result: decide('flagged', '3', `order by ${requester} was declined by ${d.by}`) };
  }
  return { ...base, result: `order by ${requester} confirmed by ${d.by}` };
};

// ------------------------------------------------------------------------------------------------

const toCheck = (s: Step): RuleCheck =>
  typeof s.result === 'string'
    ? {
        rule: s.rule,
        clause: s.clause,
        question: s.question,
        outcome: 'passed',
        facts: s.facts(),
        note: s.result,
      }
    : {
        rule: s.rule,
        clause: s.clause,
        question: s.question,
        outcome: 'decided',
        status: s.result.status,
        facts: s.facts(),
        note: s.result.reason,
      };

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

const rule17 = (input: ClassificationInput): Step => {
  const rate = input.rateAt(input.entry.startedAt);
  return {
    rule: 17,
    clause: '3',
    question: 'Was an hourly rate in force when the work started?',
    facts: () => ({
      startedAt: iso(input.entry.startedAt),
      hourlyRate: rate === undefined ? '(none)' : `${rate.hourlyRate} from ${iso(rate.effectiveFrom)}`,
    }),
    result:
      rate === undefined
        ? decide('flagged', '3', `no hourly rate in force at ${iso(input.entry.startedAt)}`)
        : `rate ${rate.hourlyRate} in force`,
  };
};

/** Classify one work entry by spec §4, rules 1–17 in order; the first rule that decides wins. */
export const classify = (input: ClassificationInput, options: ClassifyOptions = {}): Classification => {
  const tracing = options.trace ?? true;
  const service = input.entry.service ?? input.ticket.service;
  const ctx: Ctx = { entry: input.entry, ticket: input.ticket, contract: input.contract, service };
  const trace: RuleCheck[] = tracing ? [] : (NO_TRACE as RuleCheck[]);
  const decided = (step: Step): Decision | undefined => {
    if (tracing) trace.push(toCheck(step));
    return typeof step.result === 'string' ? undefined : step.result;
  };
  let decision: Decision | undefined;
  for (const rule of SERVICE_RULES) {
    decision = decided(rule(ctx));
    if (decision !== undefined) break;
  }
  // Every ServiceKind is decided by one of rules 3–14; this guards a catalog extended without a rule.
  if (decision === undefined) {
    return { status: 'flagged', clause: '3', reason: `no rule covers service ${service}`, service, trace };
  }
  if (decision.status !== 'billable') return { ...decision, service, trace };
  const refused = decided(rule15(ctx)) ?? decided(rule16(ctx)) ?? decided(rule17(input));
  if (refused !== undefined) return { ...refused, service, trace };
  const rate = input.rateAt(input.entry.startedAt) as NonNullable<ReturnType<ClassificationInput['rateAt']>>;
  return { ...decision, service, hourlyRate: rate.hourlyRate, rateEffectiveFrom: rate.effectiveFrom, trace };
};
