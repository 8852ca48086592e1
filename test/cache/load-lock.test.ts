// Cross-replica coalescing on the real Redis (the test run's own, a unique lock prefix per test): two "replicas"
// (each its own SingleFlight and lock connection) share one cache store; a miss is loaded by one of them only.

import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { cached, cachedMany, cacheKey, type CachedDeps } from '../../src/cache/cached';
import type { LoadLock } from '../../src/cache/load-lock';
import { createRedisLoadLock } from '../../src/cache/shared-lock';
import { createSingleFlight } from '../../src/cache/singleflight';
import { createCacheStore } from '../../src/cache/store';
import { systemClock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { CacheStore } from '../../src/core/ports';
import { testRedisUrl } from '../support/redis';

const REDIS_URL = testRedisUrl();
const POLICY = { freshMs: 60_000, staleMs: 120_000 };

let prefix: string;
let store: CacheStore;
const locks: LoadLock[] = [];

async function replica(): Promise<CachedDeps> {
  const lock = await createRedisLoadLock({ url: REDIS_URL, prefix, clock: systemClock });
  locks.push(lock);
  return { store, clock: systemClock, flight: createSingleFlight(), lock };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  prefix = `paperbot-test:${randomUUID()}:lock:`;
  store = await createCacheStore({ kind: 'memory' });
});
afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.close()));
  await store.close();
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  const left = await client.keys(`${prefix}*`);
  if (left.length) await client.del(left);
  await client.close();
  expect(left).toEqual([]); // every lock was released
});

it('takes a lock once; the holder releases it; a waiter is told when it is free', async () => {
  const [a, b] = [await replica(), await replica()];
  const release = await a.lock?.acquire('k');
  expect(release).toBeDefined();
  expect(await b.lock?.acquire('k')).toBeUndefined();
  let freed = false;
  const waiting = b.lock?.released('k').then(() => (freed = true));
  await sleep(60);
  expect(freed).toBe(false);
  await release?.();
  await waiting;
  expect(freed).toBe(true);
  const again = await b.lock?.acquire('k');
  expect(again).toBeDefined();
  await again?.();
});

it('cached(): a miss on two replicas at once is loaded by one; the other reads its entry', async () => {
  const [a, b] = [await replica(), await replica()];
  const key = cacheKey('test-lock', randomUUID());
  let loads = 0;
  const load = async (): Promise<string> => {
    loads += 1;
    await sleep(150);
    return 'PMID 22663011';
  };
  const [fromA, fromB] = await Promise.all([cached(a, key, POLICY, load), cached(b, key, POLICY, load)]);
  expect(loads).toBe(1);
  expect([fromA.value, fromB.value]).toEqual(['PMID 22663011', 'PMID 22663011']);
  expect([fromA.from, fromB.from].sort()).toEqual(['cache', 'source']);
});

it('cachedMany(): the same records asked on two replicas at once are fetched once', async () => {
  const [a, b] = [await replica(), await replica()];
  const keys = ['22663011', '35830032', '39337530'].map((p) => cacheKey('test-lock', prefix, p));
  const asked: number[][] = [];
  const load = async (missing: number[]): Promise<string[]> => {
    asked.push(missing);
    await sleep(150);
    return missing.map((i) => `record ${i}`);
  };
  const [one, two] = await Promise.all([
    cachedMany(a, keys, POLICY, load),
    cachedMany(b, keys, POLICY, load),
  ]);
  expect(asked).toEqual([[0, 1, 2]]);
  expect(one.values).toEqual(['record 0', 'record 1', 'record 2']);
  expect(two.values).toEqual(one.values);
});

it("a holder's failed load does not fail the waiter: it loads for itself", async () => {
  const [a, b] = [await replica(), await replica()];
  const key = cacheKey('test-lock', randomUUID());
  let calls = 0;
  const load = async (): Promise<string> => {
    calls += 1;
    await sleep(100);
    if (calls === 1) throw new PaperbotError('upstream_unavailable', 'first attempt fails');
    return 'second answer';
  };
  const results = await Promise.allSettled([cached(a, key, POLICY, load), cached(b, key, POLICY, load)]);
  expect(calls).toBe(2);
  expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
});

it('without Redis the lock is skipped: loads still happen, promptly', async () => {
  const lock = await createRedisLoadLock({ url: 'redis://127.0.0.1:1', prefix, timeoutMs: 200 });
  locks.push(lock);
  const deps: CachedDeps = { store, clock: systemClock, lock };
  const started = Date.now();
  const result = await cached(deps, cacheKey('test-lock', randomUUID()), POLICY, async () => 'direct');
  expect(result).toEqual({ value: 'direct', stale: false, from: 'source' });
  expect(Date.now() - started).toBeLessThan(500);
});
