// The PubMed work of a digest run, shared across subscriptions: one ESearch per distinct (term, window),
// a bounded number in flight, then the records of every subscription's entries in a few batched EFetches.

import type { Article } from '../core/article';
import type { CallOptions } from '../core/sources';
import { mapLimit } from './concurrency';

/** What digests need from the PubMed source (src/pubmed/service.ts satisfies it). */
export interface DigestPubmed {
  searchEntrezWindow(
    term: string,
    window: { from: string; to: string },
    o?: CallOptions,
  ): Promise<{ total: number; pmids: string[] }>;
  fetchArticles(
    pmids: string[],
    o?: CallOptions,
  ): Promise<{ articles: Article[]; missing: string[]; stale: boolean }>;
}

export interface WindowSearch {
  term: string;
  from: string;
  to: string;
}

export type SearchOutcome = { ok: true; total: number; pmids: string[] } | { ok: false; error: unknown };

export const searchKey = (s: WindowSearch): string => `${s.from}|${s.to}|${s.term}`;

export interface LookupOptions {
  priority: NonNullable<CallOptions['priority']>;
  /**
   * Searches in flight at once. The shared rate budget paces the actual requests; this only keeps each
   * call's wait for the budget short, so it does not eat into that call's own deadline.
   */
  concurrency: number;
  /** Called after each request settles (the runner keeps its claims alive from here during long lookups). */
  afterEach?: () => Promise<void>;
}

/** One search per distinct key; every subscription with the same key reads the same outcome. */
export async function searchWindows(
  pubmed: DigestPubmed,
  searches: readonly WindowSearch[],
  o: LookupOptions,
): Promise<Map<string, SearchOutcome>> {
  const distinct = new Map<string, WindowSearch>();
  for (const s of searches) distinct.set(searchKey(s), s);
  const outcomes = new Map<string, SearchOutcome>();
  await mapLimit([...distinct], o.concurrency, async ([k, s]) => {
    try {
      const r = await pubmed.searchEntrezWindow(s.term, { from: s.from, to: s.to }, { priority: o.priority });
      outcomes.set(k, { ok: true, total: r.total, pmids: r.pmids });
    } catch (error) {
      outcomes.set(k, { ok: false, error });
    }
    await o.afterEach?.();
  });
  return outcomes;
}

/** PMIDs per EFetch batch (the service posts 500 per request, so a batch here is one request). */
export const FETCH_BATCH = 500;

export interface FetchedRecords {
  byPmid: Map<string, Article>;
  /** PMIDs whose batch failed: their subscriptions cannot be composed this time. */
  failed: Set<string>;
  stale: Set<string>;
  errors: unknown[];
}

export async function fetchRecords(
  pubmed: DigestPubmed,
  pmids: readonly string[],
  o: LookupOptions,
): Promise<FetchedRecords> {
  const unique = [...new Set(pmids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += FETCH_BATCH) batches.push(unique.slice(i, i + FETCH_BATCH));
  const out: FetchedRecords = { byPmid: new Map(), failed: new Set(), stale: new Set(), errors: [] };
  await mapLimit(batches, Math.max(1, Math.min(o.concurrency, 2)), async (batch) => {
    try {
      const r = await pubmed.fetchArticles(batch, { priority: o.priority });
      for (const a of r.articles) {
        out.byPmid.set(a.pmid, a);
        if (r.stale) out.stale.add(a.pmid);
      }
    } catch (error) {
      out.errors.push(error);
      for (const pmid of batch) out.failed.add(pmid);
    }
    await o.afterEach?.();
  });
  return out;
}
