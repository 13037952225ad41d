/**
 * `pnpm bench:snapshot [-- --events FILE]`: what a snapshot of the Ledger costs and saves on an
 * NDJSON log (by default the 1M log `pnpm bench -- --sizes 1m` writes): the full fold of the file,
 * writing a snapshot of it (time and size), reading it back (the first time and the best of three,
 * with the folded Ledger let go), and, as a check, that the restored Ledger lists the same entries
 * and issued invoices. Not part of the test suite: it measures the machine.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { createLedger, foldNdjson, readSnapshot, writeSnapshot, type Ledger } from '@msp-billing/billing';
import { keepReaderIds } from '@msp-billing/billing/internal';
import { benchDir, opt } from './args.js';

const file = opt('--events') ?? resolve(benchDir, 'scenario-1M-s1.ndjson');

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const digest = (ledger: Ledger): string => {
  const h = createHash('sha256');
  for (const e of ledger.eachEntry()) h.update(JSON.stringify(e));
  h.update(JSON.stringify(ledger.issuedInvoices()));
  return h.digest('hex').slice(0, 16);
};

let t = process.hrtime.bigint();
let ledger: Ledger | undefined = createLedger({ dedupe: false });
keepReaderIds(ledger);
const { stats } = await foldNdjson(createReadStream(file), { into: ledger });
const fold = ms(t);

t = process.hrtime.bigint();
const bytes = writeSnapshot(ledger, { file });
const write = ms(t);
const expected = digest(ledger);
// The folded Ledger is let go before the restores, as in a process that starts from the snapshot.
ledger = undefined;

const restores: number[] = [];
let restored: Ledger | undefined;
for (let k = 0; k < 3; k++) {
  restored = undefined;
  globalThis.gc?.();
  t = process.hrtime.bigint();
  const read = readSnapshot(bytes, { dedupe: false });
  restores.push(ms(t));
  if (read._tag !== 'Restored') throw new Error(read.message);
  restored = read.ledger;
}
const same = restored !== undefined && digest(restored) === expected;
const [first = 0, ...more] = restores;
const best = Math.min(first, ...more);

console.log(`${file}: ${stats.events} events, ${stats.lines} lines`);
console.log(`full fold            ${fold.toFixed(0)} ms`);
console.log(`write snapshot       ${write.toFixed(0)} ms, ${(bytes.byteLength / 1e6).toFixed(1)} MB`);
console.log(
  `restore              ${first.toFixed(0)} ms first, ${best.toFixed(0)} ms best of 3 (${((100 * best) / fold).toFixed(1)} % of the fold)`,
);
console.log(`same entries/issued  ${same ? 'yes' : 'NO'}`);
if (!same) process.exitCode = 1;
