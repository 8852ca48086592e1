import { createHash } from 'node:crypto';
import { cached, cachedMany, cacheKey, type CachedDeps } from '../../src/cache/cached';
import { createSingleFlight } from '../../src/cache/singleflight';
import { createCacheStore } from '../../src/cache/store';
import type { CacheStore } from '../../src/core/ports';
import { manualClock, recordingLogger } from './helpers';
import { startRedisProxy } from './redis-proxy';

const policy = { freshMs: 60_000, staleMs: 3_600_000 };

describe('cached', () => {
  let store: CacheStore;
  beforeEach(async () => {
    store = await createCacheStore({ kind: 'memory' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('loads on a miss, then serves the fresh copy without loading', async () => {
    const deps: CachedDeps = { store, clock: manualClock() };
    let loads = 0;
    const load = async () => ({ pmid: '23657305', n: ++loads });
    expect(await cached(deps, 'k', policy, load)).toEqual({
      value: { pmid: '23657305', n: 1 },
      stale: false,
      from: 'source',
    });
    expect(await cached(deps, 'k', policy, load)).toEqual({
      value: { pmid: '23657305', n: 1 },
      stale: false,
      from: 'cache',
    });
    expect(loads).toBe(1);
  });

  it('reloads once the entry is older than freshMs', async () => {
    const clock = manualClock();
    const deps: CachedDeps = { store, clock };
    let loads = 0;
    const load = async () => ++loads;
    await cached(deps, 'k', policy, load);
    clock.advance(policy.freshMs);
    expect(await cached(deps, 'k', policy, load)).toEqual({ value: 2, stale: false, from: 'source' });
  });

  it('serves the stale copy with stale:true when the source fails, and warns', async () => {
    const clock = manualClock();
    const logger = recordingLogger();
    const deps: CachedDeps = { store, clock, logger };
    await cached(deps, 'k', policy, async () => 'old');
    clock.advance(policy.freshMs + 1);
    const result = await cached(deps, 'k', policy, async () => {
      throw new Error('NCBI down');
    });
    expect(result).toEqual({ value: 'old', stale: true, from: 'cache' });
    expect(logger.records.some((r) => r.level === 'warn' && /stale/.test(r.msg ?? ''))).toBe(true);
    expect(JSON.stringify(logger.records)).not.toContain('"old"');
  });

  it('rethrows the load error unchanged when nothing stale is left', async () => {
    const clock = manualClock();
    const deps: CachedDeps = { store, clock };
    const boom = new Error('NCBI down');
    await expect(cached(deps, 'k', policy, () => Promise.reject(boom))).rejects.toBe(boom);
    // An entry older than staleMs is not served even if the store still returned it.
    await cached(deps, 'k2', policy, async () => 'old');
    clock.advance(policy.staleMs);
    await expect(cached(deps, 'k2', policy, () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('runs the load once for 10 concurrent callers of one key', async () => {
    const deps: CachedDeps = { store, clock: manualClock(), flight: createSingleFlight() };
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads += 1;
      await gate;
      return 'v';
    };
    const calls = Array.from({ length: 10 }, () => cached(deps, 'same', policy, load));
    // Let every caller finish its cache read and join the flight before the load resolves.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const results = await Promise.all(calls);
    expect(loads).toBe(1);
    expect(results.map((r) => r.value)).toEqual(Array(10).fill('v'));
    expect(await cached(deps, 'same', policy, load)).toEqual({ value: 'v', stale: false, from: 'cache' });
  });

  it('goes to the source when the store fails, within a bound, and logs the store kind only', async () => {
    const logger = recordingLogger();
    const down = await createCacheStore({ kind: 'redis', url: 'redis://127.0.0.1:1' }, { opTimeoutMs: 300 });
    try {
      const deps: CachedDeps = { store: down, clock: manualClock(), logger };
      const started = Date.now();
      const result = await cached(deps, cacheKey('search', 'secret query text'), policy, async () => 'fresh');
      const tookMs = Date.now() - started;
      expect(result).toEqual({ value: 'fresh', stale: false, from: 'source' });
      // Read and write each bounded by opTimeoutMs (300 ms); generous margin for a loaded machine.
      expect(tookMs).toBeLessThan(3000);
      const warns = logger.records.filter((r) => r.level === 'warn');
      expect(warns.length).toBeGreaterThanOrEqual(1);
      expect(warns.every((r) => (r.obj as { store?: string }).store === 'redis')).toBe(true);
      expect(JSON.stringify(warns)).not.toContain('secret');
      expect(JSON.stringify(logger.records)).not.toContain('fresh');
    } finally {
      await down.close();
    }
  });
});

describe('cached over a stalled Redis', () => {
  it('gives up on the read within the bound, answers from the source and does not wait on a write', async () => {
    const proxy = await startRedisProxy();
    const store = await createCacheStore({ kind: 'redis', url: proxy.url }, { opTimeoutMs: 200 });
    const logger = recordingLogger();
    try {
      proxy.stall(true);
      const result = await cached(
        { store, clock: manualClock(), logger },
        cacheKey('t', 'x'),
        policy,
        async () => 7,
      );
      expect(result).toEqual({ value: 7, stale: false, from: 'source' });
      const warnings = logger.records.filter((r) => r.level === 'warn').map((r) => r.msg);
      expect(warnings).toEqual(['cache read failed; asking the source']);
    } finally {
      proxy.stall(false);
      await store.close();
      await proxy.close();
    }
  });
});

describe('cachedMany', () => {
  let store: CacheStore;
  beforeEach(async () => {
    store = await createCacheStore({ kind: 'memory' });
  });
  afterEach(async () => {
    await store.close();
  });

  const keys = ['a', 'b', 'c', 'd'].map((id) => cacheKey('article', id));

  it('loads only the missing keys and caches what came back', async () => {
    const deps: CachedDeps = { store, clock: manualClock() };
    await cached(deps, keys[1]!, policy, async () => 'B0');
    const asked: number[][] = [];
    const first = await cachedMany<string>(deps, keys, policy, async (missing) => {
      asked.push(missing);
      return missing.map((i) => (i === 3 ? undefined : `X${i}`));
    });
    expect(asked).toEqual([[0, 2, 3]]);
    expect(first.values).toEqual(['X0', 'B0', 'X2', undefined]);
    expect(first.fromCache).toEqual([false, true, false, false]);
    expect(first.stale).toEqual([false, false, false, false]);
    expect(first.error).toBeUndefined();

    const second = await cachedMany<string>(deps, keys, policy, async (missing) => {
      asked.push(missing);
      return missing.map(() => undefined);
    });
    expect(asked[1]).toEqual([3]);
    expect(second.values).toEqual(['X0', 'B0', 'X2', undefined]);
  });

  it('does not call the loader when everything is fresh', async () => {
    const deps: CachedDeps = { store, clock: manualClock() };
    await cachedMany(deps, keys, policy, async (missing) => missing.map((i) => i));
    const result = await cachedMany(deps, keys, policy, () => Promise.reject(new Error('must not load')));
    expect(result.values).toEqual([0, 1, 2, 3]);
    expect(result.fromCache).toEqual([true, true, true, true]);
  });

  it('falls back to stale entries when the load fails and leaves the rest undefined', async () => {
    const clock = manualClock();
    const deps: CachedDeps = { store, clock };
    await cached(deps, keys[0]!, policy, async () => 'A-old');
    clock.advance(policy.freshMs + 1);
    await cached(deps, keys[1]!, policy, async () => 'B-fresh');
    const boom = new Error('efetch failed');
    const result = await cachedMany<string>(deps, keys, policy, () => Promise.reject(boom));
    expect(result.values).toEqual(['A-old', 'B-fresh', undefined, undefined]);
    expect(result.stale).toEqual([true, false, false, false]);
    expect(result.fromCache).toEqual([true, true, false, false]);
    expect(result.error).toBe(boom);
  });

  it('rethrows when nothing at all could be answered', async () => {
    const deps: CachedDeps = { store, clock: manualClock() };
    const boom = new Error('efetch failed');
    await expect(cachedMany(deps, keys, policy, () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('reads through a failing store and still answers from the source', async () => {
    const down = await createCacheStore({ kind: 'redis', url: 'redis://127.0.0.1:1' }, { opTimeoutMs: 300 });
    try {
      const deps: CachedDeps = { store: down, clock: manualClock() };
      const result = await cachedMany(deps, keys, policy, async (missing) => missing.map((i) => i * 10));
      expect(result.values).toEqual([0, 10, 20, 30]);
      expect(result.fromCache).toEqual([false, false, false, false]);
    } finally {
      await down.close();
    }
  });
});

describe('cacheKey', () => {
  it('is versioned and namespaced, and encodes parts so ":" in user text cannot shift them', () => {
    expect(cacheKey('article', '23657305')).toBe('paperbot:v2:article:23657305');
    expect(cacheKey('search', 'a:b', 'c')).toBe('paperbot:v2:search:a%3Ab:c');
    expect(cacheKey('search', 'a', 'b:c')).not.toBe(cacheKey('search', 'a:b', 'c'));
  });

  it('hashes parts longer than 200 characters', () => {
    const long = 'immunotherapy liver metastases '.repeat(20);
    const key = cacheKey('search', long);
    expect(key).toBe(`paperbot:v2:search:sha1=${createHash('sha1').update(long, 'utf8').digest('hex')}`);
    expect(cacheKey('search', long)).toBe(key);
    expect(cacheKey('search', long + 'x')).not.toBe(key);
    expect(cacheKey('search', 'x'.repeat(200))).toBe(`paperbot:v2:search:${'x'.repeat(200)}`);
  });
});
