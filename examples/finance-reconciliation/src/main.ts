/**
 * The finance person's script: `tsx src/main.ts --events LOG.ndjson --invoices EXPORT.csv`. Prints
 * one line per difference and a summary. Exit 0 all agree, 1 differences, 2 the inputs could not be
 * used (unreadable file, malformed CSV, or a log with invalid events, whose invoices are not to be
 * trusted) — the same statuses as `msp-billing reconcile`.
 */
import { parseArgs } from 'node:util';
import { isSourceUnreadable } from '@msp-billing/cli/event-file';
import { AccountingCsvError, describe, reconcileFiles } from './reconcile.js';

const usage = 'usage: reconcile --events LOG.ndjson --invoices EXPORT.csv';

const main = async (): Promise<number> => {
  let values: { events?: string; invoices?: string };
  try {
    ({ values } = parseArgs({ options: { events: { type: 'string' }, invoices: { type: 'string' } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.events === undefined || values.invoices === undefined) {
    console.error(usage);
    return 2;
  }
  try {
    const report = await reconcileFiles({ eventsPath: values.events, invoicesPath: values.invoices });
    for (const e of report.invalidEvents)
      console.error(`invalid event at line ${e.line ?? '?'}: ${e.reason}`);
    if (report.invalidEvents.length > 0) {
      console.error('the log has invalid events; its invoices cannot be trusted for reconciliation');
      return 2;
    }
    for (const d of report.differences) console.log(describe(d));
    const n = report.differences.length;
    console.log(
      `${report.booked} booked, ${report.issued} issued in the log: ${n === 0 ? 'all agree' : `${n} difference(s)`}`,
    );
    return n === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof AccountingCsvError || isSourceUnreadable(err)) {
      console.error(err.message);
      return 2;
    }
    // readFile's errors (no such export file) are for the person too; anything else is a bug.
    if (err instanceof Error && 'code' in err) {
      console.error(`cannot read ${values.invoices}: ${err.message}`);
      return 2;
    }
    throw err;
  }
};

process.exitCode = await main();
