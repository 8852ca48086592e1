import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createCacheStore, type CacheStoreOptions } from '../../src/cache/store';
import type { CacheStore } from '../../src/core/ports';
import { startRedisProxy } from './redis-proxy';
import { testRedisUrl } from '../support/redis';

const REDIS_URL = testRedisUrl();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-cache-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const kinds: [string, () => CacheStoreOptions][] = [
  ['memory', () => ({ kind: 'memory' })],
  ['sqlite', () => ({ kind: 'sqlite', path: path.join(tmpDir(), 'nested', 'dir', 'cache.sqlite') })],
  ['redis', () => ({ kind: 'redis', url: REDIS_URL })],
];

describe.each(kinds)('%s store', (kind, options) => {
  let store: CacheStore;
  // Unique per test run so parallel runs and leftovers on the shared Redis never collide.
  let prefix: string;
  const written: string[] = [];
  const k = (name: string) => {
    const key = `${prefix}:${name}`;
    written.push(key);
    return key;
  };

  beforeAll(async () => {
    store = await createCacheStore(options());
  });
  beforeEach(() => {
    prefix = `paperbot:test:${randomUUID()}`;
  });
  afterAll(async () => {
    for (const key of written) await store.delete(key);
    await store.close();
  });

  it('reports its kind', () => {
    expect(store.kind).toBe(kind);
  });

  it('round-trips structured values and misses unknown keys', async () => {
    const article = { pmid: '23657305', title: 'A: b "c"', authors: ['Gandhi L'], retracted: false, n: 3.5 };
    await store.set(k('a'), article, 60_000);
    expect(await store.get(k('a'))).toEqual(article);
    expect(await store.get(k('missing'))).toBeUndefined();
    // Strings that look like keyv's own markers survive.
    await store.set(k('colon'), ':starts with colon', 60_000);
    expect(await store.get(k('colon'))).toBe(':starts with colon');
  });

  it('getMany answers in the order asked, undefined for misses', async () => {
    await store.set(k('1'), 'one', 60_000);
    await store.set(k('3'), { three: 3 }, 60_000);
    expect(await store.getMany([k('3'), k('2'), k('1'), k('3')])).toEqual([
      { three: 3 },
      undefined,
      'one',
      { three: 3 },
    ]);
    expect(await store.getMany([])).toEqual([]);
  });

  it('overwrites and deletes', async () => {
    await store.set(k('x'), 'first', 60_000);
    await store.set(k('x'), 'second', 60_000);
    expect(await store.get(k('x'))).toBe('second');
    await store.delete(k('x'));
    expect(await store.get(k('x'))).toBeUndefined();
    await expect(store.delete(k('never'))).resolves.toBeUndefined();
  });

  it('expires entries after their TTL, for get and getMany', async () => {
    await store.set(k('short'), 'gone soon', 40);
    await store.set(k('long'), 'stays', 60_000);
    expect(await store.get(k('short'))).toBe('gone soon');
    await sleep(120);
    expect(await store.get(k('short'))).toBeUndefined();
    expect(await store.getMany([k('short'), k('long')])).toEqual([undefined, 'stays']);
  });

  it('treats a non-positive TTL as already expired (never as "forever")', async () => {
    await store.set(k('z'), 'old', 60_000);
    await store.set(k('z'), 'new', 0);
    expect(await store.get(k('z'))).toBeUndefined();
  });
});

describe('sqlite store on disk', () => {
  it('creates parent directories and keeps entries across a reopen', async () => {
    const file = path.join(tmpDir(), 'a', 'b', 'cache.sqlite');
    const first = await createCacheStore({ kind: 'sqlite', path: file });
    await first.set('paperbot:v1:article:23657305', { pmid: '23657305' }, 60_000);
    await first.set('paperbot:v1:article:short', 'x', 30);
    await first.close();
    expect(fs.existsSync(file)).toBe(true);

    await sleep(60);
    const second = await createCacheStore({ kind: 'sqlite', path: file });
    try {
      expect(await second.get('paperbot:v1:article:23657305')).toEqual({ pmid: '23657305' });
      expect(await second.get('paperbot:v1:article:short')).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('purges expired rows from the file (at open), leaving live ones', async () => {
    const file = path.join(tmpDir(), 'cache.sqlite');
    const store = await createCacheStore({ kind: 'sqlite', path: file });
    await store.set('live', 1, 60_000);
    for (let i = 0; i < 5; i += 1) await store.set(`dead${i}`, i, 20);
    await store.close();
    await sleep(50);
    // Opening again purges one bounded batch; count rows with an independent connection.
    const reopened = await createCacheStore({ kind: 'sqlite', path: file });
    await reopened.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT key FROM entries ORDER BY key').all() as { key: string }[];
      expect(rows.map((r) => r.key)).toEqual(['live']);
    } finally {
      db.close();
    }
  });

  it('rejects calls after close instead of touching a closed database', async () => {
    const store = await createCacheStore({ kind: 'sqlite', path: path.join(tmpDir(), 'c.sqlite') });
    await store.close();
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'cache_failure' });
  });
});

describe('redis store', () => {
  it('stores under its own key with a real Redis TTL', async () => {
    const store = await createCacheStore({ kind: 'redis', url: REDIS_URL });
    const raw = createClient({ url: REDIS_URL });
    await raw.connect();
    const key = `paperbot:test:${randomUUID()}`;
    try {
      await store.set(key, { a: 1 }, 10_000);
      const pttl = await raw.pTTL(key);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(10_000);
    } finally {
      await store.delete(key);
      expect(await raw.exists(key)).toBe(0);
      await raw.close();
      await store.close();
    }
  });

  it('does not throw at construction when Redis is down, and fails calls quickly', async () => {
    const store = await createCacheStore({ kind: 'redis', url: 'redis://127.0.0.1:1' }, { opTimeoutMs: 300 });
    try {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'cache_failure' });
      await expect(store.getMany(['k'])).rejects.toMatchObject({ code: 'cache_failure' });
      await expect(store.set('k', 1, 1000)).rejects.toMatchObject({ code: 'cache_failure' });
    } finally {
      await store.close();
    }
  });

  it('fails a call on a stalled connection within the bound, and reconnects after an outage', async () => {
    const proxy = await startRedisProxy();
    const store = await createCacheStore({ kind: 'redis', url: proxy.url }, { opTimeoutMs: 300 });
    const key = `paperbot:test:${randomUUID()}`;
    try {
      await store.set(key, 'v1', 60_000);
      expect(await store.get(key)).toBe('v1');

      proxy.stall(true);
      await expect(store.get(key)).rejects.toMatchObject({ code: 'cache_failure' });
      proxy.stall(false);
      // The late reply belongs to the abandoned call; the next one gets its own answer.
      await store.set(key, 'v2', 60_000);
      expect(await store.get(key)).toBe('v2');

      await proxy.cut();
      await expect(store.get(key)).rejects.toMatchObject({ code: 'cache_failure' });

      await proxy.restore();
      let answer: unknown;
      for (let attempt = 0; attempt < 100 && answer === undefined; attempt += 1) {
        answer = await store.get(key).catch(() => undefined);
        if (answer === undefined) await sleep(100);
      }
      expect(answer).toBe('v2');
    } finally {
      await store.delete(key).catch(() => undefined);
      await store.close();
      await proxy.close();
    }
  });
});
