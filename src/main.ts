// The composition root of the core: config → cache → rate budgets → sources → library → assistant.
// Platform adapters are mounted by adapters/server.ts on top of this graph (src/ never imports adapters/).

import fs from 'node:fs';
import path from 'node:path';
import type { LoadLock } from './cache/load-lock';
import { createRedisLoadLock } from './cache/redis-lock';
import { createCacheStore } from './cache/store';
import { createCtgovClient } from './clinicaltrials/client';
import { createTrialsService } from './clinicaltrials/service';
import type { Config } from './config';
import { createAssistant } from './core/assistant';
import { systemClock, type Clock } from './core/clock';
import type { Logger } from './core/logger';
import { noMetrics, type Metrics } from './core/metrics';
import type { CacheStore, RateBudget } from './core/ports';
import type { Assistant } from './core/reply';
import { openLibrary, type LibraryStore } from './library/store';
import { ensureSeeded } from './library/seed';
import { createEutilsClient } from './pubmed/eutils';
import { ARRIVAL_MARGIN_MS, createMemoryRateBudget, createRedisRateBudget } from './pubmed/limiter';
import { createPubmedService } from './pubmed/service';
import { createSingleFlight } from './cache/singleflight';
import { instrumentCtgov, instrumentEutils } from './metrics-sources';
import {
  createDigestHandler,
  digestDatabasePath,
  openDigestStore,
  type DigestRunnerDeps,
  type DigestStore,
} from './digest';

/** ClinicalTrials.gov publishes no limit; ~50 requests a minute per IP is the folklore, so stay under it. */
export const CTGOV_REQUESTS_PER_SECOND = 2;

export interface CoreOptions {
  /** Never contact PubMed or ClinicalTrials.gov: answer from the local library only. */
  offline?: boolean;
  clock?: Clock;
  /** Where the bundled dataset lives; tests may point elsewhere. */
  seedDir?: string;
  /** Commands, source requests and cache hits are reported here (the server's /metrics); none by default. */
  metrics?: Metrics;
}

export interface Core {
  assistant: Assistant;
  library: LibraryStore;
  cache: CacheStore;
  /** Subscriptions and what each channel was sent; the runner needs PubMed, so offline it has none. */
  digests: { store: DigestStore; runner?: (deliverers: DigestRunnerDeps['deliverers']) => DigestRunnerDeps };
  close(): Promise<void>;
}

export function defaultSeedDir(): string {
  // src/main.ts and dist/src/main.js both sit below the package root; find data/seed from either.
  for (const candidate of [
    path.join(__dirname, '..', 'data', 'seed'),
    path.join(__dirname, '..', '..', 'data', 'seed'),
  ])
    if (fs.existsSync(candidate)) return candidate;
  return path.join(__dirname, '..', 'data', 'seed');
}

/** A named rate budget: in memory, or shared through Redis with the server when REDIS_URL is set. */
export async function createBudget(
  config: Config,
  name: string,
  perSecond: number,
  clock: Clock,
  logger: Logger,
): Promise<RateBudget> {
  // Both sources count requests on arrival, so slots are held a little longer than a second.
  const local = createMemoryRateBudget({ perSecond, clock, marginMs: ARRIVAL_MARGIN_MS });
  if (!config.redisUrl) return local;
  return createRedisRateBudget({
    url: config.redisUrl,
    key: `paperbot:v1:budget:${name}`,
    perSecond,
    clock,
    logger,
    fallback: local,
    marginMs: ARRIVAL_MARGIN_MS,
  });
}

export async function buildCore(config: Config, logger: Logger, options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noMetrics;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const cache = await createCacheStore(
    config.redisUrl
      ? { kind: 'redis', url: config.redisUrl }
      : { kind: 'sqlite', path: path.join(config.dataDir, 'cache.sqlite') },
    { logger },
  );
  const library = openLibrary({ path: path.join(config.dataDir, 'library.sqlite'), clock, logger });
  await ensureSeeded(library, options.seedDir ?? defaultSeedDir());

  const closers: (() => Promise<void>)[] = [];
  let pubmed: ReturnType<typeof createPubmedService> | undefined;
  let trials: ReturnType<typeof createTrialsService> | undefined;
  if (!options.offline) {
    const flight = createSingleFlight();
    // With Redis, replicas also coalesce cache-miss loads: one asks the source, the others read its entry.
    const lock: LoadLock | undefined = config.redisUrl
      ? await createRedisLoadLock({ url: config.redisUrl, clock, logger })
      : undefined;
    if (lock) closers.push(() => lock.close());
    const cacheDeps = { store: cache, clock, logger, flight, metrics, ...(lock ? { lock } : {}) };
    const ncbiBudget = await createBudget(config, 'ncbi', config.ncbi.requestsPerSecond, clock, logger);
    const ctgovBudget = await createBudget(config, 'ctgov', CTGOV_REQUESTS_PER_SECOND, clock, logger);
    closers.push(
      () => ncbiBudget.close(),
      () => ctgovBudget.close(),
    );
    pubmed = createPubmedService({
      client: instrumentEutils(
        createEutilsClient({
          baseUrl: config.ncbi.baseUrl,
          tool: config.ncbi.tool,
          ...(config.ncbi.email ? { email: config.ncbi.email } : {}),
          ...(config.ncbi.apiKey ? { apiKey: config.ncbi.apiKey } : {}),
          attemptTimeoutMs: 2000,
        }),
        metrics,
        clock,
      ),
      budget: ncbiBudget,
      cache: cacheDeps,
      clock,
      logger,
    });
    trials = createTrialsService({
      client: instrumentCtgov(
        createCtgovClient({ baseUrl: config.clinicalTrials.baseUrl, attemptTimeoutMs: 2000 }),
        metrics,
        clock,
      ),
      budget: ctgovBudget,
      cache: cacheDeps,
      clock,
      logger,
    });
  }

  const digestStore = await openDigestStore(
    config.redisUrl
      ? { kind: 'redis', url: config.redisUrl }
      : { kind: 'sqlite', path: digestDatabasePath(config.dataDir) },
    { clock, logger },
  );
  const digests = createDigestHandler({ store: digestStore, ...(pubmed ? { pubmed } : {}), clock, logger });
  const assistant = createAssistant({
    ...(pubmed ? { pubmed } : {}),
    ...(trials ? { trials } : {}),
    library,
    digests,
    clock,
    logger,
    metrics,
  });
  const digestPubmed = pubmed;
  return {
    assistant,
    library,
    cache,
    digests: {
      store: digestStore,
      ...(digestPubmed
        ? {
            runner: (deliverers: DigestRunnerDeps['deliverers']): DigestRunnerDeps => ({
              store: digestStore,
              pubmed: digestPubmed,
              deliverers,
              clock,
              logger,
            }),
          }
        : {}),
    },
    async close() {
      // Side by side: while Redis is away each connection takes a second or so to give up reconnecting,
      // and a shutdown must fit in its 10 s however many there are.
      await Promise.all([...closers.map((close) => close()), digestStore.close(), cache.close()]);
      library.close();
    },
  };
}
