/** @msp-billing/store — under construction in this change. */
export {};
