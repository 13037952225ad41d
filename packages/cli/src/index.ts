/** @msp-billing/cli — under construction in this change. */
export {};
