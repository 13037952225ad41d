/**
 * `pnpm demo` end to end: the program runs from the repository root, exits 0, and every invoice it
 * prints carries the totals the Ledger computes for the same seeded scenario, folded here
 * independently (straight from the generator, without the store the demo goes through).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '@msp-billing/events';
import { createLedger, Dec, ZERO, formatMoney } from '@msp-billing/billing';
import { demoScenarioOptions, generateScenario } from '../src/scenario.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Printed {
  status: string;
  net?: string;
  vat?: string;
  gross?: string;
}

/** The invoices in the demo's output, by `contract/period`. */
const printedInvoices = (text: string): Map<string, Printed> => {
  const out = new Map<string, Printed>();
  let contract = '';
  let current: Printed | undefined;
  for (const line of text.split('\n')) {
    const c = /^Contract (\S+)/.exec(line);
    if (c !== null) contract = c[1] as string;
    const head = /^ {2}(Invoice \S+|Draft invoice) · period (\d{4}-\d{2}) · (\w+)/.exec(line);
    if (head !== null) {
      current = { status: head[3] as string };
      out.set(`${contract}/${head[2]}`, current);
    }
    const money = /^\s+(net|VAT [\d.]+ %|gross)\s+(-?\d+\.\d{2}) [A-Z]{3}$/.exec(line);
    if (money !== null && current !== undefined) {
      const key = money[1]?.startsWith('VAT') === true ? 'vat' : (money[1] as 'net' | 'gross');
      current[key] = money[2] as string;
    }
  }
  return out;
};

describe('pnpm demo', () => {
  it('prints invoices whose totals are the Ledger totals of the same scenario', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/demo.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^msp-billing demo — Managed Service Package billing, seed 42\n/);

    const options = demoScenarioOptions(42);
    const ledger = createLedger();
    for (const wire of generateScenario(options)) {
      const d = decodeEvent(wire);
      if (d._tag === 'Left') throw new Error(d.left.message);
      ledger.apply(d.right);
    }
    expect(ledger.invalidEvents()).toEqual([]);

    const printed = printedInvoices(run.stdout);
    const periods = ['2026-09', '2026-10'];
    expect(printed.size).toBe(ledger.contractIds().length * periods.length);
    for (const contractId of ledger.contractIds()) {
      for (const period of periods) {
        const r = ledger.invoice(contractId, period);
        if (r._tag === 'Left') throw new Error(r.left.message);
        const inv = r.right;
        expect(printed.get(`${contractId}/${period}`), `${contractId} ${period}`).toEqual({
          status: inv.status,
          net: inv.net,
          vat: inv.vat,
          gross: inv.gross,
        });
      }
    }
    // September was issued, October is the open draft.
    expect([...printed.values()].map((p) => p.status)).toEqual(
      ledger.contractIds().flatMap(() => ['issued', 'draft']),
    );

    let billable: Dec = ZERO;
    for (const e of ledger.entries()) if (e.amount !== null) billable = billable.plus(new Dec(e.amount));
    expect(run.stdout).toContain(`billable total (net, current amounts): ${formatMoney(billable)} EUR`);
  });

  it('is deterministic for a seed', () => {
    const a = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/demo.ts', '--seed', '7'], {
      cwd: root,
      encoding: 'utf8',
    });
    const b = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/demo.ts', '--seed', '7'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('seed 7');
  });
});
