// Fresh/stale caching over the CacheStore port: serve fresh entries, reload expired ones, and fall back to
// stale copies when the source fails. Store backends live in ./store; key format in ./keys.

import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/logger';
import type { Metrics } from '../core/metrics';
import type { CacheStore } from '../core/ports';
import { describeError } from './describe';
import { coordinated, type LoadLock } from './load-lock';
import type { SingleFlight } from './singleflight';

import { cacheNamespaceOf } from './keys';

export { cacheKey } from './keys';

/** An entry is served as fresh until `freshMs` old and kept for outage fallback until `staleMs` old. */
export interface CachePolicy {
  freshMs: number;
  staleMs: number;
}

export interface CachedResult<T> {
  value: T;
  /** True when the source failed and an expired copy was served instead. */
  stale: boolean;
  from: 'cache' | 'source';
}

export interface CachedDeps {
  store: CacheStore;
  clock: Clock;
  logger?: Logger;
  /** Coalesces concurrent loads of the same key; share one instance among all callers of these keys. */
  flight?: SingleFlight;
  /** Coalesces loads across processes (replicas sharing Redis): one loads, the others read its entry. */
  lock?: LoadLock;
  /** Counts hits and misses by key namespace. */
  metrics?: Pick<Metrics, 'cacheLookup'>;
}

export interface CachedManyResult<T> {
  values: (T | undefined)[];
  stale: boolean[];
  fromCache: boolean[];
  /**
   * The loader's error when it threw but some keys could still be answered from the cache: the indexes
   * left `undefined` are then "not loaded", not "not found".
   */
  error?: unknown;
}

/** What is stored: the value and when it was loaded (ms since epoch, from the injected clock). */
interface Envelope<T> {
  v: T;
  at: number;
}

function asEnvelope<T>(raw: unknown): Envelope<T> | undefined {
  if (typeof raw !== 'object' || raw === null || !('at' in raw) || !('v' in raw)) return undefined;
  const { at, v } = raw as { at: unknown; v: unknown };
  return typeof at === 'number' && Number.isFinite(at) ? { at, v: v as T } : undefined;
}

function isFresh(envelope: Envelope<unknown>, policy: CachePolicy, now: number): boolean {
  return now - envelope.at < policy.freshMs;
}

function isUsableStale(envelope: Envelope<unknown>, policy: CachePolicy, now: number): boolean {
  // Stores expire by TTL already; this guards stores with coarse or lazy expiry.
  return now - envelope.at < policy.staleMs;
}

/** The entry, if any, and whether the store answered at all (a store that just failed is not written to). */
async function readEnvelope<T>(
  deps: CachedDeps,
  log: Logger,
  key: string,
): Promise<{ envelope?: Envelope<T>; storeOk: boolean }> {
  try {
    const envelope = asEnvelope<T>(await deps.store.get<unknown>(key));
    return envelope ? { envelope, storeOk: true } : { storeOk: true };
  } catch (err) {
    log.warn({ store: deps.store.kind, err: describeError(err) }, 'cache read failed; asking the source');
    log.debug({ key }, 'cache read failed for key');
    return { storeOk: false };
  }
}

async function writeEnvelope<T>(deps: CachedDeps, log: Logger, key: string, value: T, policy: CachePolicy) {
  const envelope: Envelope<T> = { v: value, at: deps.clock.now() };
  try {
    await deps.store.set(key, envelope, policy.staleMs);
  } catch (err) {
    log.warn({ store: deps.store.kind, err: describeError(err) }, 'cache write failed; value not cached');
    log.debug({ key }, 'cache write failed for key');
  }
}

/** The entry under `key` if it is fresh now (what another replica's load left), else undefined. */
async function freshEnvelope<T>(
  deps: CachedDeps,
  log: Logger,
  key: string,
  policy: CachePolicy,
): Promise<Envelope<T> | undefined> {
  const { envelope } = await readEnvelope<T>(deps, log, key);
  return envelope && isFresh(envelope, policy, deps.clock.now()) ? envelope : undefined;
}

/**
 * Returns the cached value while fresh, else loads it (once per key when `flight` is given, once across
 * replicas when `lock` is) and caches it.
 * If the load throws and an unexpired stale copy exists, that copy is returned with `stale: true`;
 * otherwise the load error is rethrown unchanged. Store failures never fail the call.
 */
