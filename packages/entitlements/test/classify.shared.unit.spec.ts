/**
 * Untraced results are shared (interned) when the reason is fixed text: one frozen object per reason,
 * service and rate, at most 32 rates per reason and service at a time. Whether a result is shared,
 * and its value, depend on the input alone, whatever was classified before.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceKind } from '@msp-billing/events';
import { classify, isSharedClassification } from '../src/index.js';
import { inputOf, recorded, type Case } from './support/cases.js';

const cases = recorded();
const billedSupport = cases.find(
  (r) => r.classification.status === 'billable' && r.classification.service === 'support-request',
) as { case: Case };

/** The billed support case, for another service and with one rate in force. */
const variant = (service: ServiceKind, hourlyRate: string, effectiveFrom: number): Case => ({
  ...billedSupport.case,
  entry: { ...billedSupport.case.entry, service },
  rates: [{ hourlyRate, effectiveFrom }],
});

describe('untraced results of fixed reasons', () => {
  it('are one frozen object per reason, service and rate', () => {
    const c = billedSupport.case;
    const a = classify(inputOf(c), { trace: false });
    expect(classify(inputOf(c), { trace: false })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(isSharedClassification(a)).toBe(true);
    const otherRate = classify(inputOf(variant('support-request', '1.00', 0)), { trace: false });
    expect(otherRate).not.toBe(a);
    expect([otherRate.hourlyRate, otherRate.rateEffectiveFrom]).toEqual(['1.00', 0]);
    const otherService = classify(inputOf(variant('ddos-mitigation', '1.00', 0)), { trace: false });
    expect([otherService.service, otherService.reason]).toEqual([
      'ddos-mitigation',
      'ddos-mitigation is always billable by effort',
    ]);
    // A traced result is the entry's own.
    expect(classify(inputOf(c), { trace: true })).not.toBe(classify(inputOf(c), { trace: true }));
  });

  it('are never shared when the reason names the input', () => {
    const early = cases.find((r) => r.classification.reason.includes('before the MSP was booked'));
    const c = (early as { case: Case }).case;
    expect(classify(inputOf(c), { trace: false })).not.toBe(classify(inputOf(c), { trace: false }));
    expect(isSharedClassification(classify(inputOf(c), { trace: false }))).toBe(false);
    expect(isSharedClassification(classify(inputOf(billedSupport.case), { trace: true }))).toBe(false);
  });

  it('are shared for any number of rates, and price every entry right', () => {
    const results = Array.from({ length: 100 }, (_, k) => {
      const c = variant('malware-cleanup', `${100 + k}.00`, k);
      const first = classify(inputOf(c), { trace: false });
      return { first, again: classify(inputOf(c), { trace: false }) };
    });
    expect(results.every((r) => r.first === r.again)).toBe(true);
    expect(results.every((r) => isSharedClassification(r.first))).toBe(true);
    expect(results.map((r) => [r.first.hourlyRate, r.first.rateEffectiveFrom])).toEqual(
      results.map((_, k) => [`${100 + k}.00`, k]),
    );
    // Past 32 rates the table started over: the first rate's result is made again, equal in value.
    const again = classify(inputOf(variant('malware-cleanup', '100.00', 0)), { trace: false });
    expect(again).toEqual(results[0]?.first);
    expect(isSharedClassification(again)).toBe(true);
  });
});
