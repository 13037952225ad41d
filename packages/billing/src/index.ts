/** @msp-billing/billing — under construction in this change. */
export {};
