// The core graph: config → store → cache → rate budgets → sources → library → assistant, built and closed
// as one. Not the composition root: adapters/server.ts (and the CLI) build this graph and join it with the chat SDKs.

import fs from 'node:fs';
import path from 'node:path';
import type { LoadLock } from './cache/load-lock';
import { createStoreLoadLock } from './cache/shared-lock';
import { cacheOnStore } from './cache/store';
import { createCtgovClient } from './clinicaltrials/client';
import { createTrialsService } from './clinicaltrials/service';
import type { Config } from './config';
import { createAssistant } from './core/assistant';
import { createBoardSites } from './core/board-site';
import { systemClock, type Clock } from './core/clock';
import type { Logger } from './core/logger';
import { noMetrics, type Metrics } from './core/metrics';
import type { CacheStore } from './core/ports';
import type { Assistant } from './core/reply';
import type { DurableStore } from './core/store';
import { openLibrary, type LibraryStore } from './library/store';
import { ensureSeeded } from './library/seed';
import { createEutilsClient } from './pubmed/eutils';
import { createEvidenceMap } from './pubmed/evidence-map';
import { createPubmedService } from './pubmed/service';
import { createSingleFlight } from './cache/singleflight';
import { ARRIVAL_MARGIN_MS, type ServiceBudget } from './sources/budget';
import { measured } from './sources/measured';
import { createServiceBudget } from './sources/service-budget';
import { buildSignals } from './signals';
import { createDigestHandler, createDigestStore, type DigestRunnerDeps, type DigestStore } from './digest';
import { prepareDataDir, ensurePrivateFile } from './store/files';
import {
  createExportLinks,
  createWatchHandler,
  createWatchLedger,
  DEFAULT_RETENTION_MS,
  type ExportLinks,
  type WatchLedger,
  type WatchRunnerDeps,
} from './watch';
import type { WatchPubmed } from './watch/fetch';
import { openDataStore } from './store/data-store';

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
  /** The one durable store of the process (SQLite file, or Redis): cache, digests and adapters' state. */
  store: DurableStore;
  cache: CacheStore;
  /** Subscriptions and what each channel was sent; the runner needs PubMed, so offline it has none. */
  digests: { store: DigestStore; runner?: (deliverers: DigestRunnerDeps['deliverers']) => DigestRunnerDeps };
  /**
   * Shares and what the watcher told each channel. Adapters record shares in `ledger`; `runner` (absent
   * offline: nothing to re-check against) builds the watcher's dependencies for a set of deliverers.
   */
  watch: {
    ledger: WatchLedger;
    retentionMs: number;
    schedule?: string;
    runner?: (deliverers: WatchRunnerDeps['deliverers']) => WatchRunnerDeps;
    /** Fresh records for exports (absent offline). */
    pubmed?: WatchPubmed;
    /** Exports held for download (Teams); absent without PAPERBOT_PUBLIC_URL. */
    exportLinks?: ExportLinks;
  };
  /** The outside services' rate budgets and where each serves from (none offline), for /readyz. */
  budgets: readonly ServiceBudget[];
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

