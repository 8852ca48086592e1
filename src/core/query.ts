// The questions the core asks its sources, in its own words: an article search and a trial search.
// How a source spells them (Entrez terms, Essie expressions, full-text matches) is that source's business.

import type { TrialStatus } from './trial';

/** Publication-type filters a user can add to an article search (`type:rct`); sources map each to their own. */
export type PubTypeFilter = 'rct' | 'meta' | 'sr' | 'review' | 'guideline' | 'trial' | 'case';

export interface SearchQuery {
  /** What the user typed, minus our filters; Entrez syntax (field tags, AND/OR/NOT, quotes) passes through. */
  terms: string;
  types: PubTypeFilter[];
  /** First and last publication year, inclusive. */
  since?: number;
  until?: number;
  /** `cited`: the source's relevance order, then the page reordered by citation count (signals). */
  sort: 'relevance' | 'date' | 'cited';
  /** 0-based offset of the page's first result. */
  start: number;
  pageSize: number;
}

/** A page of a trial search, as `trial …` and its "Next" button ask for it. */
export interface TrialSearch {
  term?: string;
  status?: TrialStatus[];
  /** Registry phase names (PHASE1…PHASE4, EARLY_PHASE1, NA); several mean "any of them". */
  phase?: string[];
  pageSize: number;
  /** The previous page's token, as the trial source gave it; every other field stays the same. */
  pageToken?: string;
}
