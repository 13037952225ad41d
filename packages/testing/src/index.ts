/** @msp-billing/testing — under construction in this change. */
export {};
