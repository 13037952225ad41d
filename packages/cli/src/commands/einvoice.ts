/**
 * `msp-billing einvoice`: the XRechnung 3.0 e-invoice (spec §8) of one issued invoice on standard
 * output, or of every issued invoice into a folder (`--all --out-dir DIR`), in UBL 2.1 (default) or
 * CII D16B. Everything is checked before anything is written: an invoice that has no e-invoice (a
 * draft, a missing profile, …), two invoice numbers that would share a file name, and a file that
 * exists with other content (unless `--force`) stop the command with one line each and exit 2. A file
 * that exists with the same content is left alone, so a second run writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Invoice, Ledger } from '@msp-billing/billing';
import { EINVOICE_SYNTAXES, eInvoiceDocument, eInvoiceXml, type EInvoiceSyntax } from '@msp-billing/einvoice';
import { checkPeriod, required, type ParsedArgs } from '../args.js';
import { SKIP_INVALID, fromQueryError, loadGated, type Command } from '../command.js';
import { EXIT, userError, type UserError } from '../errors.js';
import type { CliIo, Output } from '../io.js';
import { SOURCE_OPTIONS, invalidLine } from '../source.js';

/** The file name of an invoice's e-invoice: characters outside `A-Za-z0-9._-` replaced by `_`. */
export const eInvoiceFileName = (invoiceNumber: string): string =>
  `${invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`;

