// Unpaywall as a signal service: the best legal open copy per DOI, cached a week, a few DOIs at a time.

import { cached, cacheKey, type CachedDeps, type CachePolicy } from '../cache/cached';
import { isPaperbotError } from '../core/errors';
import { silentLogger } from '../core/logger';
import type { ArticleSignals, OpenAccess, Signals } from '../core/signals';
import { sourceCallerFor, type SourceServiceDeps } from '../sources/caller';
import { perDoi } from '../signals/per-doi';
import { UNPAYWALL_RETRY, UNPAYWALL_SOURCE, type UnpaywallClient } from './client';

const DAY = 24 * 60 * 60 * 1000;
/** Open-access status changes rarely (an embargo ends): a week fresh, a month as an outage fallback. */
export const UNPAYWALL_CACHE: CachePolicy = { freshMs: 7 * DAY, staleMs: 30 * DAY };
/** DOIs asked at once: a page of results is five. */
export const UNPAYWALL_CONCURRENCY = 5;

export interface UnpaywallServiceDeps extends SourceServiceDeps {
  client: UnpaywallClient;
  cache: CachedDeps;
}

export function createUnpaywallService(deps: UnpaywallServiceDeps): Signals {
  const logger = (deps.logger ?? silentLogger).child({ source: UNPAYWALL_SOURCE });
  const caller = sourceCallerFor(UNPAYWALL_SOURCE, UNPAYWALL_RETRY, logger, deps);
  const cache: CachedDeps = { ...deps.cache, logger: deps.cache.logger ?? logger };

  return {
    async signalsFor(articles, o = {}) {
      const found = await perDoi(articles, UNPAYWALL_CONCURRENCY, async (doi) => {
        const key = cacheKey('unpaywall', doi);
        const result = await caller.call(key, o, (call) =>
          cached<OpenAccess | null>(cache, key, UNPAYWALL_CACHE, async () => {
            try {
              return await caller.step('work', call, (signal) => deps.client.work(doi, signal));
            } catch (error) {
              // Unpaywall does not know this DOI: no answer (cached, so not asked again all week).
              if (isPaperbotError(error) && error.code === 'not_found') return null;
              throw error;
            }
          }),
        );
        return result.value ?? undefined;
      });
      return new Map(
        [...found].map(([pmid, openAccess]): [string, ArticleSignals] => [pmid, { openAccess }]),
      );
    },
  };
}
