/** @msp-billing/sla — under construction in this change. */
export {};
