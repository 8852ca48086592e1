// Crossref as a signal service: the notices publishers registered about a DOI and its preprint ↔ published
// versions, cached a day (a retraction must not wait a week to show), a few DOIs at a time in the polite pool.

import { cached, cacheKey, type CachedDeps, type CachePolicy } from '../cache/cached';
import { isPaperbotError } from '../core/errors';
import { silentLogger } from '../core/logger';
import type { ArticleSignals, Signals } from '../core/signals';
import { sourceCallerFor, type SourceServiceDeps } from '../sources/caller';
import { perDoi } from '../signals/per-doi';
import { CROSSREF_RETRY, CROSSREF_SOURCE, type CrossrefClient, type CrossrefWork } from './client';

const DAY = 24 * 60 * 60 * 1000;
export const CROSSREF_CACHE: CachePolicy = { freshMs: DAY, staleMs: 30 * DAY };
/** The polite pool allows three requests in flight. */
export const CROSSREF_CONCURRENCY = 3;

export interface CrossrefServiceDeps extends SourceServiceDeps {
  client: CrossrefClient;
  cache: CachedDeps;
}

export function createCrossrefService(deps: CrossrefServiceDeps): Signals {
  const logger = (deps.logger ?? silentLogger).child({ source: CROSSREF_SOURCE });
  const caller = sourceCallerFor(CROSSREF_SOURCE, CROSSREF_RETRY, logger, deps);
  const cache: CachedDeps = { ...deps.cache, logger: deps.cache.logger ?? logger };

  return {
    async signalsFor(articles, o = {}) {
      const found = await perDoi(articles, CROSSREF_CONCURRENCY, async (doi) => {
        // v2: the cached value became {notices, versions}; a v1 entry (a bare list) is never read as one.
        const key = cacheKey('crossref-work-v2', doi);
        const result = await caller.call(key, o, (call) =>
          cached<CrossrefWork>(cache, key, CROSSREF_CACHE, async () => {
            try {
              return await caller.step('work', call, (signal) => deps.client.work(doi, signal));
            } catch (error) {
              // A DOI Crossref does not hold (another registration agency's): nothing registered there.
              if (isPaperbotError(error) && error.code === 'not_found') return { notices: [], versions: [] };
              throw error;
            }
          }),
        );
        const { notices, versions } = result.value;
        const signals: ArticleSignals = {
          ...(notices.length > 0 ? { publisherNotices: notices } : {}),
          ...(versions.length > 0 ? { versions } : {}),
        };
        return notices.length > 0 || versions.length > 0 ? signals : undefined;
      });
      return new Map(found);
    },
  };
}
