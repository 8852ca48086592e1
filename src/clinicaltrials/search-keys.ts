// Identity of searches and acronyms: the canonical cache-key text of a TrialSearch, and the acronym
// comparison findByAcronym uses. Key format and hashing are src/cache/keys.ts's.

import type { StudySearch } from './query';

/** A search as the service takes it: pageSize defaults to 10. */
export type TrialSearch = Omit<StudySearch, 'pageSize'> & { pageSize?: number };

/**
 * Same meaning → same text: blanks trimmed, list order ignored (filters are sets), absent and empty alike.
 * The result holds query text, so it goes into a hashed cache key and never into logs above debug.
 */
export function searchKey(search: TrialSearch): string {
  const sorted = (values: readonly string[] | undefined): string[] | undefined =>
    values && values.length > 0 ? [...new Set(values.map((v) => v.trim()))].sort() : undefined;
  const text = (value: string | undefined): string | undefined => value?.trim() || undefined;
  return JSON.stringify([
    text(search.term),
    text(search.cond),
    text(search.intr),
    sorted(search.status),
    sorted(search.phase?.map((p) => p.toUpperCase())),
    text(search.acronym),
    search.pageSize ?? null,
    search.pageToken ?? null,
    search.countTotal === true,
    sorted(search.fields),
  ]);
}

/** Dash-like characters the registry and users type interchangeably (hyphen, non-breaking hyphen, en/em dash, minus…). */
const DASHES_AND_SPACES = /[\s\-\u2010-\u2015\u2212_]+/g;

/** "Keynote 189", "KEYNOTE-189" and "keynote‐189" all become "KEYNOTE189". */
export function acronymKey(acronym: string): string {
  return acronym.normalize('NFKC').replace(DASHES_AND_SPACES, '').toUpperCase();
}

/**
 * Whether a title names the acronym as a whole word, with any spacing or dashes inside it:
 * "…Lung Cancer(PANKU-Lung02)" names "panku lung02"; "KEYNOTE-1890" does not name "KEYNOTE-189".
 */
export function titleNamesAcronym(title: string, acronym: string): boolean {
  const chars = [...acronymKey(acronym)];
  if (chars.length === 0) return false;
  const escaped = chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])${escaped.join('[\\s\\-\\u2010-\\u2015\\u2212_]*')}(?![\\p{L}\\p{N}])`,
    'iu',
  );
  return pattern.test(title.normalize('NFKC'));
}
