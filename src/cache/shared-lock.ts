// The LoadLock on the shared DurableStore: a token set only where absent, released by compare-and-delete,
// waited on by polling. Fails fast while the store is away (callers then load without it).

import { createHash, randomUUID } from 'node:crypto';
import { SLEEP_NOT_NEEDED, systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { DurableStore } from '../core/store';
import { openStore } from '../store';
import type { LoadLock } from './load-lock';

export interface LoadLockOptions {
  /** Prepended to every lock key; "paperbot:v1:load-lock:" by default. */
  prefix?: string;
  /**
   * How long a holder keeps the lock unless it releases it first; a holder that died is waited for this long.
   * Longer than an interactive lookup's deadline (2.5 s); a slower (batch) load simply stops excluding others.
   */
  ttlMs?: number;
  /** How often waiters look whether the lock is gone. */
  pollMs?: number;
  /** Longest one store round trip may take before the lock counts as unavailable. */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** The lock on the process's shared store (closing the lock leaves the store open). */
export function createStoreLoadLock(store: DurableStore, o: LoadLockOptions = {}): LoadLock {
  const clock = o.clock ?? systemClock;
  const prefix = o.prefix ?? 'paperbot:v1:load-lock:';
  const ttlMs = o.ttlMs ?? 5000;
  const pollMs = o.pollMs ?? 20;
  const timeoutMs = o.timeoutMs ?? 500;
  const logger = (o.logger ?? silentLogger).child({ component: 'load-lock' });
  // Cache keys can be long; the lock key only needs to be the same on every replica.
  const lockKey = (key: string): string => prefix + createHash('sha1').update(key).digest('hex');

  /** One store call, failed after timeoutMs. */
  async function bounded<T>(work: () => Promise<T>): Promise<T> {
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
      if (!(await bounded(() => store.compareAndSet(name, undefined, token, ttlMs)))) return undefined;
      return async () => {
        try {
          await bounded(() => store.compareAndSet(name, token, undefined));
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
          if ((await bounded(() => store.get(name))) === undefined) return;
        } catch {
          return; // The store went away: stop waiting and let the caller load.
        }
        await clock.sleep(pollMs);
      }
    },
    close: async () => undefined,
  };
}

/** A lock with a Redis store of its own (tools and tests); closing the lock closes that store. */
export async function createRedisLoadLock(o: LoadLockOptions & { url: string }): Promise<LoadLock> {
  const logger = o.logger ?? silentLogger;
  const store = await openStore(
    { kind: 'redis', url: o.url, connectTimeoutMs: o.timeoutMs ?? 500 },
    { clock: o.clock ?? systemClock, logger },
  );
  return { ...createStoreLoadLock(store, o), close: () => store.close() };
}
