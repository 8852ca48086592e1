// The Entrez term and ESearch sort a core SearchQuery becomes in PubMed. The query model is core/query.ts's;
// parsing user text into it is core/commands.ts's job; sending the term is eutils.ts's.

import type { PubTypeFilter, SearchQuery } from '../core/query';

/**
 * Each filter as PubMed's own sidebar filter spells it, so results match what a user would see on the
 * website. Publication types explode in PubMed: clinical trial[pt] also finds phase I–IV trials and RCTs.
 */
export const PUB_TYPE_TERMS: Readonly<Record<PubTypeFilter, readonly string[]>> = {
  rct: ['randomized controlled trial[pt]'],
  meta: ['meta-analysis[pt]'],
  // PubMed's "Systematic Review" filter is the systematic[sb] subset, broader than the 2019+ publication type.
  sr: ['systematic[sb]'],
  review: ['review[pt]'],
  guideline: ['guideline[pt]', 'practice guideline[pt]'],
  trial: ['clinical trial[pt]'],
  case: ['case reports[pt]'],
};

/**
 * Evidence-map levels without a type: filter of their own. NLM's "Observational Study" type (2014 on) is
 * what PubMed's own Article Type filter uses; older cohort and case-control studies carry no such type.
 */
export const OBSERVATIONAL_TERM = 'observational study[pt]';

/** Open ends of a year range: PubMed's own date-range examples use 1800 and 3000. */
const FIRST_YEAR = 1800;
const LAST_YEAR = 3000;

export function typeGroup(types: readonly PubTypeFilter[]): string | undefined {
  const terms = [...new Set(types.flatMap((t) => PUB_TYPE_TERMS[t]))];
  return terms.length > 0 ? `(${terms.join(' OR ')})` : undefined;
}

function dateRange(since?: number, until?: number): string | undefined {
  if (since === undefined && until === undefined) return undefined;
  return `("${since ?? FIRST_YEAR}"[dp] : "${until ?? LAST_YEAR}"[dp])`;
}

/**
 * The Entrez term for a query: the user's terms untouched (wrapped in parentheses when filters are
 * AND-ed to them, so their own OR/NOT keeps its scope), the publication types OR-ed in one group, and
 * the years as a publication-date range.
 */
export function toEntrezTerm(q: SearchQuery): string {
  const terms = q.terms.trim();
  const filters = [typeGroup(q.types), dateRange(q.since, q.until)].filter(
    (f): f is string => f !== undefined,
  );
  if (filters.length === 0) return terms;
  return (terms ? [`(${terms})`, ...filters] : filters).join(' AND ');
}

/** ESearch's name for the sort order; `relevance` is PubMed's Best Match (and what `cited` reorders). */
export function toEsearchSort(sort: SearchQuery['sort']): 'relevance' | 'pub_date' {
  return sort === 'date' ? 'pub_date' : 'relevance';
}
