// The PubMed source the core calls: search, fetch, similar, DOI/PMCID resolution and digest windows, each
// under one deadline, through the shared rate budget, cached and coalesced. One HTTP attempt is eutils.ts's,
// records by PMID are articles.ts's, deadlines, sharing and retries are src/sources/caller.ts's.

import { cached, cacheKey, type CachedDeps, type CachePolicy } from '../cache/cached';
import type { Article } from '../core/article';
import { silentLogger } from '../core/logger';
import type { SearchQuery } from '../core/query';
import type { CallOptions, SearchOptions } from '../core/sources';
import { sourceError } from '../sources/errors';
import { sourceCallerFor, type SourceServiceDeps } from '../sources/caller';
import type { CallContext } from '../sources/retry';
import { createArticleLoader, type Fetched } from './articles';
import { PUBMED_RETRY, PUBMED_SOURCE } from './errors';
import { EUTILS_MAX_RETMAX, type EsearchRequest, type EutilsClient } from './eutils';
import { notesOf, queryNotices, type QueryNotes } from './notices';
import { toEntrezTerm, toEsearchSort } from './query';

export { ARTICLE_CACHE, EFETCH_BATCH, type Fetched } from './articles';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SEARCH_PAGE_CACHE: CachePolicy = { freshMs: HOUR, staleMs: 30 * DAY };
/** PubMed recomputes neighbours as new records arrive; a day is fresh enough for "similar". */
export const SIMILAR_CACHE: CachePolicy = { freshMs: DAY, staleMs: 30 * DAY };
/** Evidence-map counts move slowly; a day keeps a repeated map free and the numbers current enough. */
export const COUNT_CACHE: CachePolicy = { freshMs: DAY, staleMs: 30 * DAY };
/** ESearch refuses retstart above 9998: PubMed serves only the first 9,999 hits of a query. */
export const ESEARCH_MAX_RETSTART = 9998;

export interface PubmedServiceDeps extends SourceServiceDeps {
  client: EutilsClient;
  cache: CachedDeps;
}

export interface SearchResult {
  total: number;
  pmids: string[];
  articles: Article[];
  notices: string[];
  stale: boolean;
}

/** A cached ESearch page: what the next identical search needs, PubMed's remarks included. */
interface SearchPage {
  total: number;
  pmids: string[];
  notes: QueryNotes;
}

const PMID = /^\d{1,9}$/;
const WINDOW_DATE = /^\d{4}\/\d{2}\/\d{2}$/;

function badInput(message: string): Promise<never> {
  return Promise.reject(sourceError(PUBMED_SOURCE, 'bad_input', message));
}

