// Benchmarks for the ClinicalTrials.gov source: study JSON → Trial throughput, trial lookup latency through
// the service against the fake API adding 200 ms per call, and the offline radius search. Prints figures only.
//   node -r @swc-node/register bench/trials.ts [--geo: the offline radius search only]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { createSingleFlight } from '../src/cache/singleflight';
import { createCacheStore, type CacheStoreOptions } from '../src/cache/store';
import { createCtgovClient } from '../src/clinicaltrials/client';
import { createTrialsService } from '../src/clinicaltrials/service';
import { parseStudyPage } from '../src/clinicaltrials/study';
import { systemClock } from '../src/core/clock';
import type { RateBudget } from '../src/core/ports';
import { createMemoryRateBudget } from '../src/sources/budget';
import { startFakeCtgov, type FakeCtgov } from '../test/peers/ctgov';
import { FIXTURE_DIR } from '../test/peers/ctgov-data';
import { startFakeEutils } from '../test/peers/eutils';
import { startTestGraph } from '../test/support/graph';
import { geoSearchBench } from './trials-geo';

const ROUNDS = 5;
const ROUND_MS = 1000;
const SERVER_LATENCY_MS = 200;
const COLD_LOOKUPS = 20;
const WARM_LOOKUPS = 2000;
/** What the lead plans for ClinicalTrials.gov; cold lookups are spaced so pacing never queues them. */
const BUDGET_PER_SECOND = 2;

/** The largest recorded search page (v2_search_*): single-study records have no `studies` array. */
function largestFixture(): { name: string; text: string } {
  const files = fs.readdirSync(FIXTURE_DIR).filter((f) => f.startsWith('v2_search_') && f.endsWith('.json'));
  const sized = files.map((name) => ({ name, size: fs.statSync(path.join(FIXTURE_DIR, name)).size }));
  sized.sort((a, b) => b.size - a.size);
  const name = sized[0]?.name;
  if (!name) throw new Error(`no JSON fixtures in ${FIXTURE_DIR}`);
  return { name, text: fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8') };
}

/** Best of ROUNDS rounds of ~ROUND_MS each: iterations per second. */
function opsPerSecond(fn: () => void): number {
  for (let i = 0; i < 200; i += 1) fn();
  let best = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    let iterations = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      for (let i = 0; i < 50; i += 1) fn();
      iterations += 50;
      elapsed = performance.now() - started;
    }
    best = Math.max(best, (iterations * 1000) / elapsed);
  }
  return best;
}

function parseThroughput(): void {
  const { name, text } = largestFixture();
  const bytes = Buffer.byteLength(text);
  const studies = parseStudyPage(JSON.parse(text)).studies.length;
  const object: unknown = JSON.parse(text);
  const fromBytes = opsPerSecond(() => parseStudyPage(JSON.parse(text)));
  const fromObject = opsPerSecond(() => parseStudyPage(object));
  console.log(
    `study JSON → Trial, largest fixture ${name} (${bytes} bytes, ${studies} studies), best of ${ROUNDS}:`,
  );
  const row = (label: string, pagesPerSecond: number): void =>
    console.log(
      `  ${label.padEnd(34)} ${Math.round(pagesPerSecond * studies)
        .toLocaleString('en-US')
        .padStart(9)} studies/s  ${((pagesPerSecond * bytes) / 1e6).toFixed(1).padStart(6)} MB/s`,
    );
  row('bytes → Trial (JSON.parse + zod)', fromBytes);
  row('parsed JSON → Trial (zod + mapping)', fromObject);
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
  console.log(
    `  ${label.padEnd(26)} n=${String(samples.length).padEnd(5)} p50 ${fmt(percentile(sorted, 50)).padStart(9)}  p99 ${fmt(percentile(sorted, 99)).padStart(9)}`,
  );
}

