/** @msp-billing/store-esdb — under construction in this change. */
export {};
