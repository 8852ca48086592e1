// The trials source the core calls: lookups by NCT id, searches, acronym resolution and full paging,
// with caching, stale fallback, coalescing, pacing and retries. HTTP is client.ts's; the Trial shape is core's.

import { cached, cacheKey, type CachedDeps, type CachePolicy } from '../cache/cached';
import { silentLogger } from '../core/logger';
import type { Trial } from '../core/trial';
import { acronymKey, titleNamesAcronym } from '../core/trial-acronyms';
import { sourceCallerFor, type RunOptions, type SourceServiceDeps } from '../sources/caller';
import type { CallContext } from '../sources/retry';
import type { CtgovClient } from './client';
import { CTGOV_RETRY, CTGOV_SOURCE, ctgovError, normaliseNctId } from './errors';
import { DEFAULT_FIELDS, SUMMARY_FIELDS } from './query';
import { searchKey, type StudyQuery } from './search-keys';

export type { StudyQuery } from './search-keys';

const DAY = 24 * 60 * 60 * 1000;
export const TRIAL_CACHE: CachePolicy = { freshMs: DAY, staleMs: 30 * DAY };
export const SEARCH_CACHE: CachePolicy = { freshMs: 60 * 60 * 1000, staleMs: DAY };

export interface TrialsServiceDeps extends SourceServiceDeps {
  client: CtgovClient;
  cache: CachedDeps;
}

/**
 * Priority defaults to 'interactive'; deadlineMs overrides the deadline it implies. Identical lookups of one
 * priority are shared, and run on (filling the cache) when one caller's signal aborts.
 */
export type CallOptions = RunOptions;

export interface TrialResult {
  trial: Trial;
  /** Served from an expired cache copy because ClinicalTrials.gov failed. */
  stale: boolean;
}

export interface TrialSearchResult {
  trials: Trial[];
  total?: number;
  nextPageToken?: string;
  stale: boolean;
}

export interface SearchAllResult {
  trials: Trial[];
  total?: number;
  pages: number;
  /** False when maxPages stopped the walk before the last page. */
  complete: boolean;
}

export interface TrialsService {
  getTrial(nct: string, options?: CallOptions): Promise<TrialResult>;
  search(query: StudyQuery, options?: CallOptions): Promise<TrialSearchResult>;
  /**
   * Studies whose acronym equals `acronym` ignoring case, spaces and dashes ("keynote 189" = "KEYNOTE-189").
   * With no exact match, a plain term search: its studies whose title names the acronym, else all it
   * returned. Those are candidates, not matches: compare `acronymKey(trial.acronym)` to tell them apart.
   */
  findByAcronym(acronym: string, options?: CallOptions): Promise<Trial[]>;
  /**
   * Follows nextPageToken (from query.pageToken, if given) until it is absent or maxPages pages were read.
   * Batch priority unless told otherwise; not cached, since page tokens may not outlive a cached page.
   */
  searchAll(query: StudyQuery, options: CallOptions & { maxPages: number }): Promise<SearchAllResult>;
  /**
   * These studies as the registry has them now, never from the cache (the watcher wants today's status):
   * one request (filter.ids) per call; callers send at most 200 ids. Studies the registry lacks are absent.
   */
  studiesFresh(ncts: string[], options?: CallOptions): Promise<Trial[]>;
}

const DEFAULT_PAGE_SIZE = 10;
const ACRONYM_PAGE_SIZE = 20;

type CachedPage = Omit<TrialSearchResult, 'stale'>;

