/**
 * `msp-billing contracts --events F [--format table|json|csv] [--skip-invalid]`: every contract of
 * the log with its customer, VM, SLA, status (active or cancelled) and last issued period — the ids
 * every other command asks for.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { ContractSummary } from '@msp-billing/billing';
import { formatOption, SKIP_INVALID, loadGated, type Command } from '../command.js';
import { EXIT } from '../errors.js';
import { csvRow } from '../format/csv.js';
import { localTime, plural, renderTable } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidJson, invalidLine, printSkipped } from '../source.js';

/** The CSV header of `contracts --format csv`. */
export const CONTRACTS_CSV_HEADER = [
  'contractId',
  'customerId',
  'vmId',
  'sla',
  'status',
  'bookedAt',
  'cancelledAt',
  'timeZone',
  'currency',
  'lastIssuedPeriod',
  'lastInvoiceNumber',
] as const;

/** One contract as `contracts` prints it (instants RFC 3339). */
export const contractRow = (c: ContractSummary) => {
  const last = c.issued.at(-1);
  return {
    contractId: c.contractId,
    customerId: c.customerId,
    vmId: c.vmId,
    sla: c.sla,
    status: c.cancelledAt === null ? 'active' : 'cancelled',
    bookedAt: c.bookedAt,
    cancelledAt: c.cancelledAt,
    timeZone: c.timeZone,
    currency: c.currency,
    lastIssuedPeriod: last?.period ?? null,
    lastInvoiceNumber: last?.invoiceNumber ?? null,
  };
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const format = args.values.get('format') ?? 'table';
  const loaded = await loadGated('contracts', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const rows = ledger
    .contracts()
    .toSorted((a, b) => (a.contractId < b.contractId ? -1 : 1))
    .map(contractRow);
  const invalid = ledger.invalidEvents();
  if (format === 'json') {
    await out.line(JSON.stringify({ contracts: rows, invalidEvents: invalid.map(invalidJson) }, null, 2));
  } else if (format === 'csv') {
    for (const e of invalid) io.stderr.write(`${invalidLine(e)}\n`);
    await out.write(csvRow(CONTRACTS_CSV_HEADER));
    for (const r of rows) await out.write(csvRow(CONTRACTS_CSV_HEADER.map((k) => r[k])));
  } else {
    await out.line(`Contracts: ${plural(rows.length, 'contract', 'contracts')}`);
    if (rows.length > 0) {
      await out.line('');
      const table = renderTable(
        [
          { header: 'Contract' },
          { header: 'Customer' },
          { header: 'VM' },
          { header: 'SLA' },
          { header: 'Status' },
          { header: 'Booked (local)' },
          { header: 'Last issued' },
          { header: 'Number' },
        ],
        rows.map((r) => [
          r.contractId,
          r.customerId,
          r.vmId,
          r.sla,
          r.cancelledAt === null
            ? r.status
            : `cancelled ${localTime(r.cancelledAt, r.timeZone).slice(0, 10)}`,
          `${localTime(r.bookedAt, r.timeZone).slice(0, 10)} ${r.timeZone}`,
          r.lastIssuedPeriod ?? '—',
          r.lastInvoiceNumber ?? '—',
        ]),
      );
      for (const line of table) await out.line(line);
    }
    await printSkipped(out, invalid);
  }
  return E.right(EXIT.ok);
};

/** The `contracts` command. */
export const contractsCommand: Command = {
  name: 'contracts',
  summary: 'list the contracts: customer, VM, SLA, status, last issued period',
  options: [...SOURCE_OPTIONS, formatOption(['table', 'json', 'csv']), SKIP_INVALID],
  help: `Usage: msp-billing contracts (--events F | --store URL) [--format table|json|csv] [--skip-invalid]

List every contract of the log: customer, VM, SLA in force at the latest time the log knows of,
status (active, or cancelled with the date), booking date and time zone, and the last issued period
with its invoice number.

Options:
  --events F        the event log (NDJSON); - reads standard input
  --store URL       an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot     with --store: read every event, not from the store's latest snapshot
  --format F        table (default), json, csv
  --skip-invalid    go on despite invalid events and list them (default: print them, exit 2)
  --help            this text

Exit status: 0 printed; 2 user error or invalid events.
`,
  run,
};
