// The CacheStore factory: one keyv instance over SQLite (embedded default), Redis (shared) or a Map.
// It owns construction, error plumbing, per-operation time bounds and close(); caching policy is cached()'s.

import { Keyv, type DeserializedData, type Deserialize, type KeyvStoreAdapter } from 'keyv';
import { SLEEP_NOT_NEEDED, systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { CacheStore } from '../core/ports';
import { describeError } from './describe';
import { openRedisBackend } from './redis-store';
import { openSqliteBackend } from './sqlite-store';

export type CacheStoreOptions =
  { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string } | { kind: 'memory' };

export interface CacheStoreDeps {
  logger?: Logger;
  /** Drives the per-operation time bound; the system clock by default. */
  clock?: Clock;
  /** Longest a single store operation may take before it is failed (so callers go to the source). */
  opTimeoutMs?: number;
}

/** Keyv namespace: with Redis, keys become `paperbot::<key>` and clear() touches only ours. */
export const CACHE_NAMESPACE = 'paperbot';
export const DEFAULT_OP_TIMEOUT_MS = 500;

/** What a backend hands the wrapper: a keyv store adapter (or Map) and how to release it. */
export interface Backend {
  adapter: KeyvStoreAdapter | Map<unknown, unknown>;
  release(): Promise<void>;
}

export async function createCacheStore(
  options: CacheStoreOptions,
  deps: CacheStoreDeps = {},
): Promise<CacheStore> {
  const logger = (deps.logger ?? silentLogger).child({ component: 'cache', store: options.kind });
  const clock = deps.clock ?? systemClock;
  const opTimeoutMs = deps.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  const backend = await openBackend(options, { logger, clock, connectTimeoutMs: opTimeoutMs });
  return wrapKeyv(options.kind, backend, { logger, clock, opTimeoutMs });
}

async function openBackend(
  options: CacheStoreOptions,
  deps: { logger: Logger; clock: Clock; connectTimeoutMs: number },
): Promise<Backend> {
  switch (options.kind) {
    case 'memory':
      return { adapter: new Map<unknown, unknown>(), release: async () => undefined };
    case 'sqlite': {
      return openSqliteBackend(options.path, deps);
    }
    case 'redis': {
      return openRedisBackend(options.url, CACHE_NAMESPACE, deps);
    }
  }
}

const parseEntry: Deserialize = <Value>(text: string) => JSON.parse(text) as DeserializedData<Value>;

function wrapKeyv(
  kind: string,
  backend: Backend,
  { logger, clock, opTimeoutMs }: { logger: Logger; clock: Clock; opTimeoutMs: number },
): CacheStore {
  // useKeyPrefix false: keyv 5 prefixes get() and getMany() inconsistently for keys that already start
  // with the namespace; backends that share a keyspace (Redis) namespace keys themselves.
  const keyv = new Keyv({
    store: backend.adapter,
    namespace: CACHE_NAMESPACE,
    useKeyPrefix: false,
    throwOnErrors: true,
    // Plain JSON: keyv's default reviver (Buffers, BigInts) visits every node of every entry read, about a
    // tenth of a warm reply's CPU; our values are plain JSON. Entries written the old way live under the
    // previous CACHE_KEY_VERSION and are never read.
    serialize: JSON.stringify,
    deserialize: parseEntry,
  });
  // An 'error' event without a listener throws; the failing call also rejects, and cached() logs that.
  keyv.on('error', (err: unknown) => logger.debug({ err: describeError(err) }, 'cache store error event'));
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
    const pending = work();
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
    get: <T>(key: string) => bounded('get', async () => (await keyv.get<T>(key)) ?? undefined),
    getMany: <T>(keys: string[]) =>
      bounded('getMany', async () =>
        keys.length === 0 ? [] : (await keyv.getMany<T>(keys)).map((value) => value ?? undefined),
      ),
    set: <T>(key: string, value: T, ttlMs: number) =>
      bounded('set', async () => {
        // keyv treats ttl 0 or undefined as "forever"; a non-positive TTL here means "already expired".
        if (!(ttlMs > 0)) {
          await keyv.delete(key);
          return;
        }
        await keyv.set(key, value, ttlMs);
      }),
    delete: (key: string) => bounded('delete', async () => void (await keyv.delete(key))),
    close: async () => {
      if (closed) return;
      closed = true;
      await backend.release();
    },
  };
}
