// The sources the core reads, named by the role they play: articles, trials and the local library.
// src/pubmed/service.ts, src/clinicaltrials/service.ts and src/library/store.ts satisfy them structurally.

import type { Article } from './article';
import type { Priority } from './ports';
import type { SearchQuery, PubTypeFilter, TrialSearch } from './query';
import type { GeoPoint, Radius } from './geo';
import type { Trial } from './trial';

export interface CallOptions {
  priority?: Priority;
  signal?: AbortSignal;
}

export interface SearchOptions extends CallOptions {
  /**
   * Told the page's PMIDs as soon as they are known (before the records are fetched), so per-article work
   * (signals) runs alongside the fetch. A search answered by a call already in flight may not tell.
   */
  onPmids?: (pmids: readonly string[]) => void;
}

/** One page of an article search: the page's records in the source's order, and what to tell the user. */
export interface ArticlePage {
  total: number;
  pmids: string[];
  articles: Article[];
  notices: string[];
  /** Served from an expired cache copy because the source failed. */
  stale: boolean;
}

/** A bibliographic database searched and read over the network (PubMed today). */
export interface ArticleSource {
  search(q: SearchQuery, o?: SearchOptions): Promise<ArticlePage>;
  fetchArticles(
    pmids: string[],
    o?: CallOptions,
  ): Promise<{ articles: Article[]; missing: string[]; stale: boolean }>;
  similar(pmid: string, o?: CallOptions): Promise<{ pmids: string[]; stale: boolean }>;
  resolveDoi(doi: string, o?: CallOptions): Promise<string | undefined>;
  resolvePmcid(pmcid: string, o?: CallOptions): Promise<string | undefined>;
}

export interface TrialPage {
  trials: Trial[];
  total?: number;
  nextPageToken?: string;
  stale: boolean;
}

/** A trial registry (ClinicalTrials.gov today). */
export interface TrialSource {
  getTrial(nct: string, o?: CallOptions): Promise<{ trial: Trial; stale: boolean }>;
  search(q: TrialSearch, o?: CallOptions): Promise<TrialPage>;
  findByAcronym(acronym: string, o?: CallOptions): Promise<Trial[]>;
}

/** An article search of the local library: its own paging (limit/offset), no network. */
export interface LibrarySearch {
  terms: string;
  types?: PubTypeFilter[];
  since?: number;
  until?: number;
  sort?: 'relevance' | 'date';
  limit: number;
  offset?: number;
  /** Only records with every word: no fallback to records matching some of them (matchedAll stays true). */
  everyWord?: boolean;
}

export interface LibrarySearchResult {
  total: number;
  articles: Article[];
  /** False when no record had every word and these results match only some of them. */
  matchedAll: boolean;
  /** When matchedAll is false: the query's terms (as typed) that at least one of these results lacks. */
  dropped?: string[];
}

/** A trial search of the local library; statuses and phases as users or the registry spell them. */
export interface LibraryTrialSearch {
  terms: string;
  /** Words searched in conditions and keywords only (cond:). */
  cond?: string;
  /** Words searched in interventions only (drug:). */
  intr?: string;
  status?: string[];
  phase?: string[];
  /** Trials with a site within the radius; results then rank by relevance, then by nearest site. */
  near?: { point: GeoPoint; radius: Radius };
  /** Trials with a site whose facility, city, state or country has every word of it. */
  place?: string;
  age?: number;
  sex?: 'FEMALE' | 'MALE';
  limit: number;
  offset?: number;
}

/** The local library: records imported or bundled, answering synchronously when the network cannot. */
export interface Library {
  search(q: LibrarySearch): LibrarySearchResult;
  getArticles(pmids: string[]): Article[];
  findByDoi(doi: string): Article | undefined;
  findByPmcid(pmcid: string): Article | undefined;
  getTrial(nct: string): Trial | undefined;
  findTrialsByAcronym(acronym: string): Trial[];
  searchTrials(q: LibraryTrialSearch): { total: number; trials: Trial[] };
}
