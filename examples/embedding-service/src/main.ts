/**
 * Run the embedding-service example: `PORT` (default 8080), `DATABASE_URL` for PostgreSQL (else the
 * events live in memory and are gone when the process ends). Stops cleanly on SIGINT/SIGTERM so a
 * PostgreSQL pool is released.
 */
import { startServer } from './server.js';

const port = Number(process.env['PORT'] ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be an integer 0..65535, got ${JSON.stringify(process.env['PORT'])}`);
  process.exit(2);
}

const server = await startServer({ port, host: process.env['HOST'] ?? '127.0.0.1' });
console.log(`msp-billing example service listening on ${server.url}`);

const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