async function lookupLatency(
  peer: FakeCtgov,
  agent: Agent,
  budget: RateBudget,
  store: CacheStoreOptions,
): Promise<void> {
  const client = createCtgovClient({ baseUrl: peer.url, dispatcher: agent, attemptTimeoutMs: 2000 });
  const cold: number[] = [];
  for (let i = 0; i < COLD_LOOKUPS; i += 1) {
    // A new, empty cache per lookup: every one goes to the (slow) source.
    const cache = await createCacheStore(
      store.kind === 'sqlite' ? { kind: 'sqlite', path: `${store.path}.${i}` } : store,
    );
    const service = createTrialsService({
      client,
      budget,
      cache: { store: cache, clock: systemClock },
      clock: systemClock,
    });
    const started = performance.now();
    await service.getTrial('NCT02576665');
    cold.push(performance.now() - started);
    await cache.close();
    await systemClock.sleep(1000 / BUDGET_PER_SECOND);
  }
  const cache = await createCacheStore(store);
  const service = createTrialsService({
    client,
    budget,
    cache: { store: cache, clock: systemClock, flight: createSingleFlight() },
    clock: systemClock,
  });
  await service.getTrial('NCT02576665');
  const before = peer.requests.length;
  const warm: number[] = [];
  for (let i = 0; i < WARM_LOOKUPS; i += 1) {
    const started = performance.now();
    await service.getTrial('NCT02576665');
    warm.push(performance.now() - started);
  }
  if (peer.requests.length !== before) throw new Error('warm lookups reached the source');
  await cache.close();
  summary(`cold (${store.kind} cache)`, cold);
  summary(`warm (${store.kind} cache)`, warm);
}

const CORE_WARM_LOOKUPS = 500;

/** `trial NCT…` through the whole core (parser, assistant, cards, SQLite cache), as a user's command runs. */
async function coreLatency(peer: FakeCtgov): Promise<void> {
  // The trial card also asks PubMed which articles link the NCT id: a fake NCBI with the same latency.
  const eutils = await startFakeEutils({ delayMs: SERVER_LATENCY_MS });
  const cold: number[] = [];
  const ncts = ['NCT02576665', 'NCT06382129'];
  for (const nct of ncts) {
    // A fresh graph (fresh cache) per cold lookup.
    const graph = await startTestGraph({ ctgovUrl: peer.url, eutilsUrl: eutils.url });
    const started = performance.now();
    await graph.assistant.handle({ text: `trial ${nct}`, user: { id: 'bench' }, place: { platform: 'cli' } });
    cold.push(performance.now() - started);
    await graph.close();
  }
  const graph = await startTestGraph({ ctgovUrl: peer.url, eutilsUrl: eutils.url });
  const ask = (): Promise<unknown> =>
    graph.assistant.handle({ text: 'trial NCT02576665', user: { id: 'bench' }, place: { platform: 'cli' } });
  await ask();
  const warm: number[] = [];
  for (let i = 0; i < CORE_WARM_LOOKUPS; i += 1) {
    const started = performance.now();
    await ask();
    warm.push(performance.now() - started);
  }
  await graph.close();
  await eutils.close();
  console.log(`trial lookup through the core (\`trial NCT…\`, SQLite cache):`);
  summary('cold', cold);
  summary('warm', warm);
}

export async function main(): Promise<void> {
  if (process.argv.includes('--geo')) return geoSearchBench();
  parseThroughput();
  const peer = await startFakeCtgov({ latencyMs: SERVER_LATENCY_MS });
  const agent = new Agent();
  const budget = createMemoryRateBudget({ perSecond: BUDGET_PER_SECOND, clock: systemClock });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-trials-'));
  try {
    console.log(
      `trial lookup through the service (fake ClinicalTrials.gov +${SERVER_LATENCY_MS} ms per call, budget ${BUDGET_PER_SECOND}/s):`,
    );
    await lookupLatency(peer, agent, budget, { kind: 'memory' });
    await lookupLatency(peer, agent, budget, { kind: 'sqlite', path: path.join(dir, 'cache.sqlite') });
    await coreLatency(peer);
    geoSearchBench();
  } finally {
    await budget.close();
    await agent.close();
    await peer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
