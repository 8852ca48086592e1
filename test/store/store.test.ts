// The DurableStore contract, run against both backends: a SQLite file, and Redis in a leased database of the
// test Redis. Two instances on one backend stand for two replicas; closing and reopening for a restart.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wallClock } from '../digest/support';
import { silentLogger } from '../../src/core/logger';
import { storeKey, type DurableStore } from '../../src/core/store';
import { openStore, type StoreOptions } from '../../src/store';
import { leaseRedisDb, type RedisDb } from '../support/redis';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Backend {
  options(): StoreOptions;
  /** Lets `ms` pass for entries' TTLs: the injected clock for SQLite; Redis keeps its own time. */
  pass(clock: ReturnType<typeof wallClock>, ms: number): Promise<void>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

const sqlite = ((): Backend => {
  let dir = '';
  return {
    options: () => ({ kind: 'sqlite', path: path.join(dir, 'paperbot.sqlite') }),
    pass: async (clock, ms) => clock.set(clock.now() + ms),
    setup: async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-store-'));
    },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
})();

const redis = ((): Backend => {
  let db: RedisDb | undefined;
  return {
    options: () => ({ kind: 'redis', url: (db as RedisDb).url }),
    pass: async (clock, ms) => {
      clock.set(clock.now() + ms);
      await sleep(ms);
    },
    setup: async () => {
      db = await leaseRedisDb();
    },
    teardown: async () => db?.release(),
  };
})();

describe.each([
  ['sqlite', sqlite],
  ['redis', redis],
])('%s store', (kind, backend) => {
  let clock: ReturnType<typeof wallClock>;
  const opened: DurableStore[] = [];
  const open = async (): Promise<DurableStore> => {
    const store = await openStore(backend.options(), { clock, logger: silentLogger });
    opened.push(store);
    return store;
  };
  let n = 0;
  const key = (name: string) => storeKey('test', String((n += 1)), name);

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
  beforeEach(() => {
    clock = wallClock(T0);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('reports its kind, round-trips JSON values, and answers getMany in the order asked', async () => {
    const store = await open();
    expect(store.kind).toBe(kind);
    const [a, b] = [key('a'), key('b')];
    const value = { pmid: '23657305', title: 'A: b "c"', authors: ['Gandhi L'], n: 3.5, ok: false };
    await store.set(a, value);
    await store.set(b, 'plain');
    expect(await store.get(a)).toEqual(value);
    expect(await store.getMany([b, key('none'), a])).toEqual(['plain', undefined, value]);
    await store.delete(a);
    expect(await store.get(a)).toBeUndefined();
  });

  it('expires values after their TTL; a non-positive TTL deletes', async () => {
    const store = await open();
    const [short, forever, zero] = [key('short'), key('forever'), key('zero')];
    await store.set(short, 1, 200);
    await store.set(forever, 2);
    await store.set(zero, 'old');
    await store.set(zero, 'new', 0);
    expect(await store.get(short)).toBe(1);
    expect(await store.get(zero)).toBeUndefined();
    await backend.pass(clock, 300);
    expect(await store.getMany([short, forever])).toEqual([undefined, 2]);
  });

  it('gives a claim to exactly one of two replicas at once, again after it expires', async () => {
    const [a, b] = [await open(), await open()];
    const claim = key('claim');
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => a.claim(claim, 200)),
      ...Array.from({ length: 10 }, () => b.claim(claim, 200)),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.claim(claim, 200)).toBe(false);
    await backend.pass(clock, 300);
    expect(await Promise.all([a.claim(claim, 200), b.claim(claim, 200)])).toEqual(
      expect.arrayContaining([true, false]),
    );
    // A live value, with or without a lifetime, is never taken by a claim.
    const [held, heldFor] = [key('held'), key('held-for')];
    await a.set(held, 'x');
    await a.set(heldFor, 'y', 10_000);
    expect([await b.claim(held, 200), await b.claim(heldFor, 200)]).toEqual([false, false]);
    expect(await b.get(held)).toBe('x');
  });

  it('compare-and-set replaces only the expected value, and deletes with undefined', async () => {
    const [a, b] = [await open(), await open()];
    const k = key('cas');
    expect(await a.compareAndSet(k, undefined, { v: 1 })).toBe(true);
    expect(await b.compareAndSet(k, undefined, { v: 2 })).toBe(false);
    // Two replicas racing from the same value: one wins.
    const race = await Promise.all([
      a.compareAndSet(k, { v: 1 }, { v: 3 }),
      b.compareAndSet(k, { v: 1 }, { v: 4 }),
    ]);
    expect(race.filter(Boolean)).toHaveLength(1);
    const now = await a.get<{ v: number }>(k);
    expect(await b.compareAndSet(k, now, undefined)).toBe(true);
    expect(await a.get(k)).toBeUndefined();
  });

  it('commits every write only when every check holds', async () => {
    const store = await open();
    const [guard, x, set] = [key('guard'), key('x'), key('ordered')];
    await store.set(guard, 'mine', 60_000);
    const writes = [
      { op: 'set', key: x, value: 1 },
      { op: 'addOrdered', key: set, member: 'm', score: 5 },
    ] as const;
    expect(await store.commit([{ key: guard, equals: 'theirs' }], writes)).toBe(false);
    expect(await store.get(x)).toBeUndefined();
    expect(await store.members(set)).toEqual([]);
    expect(
      await store.commit(
        [
          { key: guard, equals: 'mine' },
          { key: x, equals: undefined },
        ],
        writes,
      ),
    ).toBe(true);
    expect(await store.get(x)).toBe(1);
    expect(await store.members(set)).toEqual(['m']);
    // An expired value no longer satisfies a check on it.
    await store.set(guard, 'mine', 100);
    await backend.pass(clock, 200);
    expect(await store.commit([{ key: guard, equals: 'mine' }], [{ op: 'delete', key: x }])).toBe(false);
  });

  it('keeps ordered members by score, never lowers a score, trims and removes', async () => {
    const store = await open();
    const set = key('ledger');
    const add = (member: string, score: number) =>
      store.commit([], [{ op: 'addOrdered', key: set, member, score }]);
    await add('c', 30);
    await add('a', 10);
    await add('b', 20);
    await add('a', 5); // lower: kept at 10
    await add('b', 40); // higher: raised
    expect(await store.members(set)).toEqual(['a', 'c', 'b']);
    expect(await store.members(set, 30)).toEqual(['c', 'b']);
    expect(await store.scores(set, ['b', 'zz', 'a'])).toEqual([40, undefined, 10]);
    await store.commit([], [{ op: 'trimOrdered', key: set, below: 30 }]);
    expect(await store.members(set)).toEqual(['c', 'b']);
    await store.commit([], [{ op: 'removeOrdered', key: set, member: 'c' }]);
    expect(await store.members(set)).toEqual(['b']);
    await store.delete(set);
    expect(await store.members(set)).toEqual([]);
  });

  it('keeps values and ordered members across a restart', async () => {
    const first = await open();
    const [v, set] = [key('kept'), key('kept-set')];
    await first.set(v, { kept: true });
    await first.commit([], [{ op: 'addOrdered', key: set, member: 'm', score: 1 }]);
    await first.close();
    const second = await open();
    expect(await second.get(v)).toEqual({ kept: true });
    expect(await second.members(set)).toEqual(['m']);
  });
});