export async function cached<T>(
  deps: CachedDeps,
  key: string,
  policy: CachePolicy,
  load: () => Promise<T>,
): Promise<CachedResult<T>> {
  const log = deps.logger ?? silentLogger;
  const { envelope, storeOk } = await readEnvelope<T>(deps, log, key);
  const fresh = envelope !== undefined && isFresh(envelope, policy, deps.clock.now());
  deps.metrics?.cacheLookup({ namespace: cacheNamespaceOf(key), hit: fresh });
  if (envelope && fresh) return { value: envelope.v, stale: false, from: 'cache' };
  // The write happens inside the flight so that N coalesced callers cause one store write, not N. It is
  // skipped when the read just failed: a stalled store would otherwise cost a second timeout per call
  // (and the lock, whose waiters read that same store, is skipped with it).
  const loadAndStore = async (): Promise<Envelope<T>> => {
    const value = await load();
    if (storeOk) await writeEnvelope(deps, log, key, value, policy);
    return { v: value, at: deps.clock.now() };
  };
  const loadOnce = async (): Promise<{ value: T; from: CachedResult<T>['from'] }> => {
    const { result, loadedHere } = await coordinated(
      storeOk ? deps.lock : undefined,
      key,
      () => freshEnvelope<T>(deps, log, key, policy),
      loadAndStore,
      log,
    );
    return { value: result.v, from: loadedHere ? 'source' : 'cache' };
  };
  try {
    const { value, from } = await (deps.flight ? deps.flight.run(key, loadOnce) : loadOnce());
    return { value, stale: false, from };
  } catch (err) {
    if (envelope && isUsableStale(envelope, policy, deps.clock.now())) {
      log.warn(
        { store: deps.store.kind, ageMs: deps.clock.now() - envelope.at, err: describeError(err) },
        'source failed; serving a stale cached copy',
      );
      return { value: envelope.v, stale: true, from: 'cache' };
    }
    throw err;
  }
}

/** One lock for one set of keys: replicas asking for the same records (the same search page) share it. */
function lockKeyOf(keys: string[]): string {
  if (keys.length === 1) return keys[0] ?? '';
  return `many:${createHash('sha1').update(keys.join('\n')).digest('hex')}`;
}

/**
 * The many-key form (e.g. one entry per PMID): one `getMany`, then `loadMissing` for the indexes that were
 * missing or expired; it returns values in that order (`undefined` = the source has none).
 * If the load throws, expired copies answer where they exist and the rest stay `undefined` (with `error`
 * set); the error is rethrown only when no key at all could be answered.
 */
export async function cachedMany<T>(
  deps: CachedDeps,
  keys: string[],
  policy: CachePolicy,
  loadMissing: (missingIndexes: number[]) => Promise<(T | undefined)[]>,
): Promise<CachedManyResult<T>> {
  const log = deps.logger ?? silentLogger;
  const values: (T | undefined)[] = keys.map(() => undefined);
  const stale = keys.map(() => false);
  const fromCache = keys.map(() => false);
  if (keys.length === 0) return { values, stale, fromCache };

  let envelopes: (Envelope<T> | undefined)[];
  let storeOk = true;
  try {
    envelopes = (await deps.store.getMany<unknown>(keys)).map((raw) => asEnvelope<T>(raw));
  } catch (err) {
    log.warn({ store: deps.store.kind, err: describeError(err) }, 'cache read failed; asking the source');
    envelopes = keys.map(() => undefined);
    storeOk = false;
  }

  const now = deps.clock.now();
  let pending: number[] = [];
  keys.forEach((key, i) => {
    const envelope = envelopes[i];
    const fresh = envelope !== undefined && isFresh(envelope, policy, now);
    deps.metrics?.cacheLookup({ namespace: cacheNamespaceOf(key), hit: fresh });
    if (envelope && fresh) {
      values[i] = envelope.v;
      fromCache[i] = true;
    } else {
      pending.push(i);
    }
  });
  if (pending.length === 0) return { values, stale, fromCache };

  /** Takes what another replica stored meanwhile; true when nothing is left to load. */
  const recheck = async (): Promise<true | undefined> => {
    let again: (Envelope<T> | undefined)[];
    try {
      again = (await deps.store.getMany<unknown>(pending.map((i) => keys[i] ?? ''))).map((raw) =>
        asEnvelope<T>(raw),
      );
    } catch {
      return undefined;
    }
    const at = deps.clock.now();
    const still: number[] = [];
    pending.forEach((index, j) => {
      const envelope = again[j];
      if (envelope && isFresh(envelope, policy, at)) {
        values[index] = envelope.v;
        fromCache[index] = true;
      } else still.push(index);
    });
    pending = still;
    return pending.length === 0 ? true : undefined;
  };
  const loadPending = async (): Promise<true> => {
    const loaded = await loadMissing(pending);
    const writes: Promise<void>[] = [];
    pending.forEach((index, j) => {
      const value = loaded[j];
      values[index] = value;
      const key = keys[index];
      if (storeOk && value !== undefined && key !== undefined)
        writes.push(writeEnvelope(deps, log, key, value, policy));
    });
    await Promise.all(writes);
    return true;
  };

  try {
    const lockKey = lockKeyOf(pending.map((i) => keys[i] ?? ''));
    await coordinated(storeOk ? deps.lock : undefined, lockKey, recheck, loadPending, log);
    return { values, stale, fromCache };
  } catch (err) {
    const later = deps.clock.now();
    let staleServed = 0;
    for (const index of pending) {
      const envelope = envelopes[index];
      if (envelope && isUsableStale(envelope, policy, later)) {
        values[index] = envelope.v;
        stale[index] = true;
        fromCache[index] = true;
        staleServed += 1;
      }
    }
    const answered = keys.length - pending.length + staleServed;
    if (answered === 0) throw err;
    log.warn(
      {
        store: deps.store.kind,
        missing: pending.length,
        staleServed,
        unanswered: pending.length - staleServed,
        err: describeError(err),
      },
      'source failed; answering from cache where possible',
    );
    return { values, stale, fromCache, error: err };
  }
}
