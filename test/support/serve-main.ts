// `paperbot` from source, for tests that need it as its own process (bin/paperbot.js runs the compiled dist/).
// Usage: node -r @swc-node/register test/support/serve-main.ts serve

import { main } from '../../adapters/cli/main';

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`paperbot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
