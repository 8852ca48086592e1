// What the load benchmarks share: a replica laid out like the container's /app, run with the container's Node
// options, and its resident memory read from /proc. The load each bench puts on it is the bench's own.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** The runtime's Node options as the container sets them (the Dockerfile's ENV NODE_OPTIONS). */
function containerNodeOptions(): string {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  return /^ENV NODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1] ?? '';
}
/** BENCH_LOAD_NODE_OPTIONS overrides them, e.g. '' for V8's own heap sizing. */
export const NODE_OPTIONS = process.env.BENCH_LOAD_NODE_OPTIONS ?? containerNodeOptions();

/**
 * The container's /app, built here: compiled dist/, bin/, the seed data and the project's node_modules. The
 * replica then runs `node bin/paperbot.js serve` as in production (running from source would add the
 * TypeScript loader's own memory to every figure).
 */
export function buildApp(): string {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-app-'));
  const tsc = spawnSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      path.join(app, 'dist'),
    ],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error('tsc failed');
  fs.cpSync(path.join(ROOT, 'bin'), path.join(app, 'bin'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'data', 'seed'), path.join(app, 'data', 'seed'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  return app;
}

export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** CPU time the process has used so far (user + system), in ms; Linux counts it in 10 ms ticks. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
