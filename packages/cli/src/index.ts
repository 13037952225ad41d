/**
 * @msp-billing/cli — the `msp-billing` command (spec §7). `run(argv, io)` is the whole command as a
 * function; `bin.ts` is the process glue around it.
 *
 * @packageDocumentation
 */
export { run, COMMANDS, HELP } from './main.js';
export type { CliIo, Writer } from './io.js';
export type { Command } from './command.js';
export type { LedgerSource, LoadedLedger } from './source.js';
export { eventsSource, resolveSource, storeSource } from './source.js';
export { maskUrl, openStore, type OpenedStore } from './stores.js';
export { EXIT, formatUserError, type UserError } from './errors.js';
