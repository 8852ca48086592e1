// What the full-text index holds for a Trial, and how status/phase filters and field tags map onto it.
// SQL lives in trials.ts; query syntax in fts-query.ts.

import type { Trial } from '../core/trial';
import type { FtsQueryOptions } from './fts-query';

export const TRIAL_COLUMNS = [
  'title',
  'acronym',
  'conditions',
  'interventions',
  'keywords',
  'summary',
  'sponsor',
] as const;
export const TRIAL_WEIGHTS = [10, 10, 5, 5, 3, 1, 1] as const;

export interface TrialDocument {
  title: string;
  acronym: string;
  conditions: string;
  interventions: string;
  keywords: string;
  summary: string;
  sponsor: string;
}

export function trialDocument(trial: Trial): TrialDocument {
  return {
    title: [trial.briefTitle, trial.officialTitle ?? ''].join('\n'),
    acronym: trial.acronym ?? '',
    conditions: trial.conditions.join('\n'),
    interventions: trial.interventions.map((i) => [i.name, ...(i.otherNames ?? [])].join('\n')).join('\n'),
    keywords: (trial.keywords ?? []).join('\n'),
    summary: trial.briefSummary ?? '',
    sponsor: [trial.leadSponsor ?? '', ...(trial.collaborators ?? [])].join('\n'),
  };
}

const YEARS_PER: Readonly<Record<string, number>> = {
  year: 1,
  month: 1 / 12,
  week: 7 / 365.25,
  day: 1 / 365.25,
  hour: 1 / 8766,
  minute: 1 / 525960,
};

/** "18 Years", "6 Months" → years (as schema.ts's ageYears computes it in SQL); undefined when unreadable. */
export function ageInYears(text: string | undefined): number | undefined {
  const m = text ? /^\s*(\d+(?:\.\d+)?)\s+(year|month|week|day|hour|minute)s?\s*$/i.exec(text) : null;
  if (!m) return undefined;
  return Number(m[1]) * (YEARS_PER[(m[2] as string).toLowerCase()] ?? NaN);
}

/** The words a place filter looks for in a site: facility, city, state and country, lower-cased. */
export function sitePlace(site: {
  facility?: string;
  city?: string;
  state?: string;
  country?: string;
}): string {
  return [site.facility, site.city, site.state, site.country].filter(Boolean).join(' ').toLowerCase();
}

/** cond:/drug: words as field-tagged terms of the trial query language ("lung[cond] AND cancer[cond]"). */
export function taggedTerms(text: string | undefined, tag: 'cond' | 'intr'): string {
  return (text ?? '')
    .split(/[\s"()[\]]+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => `${w}[${tag}]`)
    .join(' AND ');
}

/**
 * Words, cond: and drug: as one query, each part in its own brackets: side by side, a field tag would
 * reach back over the untagged words before it.
 */
export function trialQueryText(terms: string, cond: string | undefined, intr: string | undefined): string {
  return [terms.trim(), taggedTerms(cond, 'cond'), taggedTerms(intr, 'intr')]
    .filter((part) => part !== '')
    .map((part) => `(${part})`)
    .join(' AND ');
}

/** The digits of an NCT id as the row id, or undefined for anything that is not one. */
export function trialRowId(nct: string): number | undefined {
  const match = /^NCT(\d{8})$/i.exec(nct.trim());
  return match === null ? undefined : Number(match[1]);
}

/** "recruiting", "Active, not recruiting" → the registry's enum spelling. */
export function normalStatus(status: string): string {
  return status
    .trim()
    .toUpperCase()
    .replace(/[\s,-]+/g, '_');
}

/** "3", "phase 3", "Phase3", "early phase 1" → PHASE3 / EARLY_PHASE1; "NA" stays. */
export function normalPhase(phase: string): string {
  const compact = phase
    .trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, '');
  const match = /^(EARLY)?(?:PHASE)?([1-4])$/.exec(compact);
  if (match === null) return compact === 'NA' || compact === 'N/A' ? 'NA' : compact;
  return `${match[1] ? 'EARLY_' : ''}PHASE${match[2]}`;
}

const TAG_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['ti', ['title', 'acronym']],
  ['title', ['title', 'acronym']],
  ['acronym', ['acronym']],
  ['cond', ['conditions', 'keywords']],
  ['condition', ['conditions', 'keywords']],
  ['intr', ['interventions']],
  ['intervention', ['interventions']],
  ['spons', ['sponsor']],
  ['sponsor', ['sponsor']],
]);

export const TRIAL_QUERY: FtsQueryOptions = {
  columns: TRIAL_COLUMNS,
  resolveTag(tag) {
    const columns = TAG_COLUMNS.get(tag);
    return columns === undefined ? undefined : { columns };
  },
};
