// 10,000 shares (500 channels × 20) re-checked in one watcher run through the real runner, PubMed service,
// rate budget and SQLite store against the fake NCBI (+200 ms per call, enforcing NCBI's per-second limit
// with 429s). 9,000 distinct PMIDs: the recorded records plus ids PubMed answers without (as for deleted
// ones); one recorded record gains its erratum, so each share of it gets one notice. Uses ARRIVAL_MARGIN_MS
// on the budget as src/main.ts does.
// Prints figures; never fails on time. Run: node -r @swc-node/register bench/watch.ts [--budget=3|10]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCacheStore } from '../src/cache/store';
import { createSingleFlight } from '../src/cache/singleflight';
import { systemClock } from '../src/core/clock';
import type { Deliverer } from '../src/core/deliverer';
import { silentLogger } from '../src/core/logger';
import { articleStatus } from '../src/core/shares';
import { createEutilsClient } from '../src/pubmed/eutils';
import { createPubmedService } from '../src/pubmed/service';
import { ARRIVAL_MARGIN_MS, createMemoryRateBudget } from '../src/sources/budget';
import { parseArticleSet } from '../src/pubmed/xml';
import { openStore } from '../src/store';
import { createWatchLedger, runWatch } from '../src/watch';
import { maxStartsInWindow, startFakeEutils } from '../test/peers/eutils';
import { articleVersions, ERRATUM_PMID } from '../test/watch/support';

const SHARES = 10_000;
const CHANNELS = 500;
const DISTINCT = 9_000;
const NCBI_DELAY_MS = 200;
const POST_LATENCY_MS = 80;
/** Shares of the record that gains its erratum: one notice each. */
const CHANGED = 100;

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

export async function main(): Promise<void> {
  const perSecond = Number(option('budget', '10'));
  const eutils = await startFakeEutils({ delayMs: NCBI_DELAY_MS, enforceRateLimit: true });
  const recorded = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  // Ids no fixture holds: PubMed answers without them, and the watcher leaves their shares as they were.
  const pmids = [...recorded];
  for (let n = 90_000_001; pmids.length < DISTINCT; n += 1) pmids.push(String(n));
  const versions = articleVersions(eutils.records.get(ERRATUM_PMID)?.xml ?? '');
  eutils.reviseRecord(ERRATUM_PMID, versions.before);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-watch-'));
  const store = await openStore(
    { kind: 'sqlite', path: path.join(dir, 'paperbot.sqlite') },
    { clock: systemClock, logger: silentLogger },
  );
  const ledger = createWatchLedger(store);
  const cache = await createCacheStore({ kind: 'memory' });
  // As in the running server (src/main.ts): NCBI counts a request when it arrives, so slots are held longer.
  const budget = createMemoryRateBudget({ perSecond, clock: systemClock, marginMs: ARRIVAL_MARGIN_MS });
  const pubmed = createPubmedService({
    client: createEutilsClient({
      baseUrl: eutils.url,
      tool: 'paperbot-bench',
      email: 'paperbot-bench@example.org',
      ...(perSecond > 3 ? { apiKey: 'benchkey0123456789' } : {}),
      attemptTimeoutMs: 10_000,
    }),
    budget,
    cache: { store: cache, clock: systemClock, flight: createSingleFlight() },
    clock: systemClock,
  });
  // What each card showed when shared: the recorded records as they are (the erratum's before its link).
  const shown = new Map(
    [...eutils.records.values()].flatMap((r) =>
      parseArticleSet(
        `<PubmedArticleSet>${r.pmid === ERRATUM_PMID ? versions.before : r.xml}</PubmedArticleSet>`,
      ).articles.map((a) => [a.pmid, articleStatus(a)] as const),
    ),
  );
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
    const now = Date.now();
    for (let i = 0; i < SHARES; i += 1) {
      const pmid = i >= SHARES - CHANGED ? ERRATUM_PMID : (pmids[i % DISTINCT] as string);
      await ledger.record({
        platform: 'slack',
        team: 'T0BENCH',
        channel: `C${String(i % CHANNELS).padStart(4, '0')}`,
        messageId: `${Math.floor(now / 1000) - i}.000100`,
        item: { kind: 'article', id: pmid },
        title: `Shared paper ${i}`,
        by: { id: 'U0BENCH' },
        at: now - i * 60_000,
        status: shown.get(pmid) ?? { kind: 'article', retracted: false, notices: [] },
        facts: {},
      });
    }
    eutils.reviseRecord(ERRATUM_PMID, versions.recorded);
    eutils.reset();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const report = await runWatch(
      { ledger, store, pubmed, deliverers: { slack }, clock: systemClock, logger: silentLogger },
      { now: true },
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const counts: Record<string, number> = {};
    for (const o of report.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
    const efetches = eutils.requests.filter((r) => r.utility === 'efetch');
    const largest = Math.max(0, ...efetches.map((r) => (r.params.id ?? '').split(',').length));
    console.log(
      `watch run: ${SHARES} shares in ${CHANNELS} channels, ${DISTINCT} distinct PMIDs; sqlite store; NCBI budget ${perSecond}/s; fake NCBI +${NCBI_DELAY_MS} ms per call`,
    );
    console.log(
      `  outcomes: ${JSON.stringify(counts)}; watched ${report.watched}, not checkable ${report.unavailable}`,
    );
    console.log(
      `  NCBI requests: ${eutils.requests.length} (efetch ${efetches.length}, largest ${largest} PMIDs); peak ${maxStartsInWindow(eutils.requests)} per rolling second (NCBI allows ${perSecond > 3 ? 10 : 3})`,
    );
    console.log(
      `  run time: ${seconds.toFixed(1)} s; notices posted: ${posts.length}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
    );
  } finally {
    await store.close();
    await budget.close();
    await cache.close();
    await eutils.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