export function createTrialsService(deps: TrialsServiceDeps): TrialsService {
  const logger = (deps.logger ?? silentLogger).child({ source: 'clinicaltrials' });
  const caller = sourceCallerFor(CTGOV_SOURCE, CTGOV_RETRY, logger, deps);

  function fetchPage(query: StudyQuery, call: CallContext): Promise<CachedPage> {
    logger.debug({ query }, 'clinicaltrials: search');
    return caller.step('searchStudies', call, async (signal) => {
      const page = await deps.client.searchStudies(
        { ...query, pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE },
        signal,
      );
      const out: CachedPage = { trials: page.studies };
      if (page.totalCount !== undefined) out.total = page.totalCount;
      if (page.nextPageToken !== undefined) out.nextPageToken = page.nextPageToken;
      return out;
    });
  }

  async function search(query: StudyQuery, options: CallOptions = {}): Promise<TrialSearchResult> {
    // Page 1 asks for the total so the core can say "12 of 480"; later pages never carry it. Pages become
    // summary cards, so they ask only for what those show unless the caller names its fields.
    const effective: StudyQuery = {
      countTotal: query.pageToken === undefined,
      fields: [...SUMMARY_FIELDS],
      ...query,
    };
    const key = cacheKey('ctgov', 'search', searchKey(effective));
    const result = await caller.call(key, options, (call) =>
      cached(deps.cache, key, SEARCH_CACHE, () => fetchPage(effective, call)),
    );
    return { ...result.value, stale: result.stale };
  }

  return {
    async getTrial(nct, options = {}) {
      const id = normaliseNctId(nct);
      const key = cacheKey('ctgov', 'trial', id);
      const result = await caller.call(key, options, (call) =>
        cached(deps.cache, key, TRIAL_CACHE, () =>
          caller.step('getStudy', call, (signal) => deps.client.getStudy(id, signal)),
        ),
      );
      return { trial: result.value, stale: result.stale };
    },

    search,

    async findByAcronym(acronym, options = {}) {
      const wanted = acronymKey(acronym);
      if (wanted === '') throw ctgovError('bad_input', 'empty acronym');
      // One deadline for both steps, so a miss on the exact search cannot double the wait.
      const deadlineAt = deps.clock.now() + caller.deadlineMs(options);
      const remaining = (): CallOptions => ({
        ...options,
        deadlineMs: Math.max(0, deadlineAt - deps.clock.now()),
      });
      const matches = (trials: Trial[]): Trial[] =>
        trials.filter((t) => t.acronym !== undefined && acronymKey(t.acronym) === wanted);

      // An exact match becomes a full card, so both steps ask for the whole protocol section.
      const fields = [...DEFAULT_FIELDS];
      const exact = matches(
        (await search({ acronym, pageSize: ACRONYM_PAGE_SIZE, fields }, remaining())).trials,
      );
      if (exact.length > 0) return exact;
      // Many registrations keep the acronym only in the title ("…(PANKU-Lung02)"): a plain search finds
      // those; titles naming it whole come before the rest of what the search returned.
      const plain = acronym.replace(/["\\]/g, ' ').trim();
      const general = (await search({ term: plain, pageSize: DEFAULT_PAGE_SIZE, fields }, remaining()))
        .trials;
      const found = matches(general);
      if (found.length > 0) return found;
      const named = general.filter((t) =>
        [t.briefTitle, t.officialTitle].some((x) => x && titleNamesAcronym(x, acronym)),
      );
      return named.length > 0 ? named : general;
    },

    async studiesFresh(ncts, options = {}) {
      const ids = [...new Set(ncts.map(normaliseNctId))];
      if (ids.length === 0) return [];
      const page = await caller.call(undefined, { priority: 'batch', ...options }, (call) =>
        fetchPage({ ids, pageSize: Math.min(ids.length, 1000) }, call),
      );
      return page.trials;
    },

    async searchAll(query, options) {
      if (!Number.isInteger(options.maxPages) || options.maxPages < 1) {
        throw ctgovError(
          'bad_input',
          `maxPages must be a positive whole number, got ${String(options.maxPages)}`,
        );
      }
      const callOptions: CallOptions = { priority: 'batch', ...options };
      const trials: Trial[] = [];
      const seen = new Set<string>();
      const tokens = new Set<string>();
      let total: number | undefined;
      // A token in the query resumes an earlier walk; the total is only counted on a true first page.
      let token = query.pageToken;
      for (let pages = 1; pages <= options.maxPages; pages += 1) {
        const pageQuery: StudyQuery = { ...query, countTotal: token === undefined };
        if (token !== undefined) pageQuery.pageToken = token;
        const page = await caller.call(undefined, callOptions, (call) => fetchPage(pageQuery, call));
        if (page.total !== undefined) total = page.total;
        for (const trial of page.trials) {
          // Unsorted paging should never repeat a study; if it does, one card per trial is still right.
          if (!seen.has(trial.nct)) {
            seen.add(trial.nct);
            trials.push(trial);
          }
        }
        token = page.nextPageToken;
        if (token === undefined) return withTotal({ trials, pages, complete: true }, total);
        if (tokens.has(token)) {
          throw ctgovError('bad_body', 'ClinicalTrials.gov repeated a page token', { retryable: false });
        }
        tokens.add(token);
      }
      return withTotal({ trials, pages: options.maxPages, complete: false }, total);
    },
  };
}

function withTotal(result: SearchAllResult, total: number | undefined): SearchAllResult {
  return total === undefined ? result : { ...result, total };
}