/** The progress line of `--all`: on a TTY stderr only, from its second second, ≤ 5 times a second. */
const allProgress = (io: CliIo, total: number) => {
  const now = io.now ?? (() => performance.now());
  const started = now();
  let shown = false;
  let last = -Infinity;
  return {
    at(done: number): void {
      if (!io.isTTY) return;
      const t = now();
      if (t - started < 1000 || t - last < 200) return;
      last = t;
      io.stderr.write(
        `\r\u001b[Ke-invoices: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
      );
      shown = true;
    },
    end(): void {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
};

const refusedError = (message: string): UserError => userError('EInvoiceRefused', 'einvoice', message);

const readIfExists = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

/** Write `text` to `path` whole or not at all (a temporary file renamed into place). */
const writeWhole = async (path: string, text: string): Promise<void> => {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
};

const one = async (
  args: ParsedArgs,
  io: CliIo,
  out: Output,
  syntax: EInvoiceSyntax,
): Promise<E.Either<UserError, number>> => {
  const contract = required('einvoice', args, 'contract', 'the contract id, or --all');
  if (E.isLeft(contract)) return contract;
  const periodArg = required('einvoice', args, 'period', 'the month, YYYY-MM');
  if (E.isLeft(periodArg)) return periodArg;
  const period = checkPeriod(periodArg.right);
  if (E.isLeft(period)) return period;
  const loaded = await loadGated('einvoice', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  const inv = ledger.invoice(contract.right, period.right);
  if (E.isLeft(inv)) return E.left(fromQueryError(inv.left, ledger));
  const xml = eInvoiceXml(inv.right, ledger.issuedWith(contract.right, period.right), syntax);
  if (E.isLeft(xml)) return E.left(refusedError(xml.left.message));
  // Invalid events skipped (--skip-invalid) go to stderr: standard output is the document alone.
  for (const e of ledger.invalidEvents()) io.stderr.write(`${invalidLine(e)}\n`);
  await out.write(xml.right);
  return E.right(EXIT.ok);
};

/** What `--all` found before writing: the invoices to write, and every reason not to. */
const plan = (ledger: Ledger): { invoices: Invoice[]; empty: number; problems: string[] } => {
  const invoices: Invoice[] = [];
  const problems: string[] = [];
  const byFile = new Map<string, string>();
  let empty = 0;
  for (const inv of ledger.issuedInvoices()) {
    if (inv.lines.length === 0) {
      empty += 1;
      continue;
    }
    const number = inv.invoiceNumber as string;
    const doc = eInvoiceDocument(inv, ledger.issuedWith(inv.contractId, inv.period));
    if (E.isLeft(doc)) problems.push(doc.left.message);
    const file = eInvoiceFileName(number);
    const other = byFile.get(file);
    if (other !== undefined)
      problems.push(`invoices ${other} and ${number} would both be written to ${file}; rename one of them`);
    else byFile.set(file, number);
    invoices.push(inv);
  }
  return { invoices, empty, problems };
};

const all = async (
  args: ParsedArgs,
  io: CliIo,
  out: Output,
  syntax: EInvoiceSyntax,
): Promise<E.Either<UserError, number>> => {
  for (const name of ['contract', 'period'])
    if (args.values.has(name))
      return E.left(userError('BadOptionValue', `einvoice --${name}`, 'is not taken with --all'));
  const dir = required('einvoice', args, 'out-dir', 'the folder to write the e-invoices to, with --all');
  if (E.isLeft(dir)) return dir;
  const force = args.flags.has('force');
  const loaded = await loadGated('einvoice', args, io);
  if (E.isLeft(loaded)) return loaded;
  if (loaded.right === undefined) return E.right(EXIT.usage);
  const { ledger } = loaded.right;
  for (const e of ledger.invalidEvents()) io.stderr.write(`${invalidLine(e)}\n`);

  const { invoices, empty, problems } = plan(ledger);
  const xmlOf = (inv: Invoice): string => {
    const r = eInvoiceXml(inv, ledger.issuedWith(inv.contractId, inv.period), syntax);
    if (E.isLeft(r)) throw new Error(`e-invoice refused after planning: ${r.left.message}`);
    return r.right;
  };
  // Files that exist with other content: refused unless --force, before anything is written.
  const existing = new Map<string, string>();
  for (const inv of problems.length > 0 ? [] : invoices) {
    const path = join(dir.right, eInvoiceFileName(inv.invoiceNumber as string));
    let before: string | undefined;
    try {
      before = await readIfExists(path);
    } catch (err) {
      return E.left(
        userError('OutputUnwritable', `--out-dir ${JSON.stringify(dir.right)}`, (err as Error).message),
      );
    }
    if (before === undefined) continue;
    existing.set(path, before);
    if (!force && before !== xmlOf(inv))
      problems.push(`${path} exists with other content (use --force to replace it)`);
  }
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`msp-billing: einvoice — ${p}\n`);
    return E.right(EXIT.usage);
  }

  try {
    await mkdir(dir.right, { recursive: true });
  } catch (err) {
    return E.left(
      userError('OutputUnwritable', `--out-dir ${JSON.stringify(dir.right)}`, (err as Error).message),
    );
  }
  const bar = allProgress(io, invoices.length);
  let written = 0;
  let unchanged = 0;
  for (const [i, inv] of invoices.entries()) {
    const path = join(dir.right, eInvoiceFileName(inv.invoiceNumber as string));
    const xml = xmlOf(inv);
    if (existing.get(path) === xml) unchanged += 1;
    else {
      try {
        await writeWhole(path, xml);
      } catch (err) {
        bar.end();
        return E.left(userError('OutputUnwritable', path, `could not be written: ${(err as Error).message}`));
      }
      written += 1;
    }
    bar.at(i + 1);
  }
  bar.end();
  const passed =
    empty === 0 ? '' : `; ${empty} issued invoice${empty === 1 ? '' : 's'} without lines passed over`;
  await out.line(
    `wrote ${written} e-invoice${written === 1 ? '' : 's'} (${syntax}) to ${dir.right}; ${unchanged} unchanged${passed}`,
  );
  return E.right(EXIT.ok);
};

const run: Command['run'] = async (args, io, out) => {
  const syntax = (args.values.get('syntax') ?? 'ubl') as EInvoiceSyntax;
  return args.flags.has('all') ? all(args, io, out, syntax) : one(args, io, out, syntax);
};

/** The `einvoice` command. */
export const einvoiceCommand: Command = {
  name: 'einvoice',
  summary: 'write issued invoices as XRechnung 3.0 e-invoices (UBL or CII XML)',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'contract', kind: 'string' },
    { name: 'period', kind: 'string' },
    { name: 'all', kind: 'flag' },
    { name: 'out-dir', kind: 'string' },
    { name: 'force', kind: 'flag' },
    { name: 'syntax', kind: 'string', values: EINVOICE_SYNTAXES },
    SKIP_INVALID,
  ],
  help: `Usage: msp-billing einvoice (--events F | --store URL) --contract C --period YYYY-MM [--syntax ubl|cii] [--skip-invalid]
       msp-billing einvoice (--events F | --store URL) --all --out-dir DIR [--syntax ubl|cii] [--force] [--skip-invalid]

Print the XRechnung 3.0 e-invoice (EN 16931) of the issued invoice (C, P), or write one file per
issued invoice to DIR/<invoiceNumber>.xml (characters outside A-Za-z0-9._- replaced by _). The
provider's and the customer's profiles (ProviderProfileSet, CustomerProfileSet) in force when the
invoice was issued fill the parties; a negative net makes a credit note. Nothing is written when an
invoice has no e-invoice (a draft, a skipped period, no lines, a missing profile): one line says why.

Options:
  --events F        the event log (NDJSON); - reads standard input
  --store URL       an event store instead (postgres://…, esdb://…), read in global order
  --no-snapshot     with --store: read every event, not from the store's latest snapshot
  --contract C      the contract id
  --period YYYY-MM  the billing month
  --all             every issued invoice (issued invoices without lines are passed over and counted)
  --out-dir DIR     with --all: the folder; a file with the same content is left alone
  --force           with --all: replace files that exist with other content (default: refuse, exit 2)
  --syntax S        ubl (default, UBL 2.1 Invoice/CreditNote) or cii (UN/CEFACT CII D16B)
  --skip-invalid    go on despite invalid events and list them on stderr (default: print them, exit 2)
  --help            this text

Exit status: 0 printed or written; 2 user error, refusal or invalid events.
`,
  run,
};
