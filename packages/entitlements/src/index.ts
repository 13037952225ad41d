/** @msp-billing/entitlements — under construction in this change. */
export {};
