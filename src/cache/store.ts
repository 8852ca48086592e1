// The CacheStore over the shared DurableStore: per-operation time bounds and stable errors, so a stalled
// store only ever costs a call its bound. Caching policy is cached()'s; keys are ./keys.ts's.

import { SLEEP_NOT_NEEDED, systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { CacheStore } from '../core/ports';
import type { DurableStore } from '../core/store';
import { openStore } from '../store';

export type CacheStoreOptions =
  { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string } | { kind: 'memory' };

export interface CacheStoreDeps {
  logger?: Logger;
  /** Drives the per-operation time bound (and, for a store opened here, expiry); the system clock by default. */
  clock?: Clock;
  /** Longest a single store operation may take before it is failed (so callers go to the source). */
  opTimeoutMs?: number;
}

export const DEFAULT_OP_TIMEOUT_MS = 500;

/**
 * The cache on the process's shared store. `release` runs on close: nothing by default, since the shared
 * store is the composition root's to close.
 */
export function cacheOnStore(
  store: DurableStore,
  deps: CacheStoreDeps = {},
  kind: string = store.kind,
  release: () => Promise<void> = async () => undefined,
): CacheStore {
  const clock = deps.clock ?? systemClock;
  const opTimeoutMs = deps.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  let closed = false;

  /** Fails an operation that outlives opTimeoutMs (a stalled socket must not stall a reply). */
  const bounded = async <T>(op: string, work: () => Promise<T>): Promise<T> => {
    if (closed)
      throw new PaperbotError('cache_failure', `cache store (${kind}) is closed`, { retryable: false });
    const timer = new AbortController();
    const timeout = clock.sleep(opTimeoutMs, timer.signal).then(
      () => {
        throw new PaperbotError('cache_failure', `cache ${op} (${kind}) took longer than ${opTimeoutMs} ms`);
      },
      () => undefined as never,
    );
    const pending = (async () => work())();
    // If the timeout wins, a later rejection of the abandoned call must not surface as unhandled.
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, timeout]);
    } catch (err) {
      if (err instanceof PaperbotError) throw err;
      throw new PaperbotError('cache_failure', `cache ${op} (${kind}) failed`, { cause: err });
    } finally {
      timer.abort(SLEEP_NOT_NEEDED);
    }
  };

  return {
    kind,
    get: <T>(key: string) => bounded('get', () => store.get<T>(key)),
    getMany: <T>(keys: string[]) =>
      bounded('getMany', async () => (keys.length === 0 ? [] : store.getMany<T>(keys))),
    // A non-positive TTL means "already expired" (never "forever"): the store deletes the entry.
    set: <T>(key: string, value: T, ttlMs: number) => bounded('set', () => store.set(key, value, ttlMs)),
    delete: (key: string) => bounded('delete', () => store.delete(key)),
    close: async () => {
      if (closed) return;
      closed = true;
      await release();
    },
  };
}

/**
 * A cache with a store of its own (tools, tests, benches); "memory" is an in-memory SQLite database.
 * Closing the cache closes that store.
 */
export async function createCacheStore(
  options: CacheStoreOptions,
  deps: CacheStoreDeps = {},
): Promise<CacheStore> {
  const clock = deps.clock ?? systemClock;
  const logger = (deps.logger ?? silentLogger).child({ component: 'cache', store: options.kind });
  const store = await openStore(
    options.kind === 'memory'
      ? { kind: 'sqlite', path: ':memory:' }
      : options.kind === 'redis'
        ? { ...options, connectTimeoutMs: deps.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS }
        : options,
    { clock, logger },
  );
  return cacheOnStore(store, { ...deps, clock, logger }, options.kind, () => store.close());
}
