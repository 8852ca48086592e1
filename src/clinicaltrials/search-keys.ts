// Identity of searches: the canonical cache-key text of a StudyQuery. Key format and hashing are
// src/cache/keys.ts's; when two acronyms are the same is core/trial-acronyms.ts's.

import type { StudySearch } from './query';

/** A StudySearch as the service takes it: pageSize defaults to 10. */
export type StudyQuery = Omit<StudySearch, 'pageSize'> & { pageSize?: number };

/**
 * Same meaning → same text: blanks trimmed, list order ignored (filters are sets), absent and empty alike.
 * The result holds query text, so it goes into a hashed cache key and never into logs above debug.
 */
export function searchKey(search: StudyQuery): string {
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
    sorted(search.ids),
    search.near
      ? [search.near.point.lat, search.near.point.lon, search.near.radius.value, search.near.radius.unit]
      : null,
    text(search.place) ?? null,
    search.age ?? null,
    search.sex ?? null,
  ]);
}
