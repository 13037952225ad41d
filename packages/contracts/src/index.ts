/** @msp-billing/contracts — under construction in this change. */
export {};
