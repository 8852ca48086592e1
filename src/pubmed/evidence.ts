// The evidence badge of a record, derived only from NLM's PublicationType names: the highest row of one
// precedence table wins. Leaves reading the types to xml.ts, a retraction banner and wording to the cards.

import type { Evidence } from '../core/article';

/**
 * Strongest first (README's badge table says the same). A case report that also reviews the literature is
 * still one patient, so Case Reports outranks Review; letters, editorials and comments are opinion, below
 * every kind of study, and a study published as a letter keeps its study badge.
 */
export const EVIDENCE_PRECEDENCE: readonly Evidence[] = [
  'guideline',
  'meta-analysis',
  'systematic-review',
  'rct',
  'clinical-trial',
  'case-report',
  'review',
  'editorial',
  'letter',
  'comment',
  'other',
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
  ['editorial', 'editorial'],
  ['letter', 'letter'],
  ['comment', 'comment'],
]);

/** The highest row of EVIDENCE_PRECEDENCE any of the record's publication types claims; 'other' when none does. */
export function evidenceOf(publicationTypes: string[]): Evidence {
  let best = EVIDENCE_PRECEDENCE.length - 1;
  for (const type of publicationTypes) {
    const evidence = BY_TYPE.get(type.trim().toLowerCase());
    if (evidence !== undefined) best = Math.min(best, EVIDENCE_PRECEDENCE.indexOf(evidence));
  }
  return EVIDENCE_PRECEDENCE[best] ?? 'other';
}
