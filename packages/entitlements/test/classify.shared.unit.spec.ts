/**
 * A classifier shares (interns) its untraced results when the reason is fixed text: one frozen object
 * per reason, service and rate, at most 32 rates per reason and service at a time. The table is the
 * classifier's own: two classifiers share nothing, and `classify` alone shares nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceKind } from '@msp-billing/events';
import { classify, createClassifier } from '../src/index.js';
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
  it('are one frozen object per reason, service and rate in one classifier', () => {
    const classifier = createClassifier();
    const c = billedSupport.case;
    const a = classifier.classify(inputOf(c), { trace: false });
    expect(classifier.classify(inputOf(c), { trace: false })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(classifier.isShared(a)).toBe(true);
    const otherRate = classifier.classify(inputOf(variant('support-request', '1.00', 0)), { trace: false });
    expect(otherRate).not.toBe(a);
    expect([otherRate.hourlyRate, otherRate.rateEffectiveFrom]).toEqual(['1.00', 0]);
    const otherService = classifier.classify(inputOf(variant('ddos-mitigation', '1.00', 0)), {
      trace: false,
    });
    expect([otherService.service, otherService.reason]).toEqual([
      'ddos-mitigation',
      'ddos-mitigation is always billable by effort',
    ]);
    // A traced result is the entry's own.
    const traced = classifier.classify(inputOf(c), { trace: true });
    expect(traced).not.toBe(classifier.classify(inputOf(c), { trace: true }));
    expect(classifier.isShared(traced)).toBe(false);
  });

  it('are never shared when the reason names the input', () => {
    const classifier = createClassifier();
    const early = cases.find((r) => r.classification.reason.includes('before the MSP was booked'));
    const c = (early as { case: Case }).case;
    const first = classifier.classify(inputOf(c), { trace: false });
    expect(classifier.classify(inputOf(c), { trace: false })).not.toBe(first);
    expect(classifier.isShared(first)).toBe(false);
  });

  it('are not shared between two classifiers, nor by classify alone', () => {
    const one = createClassifier();
    const two = createClassifier();
    const input = inputOf(billedSupport.case);
    const a = one.classify(input, { trace: false });
    const b = two.classify(input, { trace: false });
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect([one.isShared(a), one.isShared(b), two.isShared(a), two.isShared(b)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    const plain = classify(input, { trace: false });
    expect(plain).not.toBe(classify(input, { trace: false }));
    expect(plain).toEqual(a);
    expect(one.isShared(plain) || two.isShared(plain)).toBe(false);
  });

  it('are shared for any number of rates, and price every entry right', () => {
    const classifier = createClassifier();
    const results = Array.from({ length: 100 }, (_, k) => {
      const c = variant('malware-cleanup', `${100 + k}.00`, k);
      const first = classifier.classify(inputOf(c), { trace: false });
      return { first, again: classifier.classify(inputOf(c), { trace: false }) };
    });
    expect(results.every((r) => r.first === r.again)).toBe(true);
    expect(results.every((r) => classifier.isShared(r.first))).toBe(true);
    expect(results.map((r) => [r.first.hourlyRate, r.first.rateEffectiveFrom])).toEqual(
      results.map((_, k) => [`${100 + k}.00`, k]),
    );
    // Past 32 rates the table started over: the first rate's result is made again, equal in value.
    const again = classifier.classify(inputOf(variant('malware-cleanup', '100.00', 0)), { trace: false });
    expect(again).not.toBe(results[0]?.first);
    expect(again).toEqual(results[0]?.first);
    expect(classifier.isShared(again)).toBe(true);
  });
});
