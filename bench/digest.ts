// 1,000 digest subscriptions (300 distinct queries, 250 channels) due at the same minute, run once through
// the real runner, PubMed service, rate budget and SQLite store against the fake NCBI (+200 ms per call,
// enforcing NCBI's per-second limit with 429s). Prints figures; never fails on time.
// Run: node -r @swc-node/register bench/digest.ts [--budget=3|10] [--store=sqlite|redis]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCacheStore } from '../src/cache/store';
import { createSingleFlight } from '../src/cache/singleflight';
import { systemClock, type Clock } from '../src/core/clock';
import type { Deliverer } from '../src/core/deliverer';
import { silentLogger } from '../src/core/logger';
import { runDueDigests } from '../src/digest/run';
import { openDigestStore, type DigestStore } from '../src/digest/store';
import { createEutilsClient } from '../src/pubmed/eutils';
import { createMemoryRateBudget } from '../src/sources/budget';
import { createPubmedService } from '../src/pubmed/service';
import { maxStartsInWindow, startFakeEutils } from '../test/peers/eutils';
import { startOwnRedis, type OwnRedis } from '../test/support/redis';

const SUBSCRIPTIONS = 1000;
const QUERIES = 300;
const CHANNELS = 250;
const NCBI_DELAY_MS = 200;
/** What a chat.postMessage round trip costs, roughly. */
const POST_LATENCY_MS = 80;
const SLOT = Date.parse('2026-11-30T07:30:00Z');

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

/** Real time, shifted so the run starts one second after the shared slot. */
function shiftedClock(startAt: number): Clock {
  const offset = startAt - Date.now();
  return { now: () => Date.now() + offset, sleep: systemClock.sleep };
}

export async function main(): Promise<void> {
  const perSecond = Number(option('budget', '10'));
  const storeKind = option('store', 'sqlite');
  const eutils = await startFakeEutils({ delayMs: NCBI_DELAY_MS, enforceRateLimit: true });
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  for (let q = 0; q < QUERIES; q += 1) {
    const n = (q * 7) % 16; // 0–15 new papers: some digests empty, some with "N more"
    const start = (q * 11) % (pmids.length - 16);
    eutils.setSearch(`bench query ${q}`, pmids.slice(start, start + n));
  }

  const clock = shiftedClock(SLOT + 1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-digest-'));
  const prefix = `paperbot-bench:${process.pid}:digest:`;
  // Its own redis-server on a free port: a bench never touches a developer's running Redis.
  const redis: OwnRedis | undefined = storeKind === 'redis' ? await startOwnRedis() : undefined;
  const store: DigestStore =
    redis !== undefined
      ? await openDigestStore({ kind: 'redis', url: redis.url, prefix }, { clock, logger: silentLogger })
      : await openDigestStore(
          { kind: 'sqlite', path: path.join(dir, 'digests.sqlite') },
          { clock, logger: silentLogger },
        );
  const cache = await createCacheStore({ kind: 'memory' });
  const budget = createMemoryRateBudget({ perSecond, clock: systemClock });
  const pubmed = createPubmedService({
    client: createEutilsClient({
      baseUrl: eutils.url,
      tool: 'paperbot-bench',
      email: 'paperbot-bench@example.org',
      ...(perSecond > 3 ? { apiKey: 'benchkey0123456789' } : {}),
      attemptTimeoutMs: 5000,
    }),
    budget,
    cache: { store: cache, clock: systemClock, flight: createSingleFlight() },
    clock: systemClock,
  });

  const posts: { channel: string; at: number }[] = [];
  const slack: Deliverer = {
    platform: 'slack',
    async deliver(target) {
      const at = Date.now();
      await systemClock.sleep(POST_LATENCY_MS);
      posts.push({ channel: target.channel, at });
      return { ok: true, messageId: String(posts.length) };
    },
    recentKeys: async () => [],
  };

  try {
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const term = `bench query ${i % QUERIES}`;
      await store.create({
        place: { platform: 'slack', team: 'T0BENCH', channel: `C${String(i % CHANNELS).padStart(4, '0')}` },
        createdBy: { id: 'U0' },
        createdAt: SLOT - 86_400_000,
        query: { text: term, terms: term, types: [], term },
        schedule: { cadence: 'daily', time: '07:30', timeZone: 'UTC' },
        notifyEmpty: false,
      });
    }
    const started = performance.now();
    const tuning = process.argv.some((a) => a.startsWith('--search-concurrency='))
      ? { searchConcurrency: Number(option('search-concurrency', '4')) }
      : {};
    const report = await runDueDigests({
      store,
      pubmed,
      deliverers: { slack },
      clock,
      logger: silentLogger,
      tuning,
    });
    const seconds = (performance.now() - started) / 1000;

    const counts: Record<string, number> = {};
    for (const o of report.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
    const byUtility: Record<string, number> = {};
    for (const r of eutils.requests) byUtility[r.utility] = (byUtility[r.utility] ?? 0) + 1;
    const byChannel = new Map<string, { at: number }[]>();
    for (const p of posts) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
    const perChannelPeak = Math.max(0, ...[...byChannel.values()].map((list) => maxStartsInWindow(list)));
    const span = posts.length
      ? (Math.max(...posts.map((p) => p.at)) - Math.min(...posts.map((p) => p.at))) / 1000
      : 0;

    console.log(
      `digest run: ${SUBSCRIPTIONS} subscriptions (${QUERIES} distinct queries, ${CHANNELS} channels) due at one minute; ` +
        `${storeKind} store; NCBI budget ${perSecond}/s${perSecond > 3 ? ' (api key)' : ''}, fake NCBI +${NCBI_DELAY_MS} ms per call; post latency ${POST_LATENCY_MS} ms`,
    );
    console.log(`  outcomes: ${JSON.stringify(counts)}`);
    console.log(
      `  time until all posted: ${seconds.toFixed(1)} s (posting itself spanned ${span.toFixed(1)} s)`,
    );
    console.log(
      `  NCBI requests: ${eutils.requests.length} (${Object.entries(byUtility)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); ` +
        `peak ${maxStartsInWindow(eutils.requests)} per rolling second (NCBI allows ${perSecond > 3 ? 10 : 3})`,
    );
    console.log(
      `  posts: ${posts.length}; peak per channel per rolling second: ${perChannelPeak} (Slack allows ~1)`,
    );
  } finally {
    await store.close();
    await budget.close();
    await cache.close();
    await eutils.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await redis?.close();
  }
}

if (require.main === module) void main();
