/**
 * @msp-billing/entitlements — what the Managed Service Package includes, what is billable, what is
 * held for an order and what is flagged: `classify` implements spec §4 rules 1–17 in order and
 * returns the status, the clause, a one-line reason and the rule-by-rule trace.
 *
 * @packageDocumentation
 */
export * from './facts.js';
export * from './classify.js';
