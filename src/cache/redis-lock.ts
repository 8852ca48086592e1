// The LoadLock on Redis: SET NX PX with a random token, released by a compare-and-delete script, waited on
// by polling. Fails fast while Redis is away (callers then load without it); what a failure means is theirs.

import { createHash, randomUUID } from 'node:crypto';
import { SLEEP_NOT_NEEDED, systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { LoadLock } from './load-lock';
import { openRedisConnection } from './redis-client';

export interface RedisLoadLockOptions {
  url: string;
  /** Prepended to every lock key; "paperbot:v1:load-lock:" by default. */
  prefix?: string;
  /**
   * How long a holder keeps the lock unless it releases it first; a holder that died is waited for this long.
   * Longer than an interactive lookup's deadline (2.5 s); a slower (batch) load simply stops excluding others.
   */
  ttlMs?: number;
  /** How often waiters look whether the lock is gone. */
  pollMs?: number;
  /** Longest one Redis round trip may take before the lock counts as unavailable. */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export async function createRedisLoadLock(o: RedisLoadLockOptions): Promise<LoadLock> {
  const clock = o.clock ?? systemClock;
  const prefix = o.prefix ?? 'paperbot:v1:load-lock:';
  const ttlMs = o.ttlMs ?? 5000;
  const pollMs = o.pollMs ?? 20;
  const timeoutMs = o.timeoutMs ?? 500;
  const logger = (o.logger ?? silentLogger).child({ component: 'load-lock' });
  const connection = await openRedisConnection({
    url: o.url,
    logger,
    clock,
    connectTimeoutMs: timeoutMs,
    purpose: 'load lock',
  });
  const { client } = connection;
  // Cache keys can be long; the lock key only needs to be the same on every replica.
  const lockKey = (key: string): string => prefix + createHash('sha1').update(key).digest('hex');

  /** One command, failed after timeoutMs or at once while disconnected. */
  async function bounded<T>(work: () => Promise<T>): Promise<T> {
    if (!connection.isReady()) throw new PaperbotError('cache_failure', 'load lock: redis is not connected');
    const stop = new AbortController();
    const timeout = clock.sleep(timeoutMs, stop.signal).then(
      () => Promise.reject(new PaperbotError('cache_failure', `load lock: no answer within ${timeoutMs} ms`)),
      () => undefined as never,
    );
    const pending = work();
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      stop.abort(SLEEP_NOT_NEEDED);
    }
  }

  return {
    async acquire(key) {
      const name = lockKey(key);
      const token = randomUUID();
      const taken = await bounded(() =>
        client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
      );
      if (taken !== 'OK') return undefined;
      return async () => {
        try {
          await bounded(() => client.eval(RELEASE_SCRIPT, { keys: [name], arguments: [token] }));
        } catch (err) {
          // The lock then expires by itself; waiters fall back to their own load at the latest by then.
          logger.debug({ err }, 'load lock not released; it expires');
        }
      };
    },
    async released(key) {
      const name = lockKey(key);
      const until = clock.now() + ttlMs + pollMs;
      while (clock.now() < until) {
        try {
          if ((await bounded(() => client.exists(name))) === 0) return;
        } catch {
          return; // Redis went away: stop waiting and let the caller load.
        }
        await clock.sleep(pollMs);
      }
    },
    close: () => connection.close(),
  };
}
