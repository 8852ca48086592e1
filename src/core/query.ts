// The questions the core asks its sources, in its own words: an article search and a trial search.
// How a source spells them (Entrez terms, Essie expressions, full-text matches) is that source's business.

import type { GeoPoint, Radius } from './geo';
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

/** A page of a trial search, as `trial …`, `trial search …` and their "Next" buttons ask for it. */
export interface TrialSearch {
  /** Other terms, biomarkers included ("EGFR L858R", "KRAS G12C"). */
  term?: string;
  /** Conditions or disease (cond:). */
  cond?: string;
  /** Interventions or treatments (drug:). */
  intr?: string;
  status?: TrialStatus[];
  /** Registry phase names (PHASE1…PHASE4, EARLY_PHASE1, NA); several mean "any of them". */
  phase?: string[];
  /** Studies with at least one site within `radius` of `point` (near: with coordinates or near:here). */
  near?: { point: GeoPoint; radius: Radius };
  /** A place name the registry's location search matches (near:<city>); no distance can be computed from it. */
  place?: string;
  /** Studies whose age limits admit a participant of this many years. */
  age?: number;
  /** Studies open to this sex (those open to all included). */
  sex?: 'FEMALE' | 'MALE';
  pageSize: number;
  /** The previous page's token, as the trial source gave it; every other field stays the same. */
  pageToken?: string;
}
