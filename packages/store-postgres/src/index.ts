/** @msp-billing/store-postgres — under construction in this change. */
export {};
