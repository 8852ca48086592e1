// The source ports the assistant calls: PubMed, the local library and ClinicalTrials.gov.
// src/pubmed/service.ts, src/library/store.ts and src/clinicaltrials/service.ts satisfy them structurally.

import type { PubTypeFilter, SearchQuery } from '../pubmed/query';
import type { Article } from './article';
import type { Priority } from './ports';
import type { Trial, TrialStatus } from './trial';

export interface CallOptions {
  priority?: Priority;
  signal?: AbortSignal;
}

export interface PubmedPort {
  search(
    q: SearchQuery,
    o?: CallOptions,
  ): Promise<{ total: number; pmids: string[]; articles: Article[]; notices: string[]; stale: boolean }>;
  fetchArticles(
    pmids: string[],
    o?: CallOptions,
  ): Promise<{ articles: Article[]; missing: string[]; stale: boolean }>;
  similar(pmid: string, o?: CallOptions): Promise<{ pmids: string[]; stale: boolean }>;
  resolveDoi(doi: string, o?: CallOptions): Promise<string | undefined>;
  resolvePmcid(pmcid: string, o?: CallOptions): Promise<string | undefined>;
}

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

export interface LibraryPort {
  /** `dropped`: when matchedAll is false, the query's terms that some of these records lack. */
  search(q: LibrarySearch): { total: number; articles: Article[]; matchedAll: boolean; dropped?: string[] };
  getArticles(pmids: string[]): Article[];
  findByDoi(doi: string): Article | undefined;
  findByPmcid(pmcid: string): Article | undefined;
  getTrial(nct: string): Trial | undefined;
  findTrialsByAcronym(acronym: string): Trial[];
  searchTrials(q: { terms: string; status?: string[]; phase?: string[]; limit: number; offset?: number }): {
    total: number;
    trials: Trial[];
  };
}

export interface TrialSearch {
  term?: string;
  status?: TrialStatus[];
  phase?: string[];
  pageSize: number;
  pageToken?: string;
}

export interface TrialsPort {
  getTrial(nct: string, o?: CallOptions): Promise<{ trial: Trial; stale: boolean }>;
  search(
    q: TrialSearch,
    o?: CallOptions,
  ): Promise<{ trials: Trial[]; total?: number; nextPageToken?: string; stale: boolean }>;
  findByAcronym(acronym: string, o?: CallOptions): Promise<Trial[]>;
}
