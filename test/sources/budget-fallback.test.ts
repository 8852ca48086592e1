// Issue 15 (9): while the shared (Redis) rate budget is unreachable each replica keeps to its own share
// (budget ÷ PAPERBOT_REPLICAS), says so in /readyz and a metric, and no command waits on Redis to time out.
// A redis-server of our own that goes away and comes back; fake E-utilities answering at once.

import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import type { Reply } from '../../src/core/reply';
import { createServiceBudget } from '../../src/sources/service-budget';
import type { BudgetMode } from '../../src/sources/budget';
import { startServer, type RunningServer } from '../../adapters/server';
import { startRedisProxy } from '../cache/redis-proxy';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { tempDataDir, testEnv } from '../support/graph';
import { startOwnRedis, type OwnRedis } from '../support/redis';
import { freePort } from '../support/replicas';
import { metricValue } from '../support/scrape';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a service budget whose Redis is unreachable', () => {
  it("serves at once from this replica's share, and says so", async () => {
    const modes: BudgetMode[] = [];
    const budget = await createServiceBudget({
      name: 'ncbi',
      perSecond: 10,
      replicas: 3,
      clock: systemClock,
      logger: silentLogger,
      redisUrl: 'redis://127.0.0.1:1',
      onModeChange: (mode) => modes.push(mode),
    });
    try {
      const started = Date.now();
      const granted: number[] = [];
      const all = Array.from({ length: 5 }, () =>
        budget.acquire().then(() => granted.push(Date.now() - started)),
      );
      await sleep(900);
      // 10 per second across 3 replicas: this one may start 3 in its first second, not 10.
      expect(granted).toHaveLength(3);
      expect(granted.every((ms) => ms < 300)).toBe(true);
      expect(budget.mode()).toBe('local share');
      expect(modes).toEqual(['local share']);
      await Promise.all(all);
    } finally {
      await budget.close();
    }
  });
});

describe('a service budget whose Redis hangs', () => {
  it('stops asking it after three late answers in a row, and goes back once it answers', async () => {
    const redis = await startOwnRedis();
    const proxy = await startRedisProxy({ host: '127.0.0.1', port: redis.port });
    const budget = await createServiceBudget({
      name: 'ncbi',
      perSecond: 10,
      replicas: 2,
      clock: systemClock,
      logger: silentLogger,
      redisUrl: proxy.url,
    });
    try {
      await budget.acquire();
      expect(budget.mode()).toBe('shared');
      proxy.stall(true);
      // Each of the first three waits for one late answer (500 ms) and is then served here; not 3 × the deadline.
      let started = Date.now();
      for (let i = 0; i < 3; i += 1) await budget.acquire();
      expect(Date.now() - started).toBeLessThan(2500);
      expect(budget.mode()).toBe('local share');
      started = Date.now();
      await budget.acquire();
      expect(Date.now() - started).toBeLessThan(100);
      proxy.stall(false);
      for (let i = 0; i < 40 && budget.mode() !== 'shared'; i += 1) await sleep(100);
      expect(budget.mode()).toBe('shared');
    } finally {
      await budget.close();
      await proxy.close();
      await redis.close();
    }
  }, 30_000);
});

describe('a replica whose Redis goes away', () => {
  let redis: OwnRedis;
  let eutils: FakeEutils;
  let running: RunningServer;
  const dataDir = tempDataDir();

  const url = (path: string): string => `http://127.0.0.1:${running.port}${path}`;
  const ask = (text: string): Promise<Reply> =>
    running.core.assistant.handle({ text, user: { id: 'U1' }, place: { platform: 'cli' } });
  const readyz = async (): Promise<{
    status: number;
    body: { status: string; budget: { mode: string } };
  }> => {
    const res = await fetch(url('/readyz'));
    return { status: res.status, body: (await res.json()) as { status: string; budget: { mode: string } } };
  };
  const localShare = async (): Promise<number> =>
    metricValue(await (await fetch(url('/metrics'))).text(), 'paperbot_rate_budget_local_share', {
      budget: 'ncbi',
    });

  beforeAll(async () => {
    redis = await startOwnRedis();
    eutils = await startFakeEutils();
    const config = loadConfig({
      ...testEnv({ eutilsUrl: eutils.url }, dataDir),
      REDIS_URL: redis.url,
      NCBI_API_KEY: 'budgettestkey0123456789',
      PAPERBOT_REPLICAS: '2',
      PORT: String(await freePort()),
    });
    running = await startServer(config, silentLogger, () => Promise.resolve([]), { processMetrics: false });
  }, 30_000);
  afterAll(async () => {
    await running.close();
    await eutils.close();
    await redis.close();
  }, 30_000);

  it('answers every command from its share, reports degraded in /readyz and the metric, then recovers', async () => {
    const pmids = [...eutils.records.keys()].slice(0, 3);
    await ask('budget warmup');
    expect((await readyz()).body.budget.mode).toBe('shared');

    await redis.stop();
    // The replica notices the lost connection itself: /readyz says so before any command needs the budget.
    let early = '';
    for (let i = 0; i < 20 && early !== 'degraded: local share'; i += 1) {
      await sleep(100);
      early = (await readyz()).body.budget.mode;
    }
    expect(early).toBe('degraded: local share');
    // 10/s shared by 2 replicas: 5 starts a second here. Two commands a second, each an esearch and an
    // efetch (the cache is in Redis too, so nothing is cached): within the share, so none may time out.
    const replies: Promise<Reply>[] = [];
    for (let i = 0; i < 12; i += 1) {
      eutils.setSearch(`budget probe ${i}`, pmids);
      replies.push(ask(`budget probe ${i}`));
      await sleep(500);
    }
    const answered = await Promise.all(replies);
    for (const reply of answered) expect(JSON.stringify(reply)).not.toMatch(/did not answer in time/);
    expect(answered.filter((r) => r.cards.some((c) => c.type === 'article'))).toHaveLength(12);

    const degraded = await readyz();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', budget: { mode: 'degraded: local share' } });
    expect(await localShare()).toBe(1);

    await redis.start();
    let mode = '';
    for (let i = 0; i < 50 && mode !== 'shared'; i += 1) {
      await sleep(100);
      mode = (await readyz()).body.budget.mode;
    }
    expect(mode).toBe('shared');
    expect(await localShare()).toBe(0);
  }, 60_000);
});
