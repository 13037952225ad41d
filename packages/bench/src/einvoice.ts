/**
 * `pnpm bench:einvoice [-- --events 100k] [--seed N] [--repeat N] [--sample DIR]`: how fast every
 * issued invoice of a realistic log becomes an XRechnung e-invoice (spec §8), in UBL and in CII.
 * Not part of the test suite: it measures the machine.
 *
 * The log is the seeded scenario of `pnpm bench` (generated in memory), with a provider profile and
 * one profile per customer recorded before everything else (reverse charge for the customers of the
 * 0 % VAT zones). The Ledger is folded and the invoices rendered first; the timed part is the XML
 * alone: `eInvoiceXml` over every issued invoice with lines, best of `--repeat` runs. `--sample DIR`
 * also writes the first and a spread of further documents there, for validating a sample by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { createLedger, type Invoice, type IssuedWith } from '@msp-billing/billing';
import { eInvoiceXml, type EInvoiceSyntax } from '@msp-billing/einvoice';
import { decodeEvent } from '@msp-billing/events';
import { generateScenario, invoicingProfilesFor, scenarioForEventCount } from '@msp-billing/testing';
import { label, opt, parseSize } from './args.js';

const events = parseSize(opt('--events') ?? '100k');
const seed = Number(opt('--seed') ?? 1);
const repeat = Number(opt('--repeat') ?? 3);
const sampleDir = opt('--sample');

const log = [...generateScenario(scenarioForEventCount(events, seed))];
const profiles = invoicingProfilesFor(log);
const customers = profiles.length - 1;

const ledger = createLedger();
for (const w of [...profiles, ...log]) {
  const d = decodeEvent(w);
  if (E.isRight(d)) ledger.apply(d.right);
}
const issued: [Invoice, IssuedWith | undefined][] = ledger
  .issuedInvoices()
  .filter((inv) => inv.lines.length > 0)
  .map((inv) => [inv, ledger.issuedWith(inv.contractId, inv.period)]);
const lines = issued.reduce((n, [inv]) => n + inv.lines.length, 0);
console.log(
  `${label(events)} events (seed ${seed}): ${issued.length} issued invoices with lines, ${lines} lines, ${customers} customers`,
);

for (const syntax of ['ubl', 'cii'] as const satisfies readonly EInvoiceSyntax[]) {
  let best = Infinity;
  let bytes = 0;
  let refused = 0;
  for (let r = 0; r < repeat; r++) {
    bytes = 0;
    refused = 0;
    const started = performance.now();
    for (const [inv, w] of issued) {
      const xml = eInvoiceXml(inv, w, syntax);
      if (E.isLeft(xml)) refused += 1;
      else bytes += xml.right.length;
    }
    best = Math.min(best, performance.now() - started);
  }
  const perSecond = Math.round((issued.length - refused) / (best / 1000));
  console.log(
    `${syntax}: ${issued.length - refused} e-invoices in ${best.toFixed(0)} ms (best of ${repeat}) = ${perSecond.toLocaleString('en-US')} invoices/s, ${(bytes / 1e6).toFixed(1)} M characters, ${refused} refused`,
  );
  if (sampleDir !== undefined) {
    mkdirSync(sampleDir, { recursive: true });
    const step = Math.max(1, Math.floor(issued.length / 10));
    for (let i = 0; i < issued.length; i += step) {
      const [inv, w] = issued[i] as [Invoice, IssuedWith | undefined];
      const xml = eInvoiceXml(inv, w, syntax);
      if (E.isRight(xml)) writeFileSync(join(sampleDir, `${syntax}-${i}.xml`), xml.right);
    }
  }
}