export function createPubmedService(deps: PubmedServiceDeps) {
  const logger = (deps.logger ?? silentLogger).child({ component: 'pubmed' });
  const caller = sourceCallerFor(PUBMED_SOURCE, PUBMED_RETRY, logger, deps);
  const cache: CachedDeps = { ...deps.cache, logger: deps.cache.logger ?? logger };
  const articlesFor = createArticleLoader({ client: deps.client, cache, caller, logger });
  /** Identical calls in flight share one run under one deadline (see SourceCaller.call). */
  const shared = <T>(key: string, o: CallOptions, work: (call: CallContext) => Promise<T>): Promise<T> =>
    caller.call(key, o, work);

  /** The second step of an interactive lookup waits ahead of new lookups, so started answers can finish. */
  function continued(call: CallContext): CallContext {
    return call.priority === 'batch' ? call : { ...call, priority: 'continuation' };
  }

  function esearch(req: EsearchRequest, call: CallContext) {
    return caller.step('esearch', call, (signal) => deps.client.esearch(req, { signal }));
  }

  /** One ESearch page, cached by everything that shapes it. */
  function searchPage(
    term: string,
    sort: EsearchRequest['sort'],
    start: number,
    size: number,
    call: CallContext,
  ) {
    const key = cacheKey('pubmed-search', term, sort, String(start), String(size));
    return cached<SearchPage>(cache, key, SEARCH_PAGE_CACHE, async () => {
      const envelope = await esearch({ term, sort, retstart: start, retmax: size }, call);
      return { total: envelope.count, pmids: envelope.pmids, notes: notesOf(envelope) };
    });
  }

  return {
    /** One page of PubMed results: esearch, then one efetch of the PMIDs not cached; records in PubMed's order. */
    search(q: SearchQuery, o: SearchOptions = {}): Promise<SearchResult> {
      const term = toEntrezTerm(q);
      if (!term) return badInput('empty search');
      if (!Number.isInteger(q.start) || q.start < 0 || q.start > ESEARCH_MAX_RETSTART) {
        return badInput(
          `start ${q.start} is beyond the first ${ESEARCH_MAX_RETSTART + 1} results PubMed serves`,
        );
      }
      if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > EUTILS_MAX_RETMAX) {
        return badInput(`page size ${q.pageSize} is out of range`);
      }
      const sort = toEsearchSort(q.sort);
      logger.debug({ term, sort, start: q.start, size: q.pageSize }, 'pubmed: search');
      const { onPmids, ...options } = o;
      return shared(`search|${term}|${sort}|${q.start}|${q.pageSize}`, options, async (call) => {
        const page = await searchPage(term, sort, q.start, q.pageSize, call);
        onPmids?.(page.value.pmids);
        const fetched = await articlesFor(page.value.pmids, continued(call));
        const byPmid = new Map(fetched.articles.map((a) => [a.pmid, a]));
        return {
          total: page.value.total,
          pmids: page.value.pmids,
          articles: page.value.pmids.flatMap((p) => byPmid.get(p) ?? []),
          notices: queryNotices(page.value.notes),
          stale: page.stale || fetched.stale,
        };
      });
    },

    /** Records in the order asked; `missing` are PMIDs PubMed has no record for. */
    fetchArticles(pmids: string[], o: CallOptions = {}): Promise<Fetched> {
      const bad = pmids.find((p) => !PMID.test(p));
      if (bad !== undefined) return badInput(`"${bad}" is not a PMID`);
      return shared(`fetch|${pmids.join(',')}`, o, (call) => articlesFor(pmids, call));
    },

    /**
     * Records read now, never from the cache: the watcher asks what PubMed says today (a retraction a week
     * old in the cache would stay unseen). One EFetch for the PMIDs given (callers send at most 200), batch
     * priority unless told; `missing` are PMIDs PubMed answered without.
     */
    efetchFresh(pmids: string[], o: CallOptions = {}): Promise<{ articles: Article[]; missing: string[] }> {
      const bad = pmids.find((p) => !PMID.test(p));
      if (bad !== undefined) return badInput(`"${bad}" is not a PMID`);
      const options = { ...o, priority: o.priority ?? 'batch' };
      return caller.call(undefined, options, async (call) => {
        const set = await caller.step('efetch', call, (signal) => deps.client.efetch(pmids, { signal }));
        const found = new Set(set.articles.map((a) => a.pmid));
        return { articles: set.articles, missing: pmids.filter((p) => !found.has(p)) };
      });
    },

    /** PubMed's "similar articles", best first, without the record itself. */
    similar(pmid: string, o: CallOptions = {}): Promise<{ pmids: string[]; stale: boolean }> {
      if (!PMID.test(pmid)) return badInput(`"${pmid}" is not a PMID`);
      return shared(`similar|${pmid}`, o, async (call) => {
        const r = await cached(cache, cacheKey('pubmed-similar', pmid), SIMILAR_CACHE, async () => {
          const neighbors = await caller.step('elink', call, (signal) => deps.client.elink(pmid, { signal }));
          return neighbors.map((n) => n.id);
        });
        return { pmids: r.value, stale: r.stale };
      });
    },

    /** The PMID whose record carries exactly this DOI (case-insensitive), confirmed on the record itself. */
    resolveDoi(doi: string, o: CallOptions = {}): Promise<string | undefined> {
      const wanted = doi.trim();
      if (!/^10\.\S+\/\S+$/.test(wanted) || wanted.includes('"')) return badInput(`"${doi}" is not a DOI`);
      // Quoted, because DOIs hold parentheses and brackets that Entrez would read as syntax. [aid] also
      // matches publisher ids, hence the check on the record.
      const term = `"${wanted}"[aid]`;
      return shared(`doi|${wanted.toLowerCase()}`, o, async (call) => {
        const page = await searchPage(term, 'relevance', 0, 5, call);
        if (page.value.pmids.length === 0) return undefined;
        const fetched = await articlesFor(page.value.pmids, continued(call));
        return fetched.articles.find((a) => a.doi?.toLowerCase() === wanted.toLowerCase())?.pmid;
      });
    },

    /** The PMID for a PMC id ("PMC1234567" or "1234567"); several hits are settled on the records. */
    resolvePmcid(pmcid: string, o: CallOptions = {}): Promise<string | undefined> {
      const digits = /^(?:pmc)?(\d{1,10})$/i.exec(pmcid.trim())?.[1];
      if (!digits) return badInput(`"${pmcid}" is not a PMCID`);
      const wanted = `PMC${digits}`;
      return shared(`pmcid|${wanted}`, o, async (call) => {
        const page = await searchPage(`${wanted}[pmcid]`, 'relevance', 0, 5, call);
        const [only, ...others] = page.value.pmids;
        if (only === undefined || others.length === 0) return only;
        const fetched = await articlesFor(page.value.pmids, continued(call));
        return fetched.articles.find((a) => a.pmcid?.toUpperCase() === wanted)?.pmid;
      });
    },

    /**
     * How many records an Entrez term finds: one ESearch with retmax=0 (no PMIDs sent back), cached for a
     * day, batch priority unless told. `notices` are PubMed's remarks on the term (words it did not know).
     */
    count(term: string, o: CallOptions = {}): Promise<{ count: number; stale: boolean; notices: string[] }> {
      const wanted = term.trim();
      if (!wanted) return badInput('empty search');
      const options = { ...o, priority: o.priority ?? 'batch' };
      return shared(`count|${wanted}`, options, async (call) => {
        const r = await cached<{ count: number; notes: QueryNotes }>(
          cache,
          cacheKey('pubmed-count', wanted),
          COUNT_CACHE,
          async () => {
            const envelope = await esearch({ term: wanted, sort: 'relevance', retstart: 0, retmax: 0 }, call);
            return { count: envelope.count, notes: notesOf(envelope) };
          },
        );
        return { count: r.value.count, stale: r.stale, notices: queryNotices(r.value.notes) };
      });
    },

    /**
     * PMIDs that entered PubMed (Entrez date) from `from` to `to` (YYYY/MM/DD, inclusive), newest first,
     * never cached (a digest wants today's answer), batch priority unless told. At most 10,000: when
     * `total` is larger the caller splits the window.
     */
    searchEntrezWindow(
      term: string,
      window: { from: string; to: string },
      o: CallOptions = {},
    ): Promise<{ total: number; pmids: string[] }> {
      if (!term.trim()) return badInput('empty search');
      if (!WINDOW_DATE.test(window.from) || !WINDOW_DATE.test(window.to)) {
        return badInput('window dates must be YYYY/MM/DD');
      }
      const req: EsearchRequest = {
        term: term.trim(),
        sort: 'pub_date',
        retstart: 0,
        retmax: EUTILS_MAX_RETMAX,
        datetype: 'edat',
        mindate: window.from,
        maxdate: window.to,
      };
      const options = { ...o, priority: o.priority ?? 'batch' };
      return shared(`window|${req.term}|${window.from}|${window.to}`, options, async (call) => {
        const envelope = await esearch(req, call);
        return { total: envelope.count, pmids: envelope.pmids };
      });
    },
  };
}

export type PubmedService = ReturnType<typeof createPubmedService>;
