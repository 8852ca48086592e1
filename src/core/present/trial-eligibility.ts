// The eligibility reply's words: the registry's criteria as written, one line per item, and what paperbot
// will not say (that a patient is eligible). Renderers cut the text to their platform's limits.

import type { TrialCard } from '../reply';
import { trialUrl } from './links';

export interface CriteriaView {
  heading: string;
  /** The record's lines, list markers made bullets and nesting kept; not yet fitted. */
  lines: string[];
  note: string;
  link: { label: string; url: string };
}

export const CRITERIA_NOTE =
  'As written in the registry. paperbot does not judge whether a patient is eligible; the study team decides.';

/** "* item" → "• item", a nested "  * item" → "    ◦ item"; blank lines dropped, headings kept. */
export function criteriaLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l) => {
      const m = /^(\s*)[*-]\s+(.*)$/.exec(l);
      if (!m) return l.trim();
      return (m[1] ?? '').length > 0 ? `    ◦ ${m[2] ?? ''}` : `• ${m[2] ?? ''}`;
    });
}

/** The criteria section of an eligibility card; undefined on other cards or when the record has none. */
export function criteriaView(card: TrialCard): CriteriaView | undefined {
  const criteria = card.trial.eligibility?.criteria;
  if (card.section !== 'eligibility') return undefined;
  return {
    heading: 'Eligibility criteria',
    lines: criteria ? criteriaLines(criteria) : ['The registry record has no eligibility criteria.'],
    note: CRITERIA_NOTE,
    link: {
      label: 'Full record on ClinicalTrials.gov',
      url: card.links.clinicalTrials ?? trialUrl(card.trial.nct),
    },
  };
}
