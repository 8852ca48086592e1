// Europe PMC REST on the source kit (no key; 10 requests a second): one attempt per call, every failure a
// SourceError. Batching, caching and pacing are service.ts's; JSON → records is parse.ts's.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import type { WorkList } from '../core/signals';
import { createJsonGet } from '../sources/json-get';
import { SHORT_DEADLINE_RETRY, type RetryPolicy } from '../sources/retry';
import { EPMC_SOURCE, parseLiteSearch, parseWorkList, type EpmcRecord } from './parse';

export { EPMC_SOURCE, type EpmcRecord } from './parse';

export const EPMC_RETRY: RetryPolicy = SHORT_DEADLINE_RETRY;

/** Europe PMC's largest page; a page of results never needs more. */
export const EPMC_MAX_PAGE = 1000;

export interface EpmcClientOptions {
  /** e.g. https://www.ebi.ac.uk/europepmc/webservices/rest */
  baseUrl: string;
  attemptTimeoutMs: number;
  dispatcher?: Dispatcher;
  clock?: Clock;
  userAgent?: string;
}

export interface EpmcClient {
  /** One lite search for these PMIDs (`EXT_ID:… OR EXT_ID:…` in PubMed's source): one request per batch. */
  searchPmids(pmids: readonly string[], signal?: AbortSignal): Promise<Map<string, EpmcRecord>>;
  /** GET /MED/{pmid}/citations or /references, 1-based `page` of `pageSize`. */
  workList(
    pmid: string,
    kind: 'citations' | 'references',
    page: number,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<WorkList>;
}

export function createEpmcClient(o: EpmcClientOptions): EpmcClient {
  const base = o.baseUrl.replace(/\/+$/, '');
  const get = createJsonGet({
    source: EPMC_SOURCE,
    clock: o.clock ?? systemClock,
    attemptTimeoutMs: o.attemptTimeoutMs,
    userAgent: o.userAgent ?? 'paperbot',
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
  });
  return {
    async searchPmids(pmids, signal) {
      if (pmids.length === 0) return new Map();
      const url = new URL(`${base}/search`);
      url.searchParams.set('query', `(${pmids.map((p) => `EXT_ID:${p}`).join(' OR ')}) AND SRC:MED`);
      url.searchParams.set('resultType', 'lite');
      url.searchParams.set('format', 'json');
      url.searchParams.set('pageSize', String(Math.min(EPMC_MAX_PAGE, pmids.length)));
      return parseLiteSearch(await get('search', url, signal ? { signal } : {}));
    },
    async workList(pmid, kind, page, pageSize, signal) {
      const url = new URL(`${base}/MED/${encodeURIComponent(pmid)}/${kind}`);
      url.searchParams.set('page', String(page));
      url.searchParams.set('pageSize', String(pageSize));
      url.searchParams.set('format', 'json');
      return parseWorkList(await get(kind, url, { notFound: true, ...(signal ? { signal } : {}) }), kind);
    },
  };
}
