/**
 * `msp-billing datev --events F --month YYYY-MM --consultant N --client N [--fiscal-year-start MM-DD]
 * [--revenue-account N] [--reverse-charge-account N] [--out FILE] [--skip-invalid]`: the DATEV booking
 * batch of the invoices issued in the month (spec §8), as Windows-1252 bytes on standard output or in
 * FILE. Every reason the batch cannot be written is printed, one line each, before anything else
 * (exit 2); nothing is written then, not even an empty file.
 */
import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { calendarDateOf, type Ledger } from '@msp-billing/billing';
import { datevBatch, datevSettings, type DatevInvoice, type DatevOptions } from '@msp-billing/datev';
import { required } from '../args.js';
import { SKIP_INVALID, loadGated, type Command } from '../command.js';
import { EXIT, formatUserError, userError, type UserError } from '../errors.js';
import { plural } from '../format/table.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidLine } from '../source.js';

/** The month's candidates: every issued invoice with what it was issued with (spec §8). */
export const datevInvoicesOf = (ledger: Ledger): DatevInvoice[] =>
  ledger.issuedInvoices().map((inv) => {
    const w = ledger.issuedWith(inv.contractId, inv.period);
    if (w === undefined)
      throw new Error(`issued invoice ${inv.contractId} ${inv.period} without its issue facts`);
    return {
      contractId: inv.contractId,
      period: inv.period,
      invoiceNumber: inv.invoiceNumber as string,
      currency: inv.currency,
      gross: inv.gross,
      issuedOn: calendarDateOf(w.issuedAt, w.timeZone),
      customerId: w.customerId,
      debtorAccount: w.customer?.debtorAccount,
      reverseCharge: w.customer?.reverseCharge ?? false,
    };
  });

/** The creation time of the header: now, or `SOURCE_DATE_EPOCH` (seconds) for reproducible output. */
const createdAt = (io: CliIo): E.Either<UserError, number> => {
  const epoch = io.env?.['SOURCE_DATE_EPOCH'];
  if (epoch === undefined || epoch === '') return E.right(Date.now());
  return /^[0-9]{1,11}$/.test(epoch)
    ? E.right(Number(epoch) * 1000)
    : E.left(
        userError(
          'BadOptionValue',
          `SOURCE_DATE_EPOCH ${JSON.stringify(epoch)}`,
          'must be whole seconds since 1970',
        ),
      );
};

const run: Command['run'] = async (args, io: CliIo, out: Output) => {
  const hints: [keyof DatevOptions, string][] = [
    ['month', 'the month of the batch, YYYY-MM'],
    ['consultant', 'the Beraternummer of the tax adviser'],
    ['client', 'the Mandantennummer of the provider'],
  ];
  for (const [name, hint] of hints) {
    const v = required('datev', args, name, hint);
    if (E.isLeft(v)) return v;
  }
  const value = (name: string): string | undefined => args.values.get(name);
  const settings = datevSettings({
    month: value('month') as string,
    consultant: value('consultant') as string,
    client: value('client') as string,
    ...(value('fiscal-year-start') === undefined ? {} : { fiscalYearStart: value('fiscal-year-start') }),
    ...(value('revenue-account') === undefined ? {} : { revenueAccount: value('revenue-account') }),
    ...(value('reverse-charge-account') === undefined
      ? {}
      : { reverseChargeAccount: value('reverse-charge-account') }),
  });
  if (E.isLeft(settings))
    return E.left(
      userError(
        'BadOptionValue',
        `--${settings.left.option} ${JSON.stringify(settings.left.value)}`,
        settings.left.reason,
      ),
    );
  const outPath = value('out');
  if (outPath === '') return E.left(userError('MissingOption', 'datev --out', 'needs a file name'));
  const created = createdAt(io);
  if (E.isLeft(created)) return created;

  const loaded = await loadGated('datev', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const month = settings.right.month;

  const batch = datevBatch(settings.right, datevInvoicesOf(ledger), created.right);
  if (E.isLeft(batch)) {
    // Every case, one line each, and nothing on standard output.
    for (const r of batch.left)
      io.stderr.write(
        `${formatUserError(userError('BadOptionValue', `datev --month ${month}`, r.message))}\n`,
      );
    return E.right(EXIT.usage);
  }
  // Standard output carries only the batch: skipped invalid events and notes go to stderr.
  for (const e of ledger.invalidEvents()) io.stderr.write(`${invalidLine(e)}\n`);
  for (const inv of batch.right.leftOut)
    io.stderr.write(
      `note: invoice ${inv.invoiceNumber} (${inv.contractId} ${inv.period}) has gross 0.00: nothing to book, left out\n`,
    );
  const n = batch.right.booked.length;
  if (n === 0)
    io.stderr.write(`note: no invoice with an amount was issued in ${month}: the batch has no bookings\n`);
  if (outPath === undefined) {
    await out.bytes(batch.right.bytes);
    return E.right(EXIT.ok);
  }
  try {
    await writeFile(outPath, batch.right.bytes);
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    return E.left(
      userError(
        'OutputUnwritable',
        `--out ${JSON.stringify(outPath)}`,
        `cannot write: ${String(code ?? err)}`,
      ),
    );
  }
  await out.line(`${plural(n, 'booking', 'bookings')} of ${month} written to ${outPath}`);
  return E.right(EXIT.ok);
};

/** The `datev` command. */
export const datevCommand: Command = {
  name: 'datev',
  summary: "write the month's issued invoices as a DATEV booking batch (EXTF Buchungsstapel)",
  options: [
    ...SOURCE_OPTIONS,
    { name: 'month', kind: 'string' },
    { name: 'consultant', kind: 'string' },
    { name: 'client', kind: 'string' },
    { name: 'fiscal-year-start', kind: 'string' },
    { name: 'revenue-account', kind: 'string' },
    { name: 'reverse-charge-account', kind: 'string' },
    { name: 'out', kind: 'string' },
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing datev (--events F | --store URL) --month YYYY-MM --consultant N --client N [--fiscal-year-start MM-DD] [--revenue-account N] [--reverse-charge-account N] [--out FILE] [--skip-invalid]

Write the DATEV booking batch ("EXTF" 700, Buchungsstapel 13) of the invoices issued in the month
(by issue date in the contract's time zone): one booking per invoice, its gross amount on the
customer's debtorAccount (from its CustomerProfileSet) against the revenue account. Windows-1252,
";"-separated, CRLF line ends. A batch that cannot be written is refused with every reason, one line
each, and nothing is written.

Options:
  --events F                  the event log (NDJSON); - reads standard input
  --store URL                 an event store instead (postgres://…, esdb://…)
  --no-snapshot               with --store: read every event, not from the store's latest snapshot
  --month YYYY-MM             the month whose issued invoices are booked
  --consultant N              the tax adviser's Beraternummer (1001–9999999)
  --client N                  the provider's Mandantennummer at the adviser (1–99999)
  --fiscal-year-start MM-DD   first day of the fiscal year (default 01-01)
  --revenue-account N         revenue G/L account, 4–8 digits (default 8400); its length is the
                              batch's account length, and debtor accounts have one digit more
  --reverse-charge-account N  revenue account of reverse-charge customers (needed when the month has one)
  --out FILE                  write the batch to FILE instead of standard output
  --skip-invalid              go on despite invalid events and list them on stderr (default: exit 2)
  --help                      this text

Environment: SOURCE_DATE_EPOCH (seconds) fixes the batch's creation time, for reproducible output.

Exit status: 0 written; 2 user error, refusal or invalid events.
`,
  run,
};
