// Jest global setup and teardown: one redis-server of the test run's own on a free loopback port, so the
// suite never connects to the default port's Redis (on a developer's machine that one holds their data).
// Workers find it through PAPERBOT_TEST_REDIS_URL; without redis-server the Redis tests skip (redis.ts).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TEST_REDIS_ENV = 'PAPERBOT_TEST_REDIS_URL';
const PID_ENV = 'PAPERBOT_TEST_REDIS_PID';
const DIR_ENV = 'PAPERBOT_TEST_REDIS_DIR';
/** The process that started the server: only it stops it (a run inside a run must not stop its parent's). */
const OWNER_ENV = 'PAPERBOT_TEST_REDIS_OWNER';
/** Redis's default port: a developer's own Redis listens there, so no test URL may point at it. */
export const DEFAULT_REDIS_PORT = 6379;

/** A URL a test run may use: a server a test run started (loopback, never the default port). */
export function isTestRedisUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.hostname === '127.0.0.1' && u.port !== '' && Number(u.port) !== DEFAULT_REDIS_PORT;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(200);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

export default async function setup(): Promise<void> {
  // No test reaches a real signal service: workers and the processes they start inherit these.
  for (const name of ['EUROPEPMC_API_URL', 'UNPAYWALL_API_URL', 'CROSSREF_API_URL'])
    process.env[name] ??= 'off';
  // A developer's REDIS_URL (their own Redis, their data) never reaches a worker or a process a test starts.
  delete process.env.REDIS_URL;
  // A run inside a run (a test that starts Jest) reuses its parent's server; a URL set by hand is not trusted.
  const inherited = process.env[TEST_REDIS_ENV];
  if (inherited && process.env[PID_ENV] && isTestRedisUrl(inherited)) return;
  delete process.env[TEST_REDIS_ENV];
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write('\nredis-server is not installed: the Redis tests are skipped.\n');
    return;
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-test-redis-'));
  // Snapshots and the append-only file off: this server holds throwaway data for one run.
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  for (let i = 0; i < 100 && !(await answers(port)); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(port))) {
    child.kill('SIGKILL');
    throw new Error(`the test run's redis-server did not start on 127.0.0.1:${port}`);
  }
  process.env[TEST_REDIS_ENV] = `redis://127.0.0.1:${port}`;
  process.env[PID_ENV] = String(child.pid);
  process.env[DIR_ENV] = dir;
  process.env[OWNER_ENV] = String(process.pid);
}

export async function teardown(): Promise<void> {
  if (process.env[OWNER_ENV] !== String(process.pid)) return;
  const pid = Number(process.env[PID_ENV]);
  const dir = process.env[DIR_ENV];
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: nothing to stop.
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[TEST_REDIS_ENV];
}
