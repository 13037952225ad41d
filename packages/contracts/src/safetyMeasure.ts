/**
 * Whether a proactive safety measure is covered by the MSP (4.2), in one place: the ticket decider
 * refuses what fails here, classification flags it, and `check` warns about it. The measure needs
 * active alerting; its justification holds when there is imminent danger, when the customer did not
 * answer the alert for MORE than 72 hours (3 days: exactly 72 h is not more), or when the customer
 * answered the alert before the measure (instructed it).
 */
import type { Justification } from '@msp-billing/events/internal';
import type { UnjustifiedReason } from './refusal.js';

/** "More than 3 days" after the alert (4.2), in milliseconds. */
export const NO_RESPONSE_MS = 72 * 3_600_000;

/** What the judgement reads: the measure, whether alerting was active then, and its alert. */
export interface SafetyMeasureCase {
  readonly justification: Justification;
  readonly takenAt: number;
  readonly alertingActive: boolean;
  readonly alert?: { readonly raisedAt: number; readonly firstAcknowledgedAt?: number | undefined };
}

/** The verdict: covered, or why not. */
export type SafetyMeasureVerdict =
  | { readonly holds: true }
  | { readonly holds: false; readonly reason: 'alerting-not-active' | UnjustifiedReason };

/** Judge a safety measure by 4.2. */
export const judgeSafetyMeasure = (m: SafetyMeasureCase): SafetyMeasureVerdict => {
  // No proactive measure without active alerting (4.2).
  if (!m.alertingActive) return { holds: false, reason: 'alerting-not-active' };
  if (m.justification === 'imminent-danger') return { holds: true };
  if (m.alert === undefined) return { holds: false, reason: 'alert-required' };
  const ack = m.alert.firstAcknowledgedAt;
  const acknowledgedBefore = ack !== undefined && ack < m.takenAt;
  if (m.justification === 'no-response') {
    if (!(m.takenAt - m.alert.raisedAt > NO_RESPONSE_MS))
      return { holds: false, reason: 'alert-not-older-than-72h' };
    if (acknowledgedBefore) return { holds: false, reason: 'alert-acknowledged-before' };
    return { holds: true };
  }
  return acknowledgedBefore ? { holds: true } : { holds: false, reason: 'alert-not-acknowledged-before' };
};
