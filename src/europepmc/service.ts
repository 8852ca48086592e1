// Europe PMC as a signal service: one lite search per batch of PMIDs (citation counts, PMC copies, DOIs),
// each record cached a day, and the "Cited by" / "References" lists, cached a day a page.

import { cached, cachedMany, cacheKey, type CachedDeps, type CachePolicy } from '../cache/cached';
import { silentLogger } from '../core/logger';
import type { CallOptions } from '../core/sources';
import type { ArticleSignals, CitationLists, Signals, WorkList } from '../core/signals';
import { sourceCallerFor, type SourceServiceDeps } from '../sources/caller';
import { sourceError } from '../sources/errors';
import { EPMC_MAX_PAGE, EPMC_RETRY, EPMC_SOURCE, type EpmcClient, type EpmcRecord } from './client';

const DAY = 24 * 60 * 60 * 1000;
/** Citation counts move slowly; a day old is fresh enough, a week old is better than nothing in an outage. */
export const EPMC_RECORD_CACHE: CachePolicy = { freshMs: DAY, staleMs: 7 * DAY };
export const EPMC_LIST_CACHE: CachePolicy = { freshMs: DAY, staleMs: 7 * DAY };

export interface EpmcServiceDeps extends SourceServiceDeps {
  client: EpmcClient;
  cache: CachedDeps;
}

const PMID = /^\d{1,9}$/;

/** Where a reader sees the citing records: Europe PMC's search for works citing this one. */
export function epmcCitedByUrl(pmid: string): string {
  return `https://europepmc.org/search?query=CITES%3A${pmid}_MED`;
}

export function signalsOf(r: EpmcRecord): ArticleSignals {
  const out: ArticleSignals = {};
  if (r.citedByCount !== undefined)
    out.citedBy = { service: EPMC_SOURCE, count: r.citedByCount, url: epmcCitedByUrl(r.pmid) };
  if (r.pmcid && (r.inPmc || r.openAccess))
    out.openAccess = {
      service: EPMC_SOURCE,
      status: 'open',
      url: `https://pmc.ncbi.nlm.nih.gov/articles/${r.pmcid}/`,
      host: 'pmc',
      ...(r.openAccess ? { openLicence: true } : {}),
    };
  if (r.hasReferences) out.references = { service: EPMC_SOURCE };
  if (r.doi) out.doi = r.doi;
  return out;
}

export type EpmcService = Signals & CitationLists;

export function createEpmcService(deps: EpmcServiceDeps): EpmcService {
  const logger = (deps.logger ?? silentLogger).child({ source: EPMC_SOURCE });
  const caller = sourceCallerFor(EPMC_SOURCE, EPMC_RETRY, logger, deps);
  const cache: CachedDeps = { ...deps.cache, logger: deps.cache.logger ?? logger };

  async function records(pmids: string[], o: CallOptions): Promise<Map<string, EpmcRecord>> {
    const keys = pmids.map((p) => cacheKey('epmc-record', p));
    // Shared by key, so a page asked twice at once costs one request; it runs on (filling the cache) when
    // the combiner stops waiting for it.
    return caller.call(`records|${pmids.join(',')}`, o, async (call) => {
      const result = await cachedMany<EpmcRecord | null>(cache, keys, EPMC_RECORD_CACHE, async (missing) => {
        const ask = missing.map((i) => pmids[i] ?? '');
        const found = await caller.step('search', call, (signal) => deps.client.searchPmids(ask, signal));
        // null: Europe PMC has no such record; cached too, so it is not asked again all day.
        return ask.map((p) => found.get(p) ?? null);
      });
      const out = new Map<string, EpmcRecord>();
      result.values.forEach((r) => {
        if (r) out.set(r.pmid, r);
      });
      return out;
    });
  }

  function list(kind: 'citations' | 'references') {
    return async (pmid: string, start: number, size: number, o: CallOptions = {}): Promise<WorkList> => {
      if (!PMID.test(pmid)) throw sourceError(EPMC_SOURCE, 'bad_input', `"${pmid}" is not a PMID`);
      if (!Number.isInteger(size) || size < 1 || size > EPMC_MAX_PAGE || start % size !== 0)
        throw sourceError(EPMC_SOURCE, 'bad_input', `a page of ${size} cannot start at ${start}`);
      const page = start / size + 1;
      const key = cacheKey('epmc-list', kind, pmid, String(page), String(size));
      const result = await caller.call(key, o, (call) =>
        cached(cache, key, EPMC_LIST_CACHE, () =>
          caller.step(kind, call, (signal) => deps.client.workList(pmid, kind, page, size, signal)),
        ),
      );
      return result.value;
    };
  }

  return {
    async signalsFor(articles, o = {}) {
      const pmids = [...new Set(articles.map((a) => a.pmid).filter((p) => PMID.test(p)))];
      if (pmids.length === 0) return new Map();
      const found = await records(pmids.slice(0, EPMC_MAX_PAGE), o);
      return new Map([...found].map(([pmid, r]): [string, ArticleSignals] => [pmid, signalsOf(r)]));
    },
    citedBy: list('citations'),
    references: list('references'),
  };
}
