// Redis for tests, always the test run's own redis-server (redis-run.ts starts it on a free port; the suite
// never connects to the default port's Redis). leaseRedisDb: a numbered database no other test file uses meanwhile (replicas share
// every key in it, so a key prefix cannot isolate them). startOwnRedis: a server a test may stop and restart.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort } from './replicas';
import { isTestRedisUrl, TEST_REDIS_ENV } from './redis-run';

/** Whether this run has its own redis-server (it has not where redis-server is not installed). */
export const redisAvailable = Boolean(process.env[TEST_REDIS_ENV]);

/** The run's own Redis, database 0 (tests there keep to a key prefix of their own). */
export function testRedisUrl(): string {
  const url = process.env[TEST_REDIS_ENV];
  if (!url)
    throw new Error('no test Redis: run the suite through Jest (test/support/redis-run.ts starts one)');
  if (!isTestRedisUrl(url))
    throw new Error(`not a test Redis (${url}): tests use only the server test/support/redis-run.ts starts`);
  return url;
}
const LEASE_PREFIX = 'paperbot-test:db-lease:';
const LEASE_SECONDS = 300;

export interface RedisDb {
  /** redis://127.0.0.1:<the run's port>/<n>: give it to the replicas as REDIS_URL. */
  url: string;
  db: number;
  /** Empties the database and gives it back. */
  release(): Promise<void>;
}

/** Leases one of databases 1–15 of the run's Redis (db 0 holds prefixed keys) and empties it. */
export async function leaseRedisDb(): Promise<RedisDb> {
  const shared = testRedisUrl();
  const control = createClient({ url: shared });
  await control.connect();
  const token = randomUUID();
  try {
    for (let db = 1; db <= 15; db += 1) {
      const taken = await control.set(`${LEASE_PREFIX}${db}`, token, {
        condition: 'NX',
        expiration: { type: 'EX', value: LEASE_SECONDS },
      });
      if (taken !== 'OK') continue;
      const url = `${shared}/${db}`;
      const data = createClient({ url });
      await data.connect();
      await data.flushDb();
      await data.close();
      return {
        url,
        db,
        async release() {
          const cleanup = createClient({ url });
          await cleanup.connect();
          await cleanup.flushDb();
          await cleanup.close();
          const lease = createClient({ url: shared });
          await lease.connect();
          if ((await lease.get(`${LEASE_PREFIX}${db}`)) === token) await lease.del(`${LEASE_PREFIX}${db}`);
          await lease.close();
        },
      };
    }
  } finally {
    await control.close();
  }
  throw new Error('no free Redis database among 1–15: other test runs hold them all');
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Shuts the server down (SIGTERM: it writes its append-only file first, as a managed Redis would). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

/**
 * A redis-server on a free port with the append-only file on (durable state must survive a restart, as
 * DESIGN.md asks of production Redis) and RDB snapshots off.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function answers(): Promise<boolean> {
    const probe = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 200 } });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      await probe.close();
      return true;
    } catch {
      probe.destroy();
      return false;
    }
  }

  async function start(): Promise<void> {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i += 1) {
      if (await answers()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not start`);
  }

  async function stop(): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    url,
    port,
    stop,
    start,
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
