// Counts the fake E-utilities answers for evidence-map searches, derived only from the term each request
// sent: a test that sees the right numbers has proven the right terms went out. Shared by test/map/*.

import type { Params } from '../peers/eutils';

/** What the fake answers per level: the level is read off the publication-type clause of the term. */
export const LEVEL_COUNTS = {
  'meta-analysis': 312,
  'systematic-review': 540,
  rct: 1890,
  'other-trial': 2450,
  observational: 777,
  'case-report': 410,
  review: 5230,
  guideline: 88,
} as const;

export const TOTAL_COUNT = 23456;

/** A year's count: grows with the year, so a swapped year shows. */
export const yearCount = (year: number): number => 100 + (year - 2000) * 10;

export function countFor(params: Params): number | undefined {
  if (params.retmax !== '0') return undefined;
  const term = params.term ?? '';
  const year = /\("(\d{4})"\[dp\] : "(\d{4})"\[dp\]\)$/.exec(term);
  if (year && year[1] === year[2] && !/\[(pt|sb)\]/.test(term)) return yearCount(Number(year[1]));
  if (/ NOT \(randomized controlled trial\[pt\]\)$/.test(term) && term.includes('(clinical trial[pt])'))
    return LEVEL_COUNTS['other-trial'];
  if (term.includes('(meta-analysis[pt])')) return LEVEL_COUNTS['meta-analysis'];
  if (term.includes('(systematic[sb])')) return LEVEL_COUNTS['systematic-review'];
  if (term.includes('(randomized controlled trial[pt])')) return LEVEL_COUNTS.rct;
  if (term.endsWith(' AND (observational study[pt])')) return LEVEL_COUNTS.observational;
  if (term.includes('(case reports[pt])')) return LEVEL_COUNTS['case-report'];
  if (term.includes('(review[pt])')) return LEVEL_COUNTS.review;
  if (term.includes('(guideline[pt] OR practice guideline[pt])')) return LEVEL_COUNTS.guideline;
  if (!/\[(pt|sb)\]/.test(term)) return TOTAL_COUNT;
  return undefined;
}
