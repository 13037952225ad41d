/**
 * Compiles the `msp-billing` command into `dist/` (one ES module bundle, with the database drivers'
 * code split off so that they load only for `--store`): run as a `node` program, the command starts
 * in ~0.15 s instead of ~0.6 s through tsx. Runs on `pnpm install` (the root's `prepare`) and by
 * `pnpm --filter @msp-billing/cli build`.
 *
 * Next to the bundle it writes `dist/inputs.json`: every source file that went into it, with its size
 * and modification time. The launcher (bin/msp-billing.js) runs the bundle only while all of them
 * are unchanged, and the TypeScript sources through tsx otherwise, so an edited source is never
 * shadowed by an old build.
 *
 * Usage: node build.mjs [outdir]   (default: dist next to this file)
 */
import { build } from 'esbuild';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] ?? resolve(here, 'dist'));

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: ['src/bin.ts'],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  // Drivers stay packages of their own (dependencies of this package), loaded on first use.
  external: ['pg', 'pg-native', '@eventstore/db-client'],
  // Some dependencies are CommonJS and call require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

// Inputs are recorded relative to the output directory, so a moved checkout still matches.
const inputs = [];
for (const input of Object.keys(result.metafile.inputs)) {
  const file = resolve(here, input);
  const s = await stat(file);
  inputs.push([relative(outdir, file), s.size, s.mtimeMs]);
}
await writeFile(resolve(outdir, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
process.stdout.write(
  `msp-billing: compiled ${inputs.length} sources into ${relative(process.cwd(), outdir) || '.'}\n`,
);
