/**
 * Process glue of `msp-billing`: hands argv and the standard streams to `run()` and sets the exit
 * status. Nothing else lives here, so everything else is testable without spawning.
 */
import { run } from './main.js';

// A closed pipe (`msp-billing ledger … | head`) is not an error of ours: stop quietly. Any other
// failure to write the results is reported in one line, as every error of the command is.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`msp-billing: cannot write the output — ${err.code ?? err.message}\n`);
  process.exit(70);
});

process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
  env: process.env,
});
