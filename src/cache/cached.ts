// Fresh/stale caching over the CacheStore port: serve fresh entries, reload expired ones, and fall back to
// stale copies when the source fails. Store backends live in ./store; key format in ./keys.

import type { Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/logger';
import type { CacheStore } from '../core/ports';
import { describeError } from './describe';
import type { SingleFlight } from './singleflight';

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

/**
 * Returns the cached value while fresh, else loads it (once per key when `flight` is given) and caches it.
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
  if (envelope && isFresh(envelope, policy, deps.clock.now())) {
    return { value: envelope.v, stale: false, from: 'cache' };
  }
  // The write happens inside the flight so that N coalesced callers cause one store write, not N. It is
  // skipped when the read just failed: a stalled store would otherwise cost a second timeout per call.
  const loadAndStore = async (): Promise<T> => {
    const value = await load();
    if (storeOk) await writeEnvelope(deps, log, key, value, policy);
    return value;
  };
  try {
    const value = await (deps.flight ? deps.flight.run(key, loadAndStore) : loadAndStore());
    return { value, stale: false, from: 'source' };
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
  const missing: number[] = [];
  keys.forEach((_key, i) => {
    const envelope = envelopes[i];
    if (envelope && isFresh(envelope, policy, now)) {
      values[i] = envelope.v;
      fromCache[i] = true;
    } else {
      missing.push(i);
    }
  });
  if (missing.length === 0) return { values, stale, fromCache };

  try {
    const loaded = await loadMissing(missing);
    const writes: Promise<void>[] = [];
    missing.forEach((index, j) => {
      const value = loaded[j];
      values[index] = value;
      const key = keys[index];
      if (storeOk && value !== undefined && key !== undefined)
        writes.push(writeEnvelope(deps, log, key, value, policy));
    });
    await Promise.all(writes);
    return { values, stale, fromCache };
  } catch (err) {
    const later = deps.clock.now();
    let staleServed = 0;
    for (const index of missing) {
      const envelope = envelopes[index];
      if (envelope && isUsableStale(envelope, policy, later)) {
        values[index] = envelope.v;
        stale[index] = true;
        fromCache[index] = true;
        staleServed += 1;
      }
    }
    const answered = keys.length - missing.length + staleServed;
    if (answered === 0) throw err;
    log.warn(
      {
        store: deps.store.kind,
        missing: missing.length,
        staleServed,
        unanswered: missing.length - staleServed,
        err: describeError(err),
      },
      'source failed; answering from cache where possible',
    );
    return { values, stale, fromCache, error: err };
  }
}