export async function buildCore(config: Config, logger: Logger, options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? noMetrics;
  const loose = prepareDataDir(config.dataDir);
  if (loose.length > 0)
    logger.warn({ paths: loose }, 'state paths owned by another user stay readable by others');
  const store = await openDataStore(config, { clock, logger });
  const cache = cacheOnStore(store, { clock, logger });
  const libraryFile = path.join(config.dataDir, 'library.sqlite');
  ensurePrivateFile(libraryFile);
  const library = openLibrary({ path: libraryFile, clock, logger });
  await ensureSeeded(library, options.seedDir ?? defaultSeedDir());

  const closers: (() => Promise<void>)[] = [];
  const budgets: ServiceBudget[] = [];
  let pubmed: ReturnType<typeof createPubmedService> | undefined;
  let trials: ReturnType<typeof createTrialsService> | undefined;
  let signals: Awaited<ReturnType<typeof buildSignals>> | undefined;
  if (!options.offline) {
    const flight = createSingleFlight();
    // With Redis, replicas also coalesce cache-miss loads: one asks the source, the others read its entry.
    const lock: LoadLock | undefined =
      store.kind === 'redis' ? createStoreLoadLock(store, { clock, logger }) : undefined;
    const cacheDeps = { store: cache, clock, logger, flight, metrics, ...(lock ? { lock } : {}) };
    const budget = (name: string, perSecond: number): Promise<ServiceBudget> =>
      createServiceBudget({
        name,
        perSecond,
        clock,
        logger,
        replicas: config.replicas,
        // Both sources count requests on arrival, so slots are held a little longer than a second.
        marginMs: ARRIVAL_MARGIN_MS,
        ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
        onModeChange: (mode) => metrics.budgetMode({ budget: name, localShare: mode === 'local share' }),
      });
    const ncbiBudget = await budget('ncbi', config.ncbi.requestsPerSecond);
    const ctgovBudget = await budget('ctgov', CTGOV_REQUESTS_PER_SECOND);
    budgets.push(ncbiBudget, ctgovBudget);
    closers.push(
      () => ncbiBudget.close(),
      () => ctgovBudget.close(),
    );
    pubmed = createPubmedService({
      client: measured(
        createEutilsClient({
          baseUrl: config.ncbi.baseUrl,
          tool: config.ncbi.tool,
          ...(config.ncbi.email ? { email: config.ncbi.email } : {}),
          ...(config.ncbi.apiKey ? { apiKey: config.ncbi.apiKey } : {}),
          attemptTimeoutMs: 2000,
        }),
        { metrics, clock, source: 'pubmed' },
      ),
      budget: ncbiBudget,
      cache: cacheDeps,
      clock,
      logger,
    });
    trials = createTrialsService({
      client: measured(
        createCtgovClient({ baseUrl: config.clinicalTrials.baseUrl, attemptTimeoutMs: 2000 }),
        {
          metrics,
          clock,
          source: 'clinicaltrials',
          operations: { getStudy: 'study', searchStudies: 'studies' },
        },
      ),
      budget: ctgovBudget,
      cache: cacheDeps,
      clock,
      logger,
    });
    signals = await buildSignals(config.signals, { budget, cache: cacheDeps, clock, logger, metrics });
    budgets.push(...signals.budgets);
    closers.push(...signals.budgets.map((b) => () => b.close()));
  }

  const digestStore = createDigestStore(store);
  const digests = createDigestHandler({ store: digestStore, ...(pubmed ? { pubmed } : {}), clock, logger });
  const watchLedger = createWatchLedger(store);
  const retentionMs = config.watch?.retentionMs ?? DEFAULT_RETENTION_MS;
  const exportLinks = config.publicUrl
    ? createExportLinks({ store, clock, publicUrl: config.publicUrl })
    : undefined;
  const watchHandler = createWatchHandler({
    ledger: watchLedger,
    clock,
    retentionMs,
    logger,
    ...(pubmed ? { pubmed } : {}),
    ...(exportLinks ? { exportLinks } : {}),
  });
  const assistant = createAssistant({
    ...(pubmed ? { pubmed, evidence: createEvidenceMap({ pubmed, logger }) } : {}),
    ...(trials ? { trials } : {}),
    ...(signals?.signals ? { signals: signals.signals } : {}),
    ...(signals?.lists ? { citationLists: signals.lists } : {}),
    library,
    digests,
    watch: watchHandler,
    sites: createBoardSites(store, config.defaultSite),
    clock,
    logger,
    metrics,
  });
  const digestPubmed = pubmed;
  const watchTrials = trials;
  return {
    watch: {
      ledger: watchLedger,
      retentionMs,
      ...(exportLinks ? { exportLinks } : {}),
      ...(config.watch?.schedule ? { schedule: config.watch.schedule } : {}),
      ...(digestPubmed
        ? {
            pubmed: digestPubmed,
            runner: (deliverers: WatchRunnerDeps['deliverers']): WatchRunnerDeps => ({
              ledger: watchLedger,
              store,
              pubmed: digestPubmed,
              ...(watchTrials ? { trials: watchTrials } : {}),
              deliverers,
              clock,
              logger,
              retentionMs,
            }),
          }
        : {}),
    },
    assistant,
    library,
    store,
    cache,
    budgets,
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
      await Promise.all(closers.map((close) => close()));
      await Promise.all([digestStore.close(), cache.close()]);
      await store.close();
      library.close();
    },
  };
}
