// The evidence badge of a record, derived only from NLM's PublicationType names (strongest wins).
// Leaves reading the types out of the XML to xml.ts and the badge's wording to the renderers.

import type { Evidence } from '../core/article';

/** Weakest first; the index is the rank. */
const RANKED: readonly Evidence[] = [
  'other',
  'case-report',
  'review',
  'clinical-trial',
  'rct',
  'systematic-review',
  'meta-analysis',
  'guideline',
];

/**
 * NLM publication type (lower-cased) → badge. Deliberately absent: "Multicenter Study", "Clinical Trial
 * Protocol" (no results yet) and "Clinical Trial, Veterinary". "Pragmatic Clinical Trial" does not say
 * randomized, so it only counts as a clinical trial.
 */
const BY_TYPE: ReadonlyMap<string, Evidence> = new Map<string, Evidence>([
  ['guideline', 'guideline'],
  ['practice guideline', 'guideline'],
  ['consensus development conference', 'guideline'],
  ['consensus development conference, nih', 'guideline'],
  ['meta-analysis', 'meta-analysis'],
  ['network meta-analysis', 'meta-analysis'],
  ['systematic review', 'systematic-review'],
  ['randomized controlled trial', 'rct'],
  ['equivalence trial', 'rct'],
  ['clinical trial', 'clinical-trial'],
  ['clinical trial, phase i', 'clinical-trial'],
  ['clinical trial, phase ii', 'clinical-trial'],
  ['clinical trial, phase iii', 'clinical-trial'],
  ['clinical trial, phase iv', 'clinical-trial'],
  ['controlled clinical trial', 'clinical-trial'],
  ['pragmatic clinical trial', 'clinical-trial'],
  ['adaptive clinical trial', 'clinical-trial'],
  ['review', 'review'],
  ['scoping review', 'review'],
  ['case reports', 'case-report'],
]);

/** The strongest evidence level any of the record's publication types claims; 'other' when none does. */
export function evidenceOf(publicationTypes: string[]): Evidence {
  let best = 0;
  for (const type of publicationTypes) {
    const evidence = BY_TYPE.get(type.trim().toLowerCase());
    if (evidence !== undefined) best = Math.max(best, RANKED.indexOf(evidence));
  }
  return RANKED[best] ?? 'other';
}
