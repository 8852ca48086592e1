#!/usr/bin/env node
// The `paperbot` command: runs the compiled CLI (npm ci builds it through the prepare script).
'use strict';
let cli;
try {
  cli = require('../dist/adapters/cli/main.js');
} catch (error) {
  if (
    error &&
    error.code === 'MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/adapters/cli/main.js')
  ) {
    process.stderr.write(
      'paperbot is not built yet: run `npm ci` (or `npm run build`) in the project first.\n',
    );
    process.exit(2);
  }
  throw error;
}
cli
  .main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`paperbot: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
