// The Entrez terms of an evidence map and their counts: one ESearch count per level, per year and for the
// total, built from the same type filters and year ranges as a search (query.ts), counted by service.ts.

import {
  EVIDENCE_LEVELS,
  type EvidenceCounts,
  type EvidenceLevel,
  type EvidenceSource,
  type MapQuery,
} from '../core/evidence-map';
import type { Logger } from '../core/logger';
import type { CallOptions } from '../core/sources';
import type { SearchQuery } from '../core/query';
import { OBSERVATIONAL_TERM, toEntrezTerm, typeGroup } from './query';

/** What the map needs of the PubMed service: one cached count per Entrez term. */
export interface Counter {
  count(term: string, o?: CallOptions): Promise<{ count: number; stale: boolean; notices: string[] }>;
}

function search(q: MapQuery, since?: number, until?: number): SearchQuery {
  return {
    terms: q.terms,
    types: [],
    sort: 'relevance',
    start: 0,
    pageSize: 0,
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

/**
 * The Entrez term counting one level. Six levels are the type: filters of a search, unchanged; "other
 * clinical trials" is type:trial less type:rct (PubMed explodes clinical trial[pt] to include RCTs);
 * observational studies have no filter of their own, so OBSERVATIONAL_TERM is AND-ed like one.
 */
export function levelTerm(q: MapQuery, level: EvidenceLevel): string {
  const s = search(q, q.since, q.until);
  switch (level) {
    case 'meta-analysis':
      return toEntrezTerm({ ...s, types: ['meta'] });
    case 'systematic-review':
      return toEntrezTerm({ ...s, types: ['sr'] });
    case 'rct':
      return toEntrezTerm({ ...s, types: ['rct'] });
    case 'other-trial':
      return `${toEntrezTerm({ ...s, types: ['trial'] })} NOT ${typeGroup(['rct']) ?? ''}`;
    case 'observational':
      return `${toEntrezTerm(s)} AND (${OBSERVATIONAL_TERM})`;
    case 'case-report':
      return toEntrezTerm({ ...s, types: ['case'] });
    case 'review':
      return toEntrezTerm({ ...s, types: ['review'] });
    case 'guideline':
      return toEntrezTerm({ ...s, types: ['guideline'] });
  }
}

/** The records of one publication year: the search's own year range with since = until. */
export function yearTerm(q: MapQuery, year: number): string {
  return toEntrezTerm(search(q, year, year));
}

export function totalTerm(q: MapQuery): string {
  return toEntrezTerm(search(q, q.since, q.until));
}

/** A promise that rejects with the signal's reason when it aborts (never otherwise), and its cleanup. */
function stopped(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // Every count races it; one that nobody awaits any more must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * All counts of a map at once: the total and the levels first, then the years newest first, so a deadline
 * that falls mid-way leaves the oldest years unknown rather than the levels. Each count settles on its own;
 * one that fails is returned without a number. The budget paces them (batch priority: a map never delays
 * someone's search), and the cache keeps each for a day, so a repeated map costs no request.
 */
export function createEvidenceMap(deps: { pubmed: Counter; logger: Logger }): EvidenceSource {
  return {
    async evidenceCounts(q, years, o = {}): Promise<EvidenceCounts> {
      // The counts run without the caller's signal (each under its own batch deadline) and finish into the
      // cache even when the caller stops waiting; one listener on that signal stops the wait for all of them.
      const options: CallOptions = { priority: 'batch' };
      const stop = stopped(o.signal);
      let stale = false;
      let notices: string[] = [];
      const failures: unknown[] = [];
      const count = async (term: string, keepNotices = false): Promise<number | undefined> => {
        try {
          const r = await Promise.race([deps.pubmed.count(term, options), stop.promise]);
          stale ||= r.stale;
          if (keepNotices) notices = r.notices;
          return r.count;
        } catch (error) {
          failures.push(error);
          return undefined;
        }
      };
      const total = totalTerm(q);
      const levels = EVIDENCE_LEVELS.map((level) => ({ level, search: levelTerm(q, level) }));
      const yearList: number[] = [];
      for (let y = years.to; y >= years.from; y -= 1) yearList.push(y);
      const yearSearches = yearList.map((year) => ({ year, search: yearTerm(q, year) }));
      const [totalCount, levelCounts, yearCounts] = await Promise.all([
        count(total, true),
        Promise.all(levels.map((l) => count(l.search))),
        Promise.all(yearSearches.map((y) => count(y.search))),
      ]).finally(stop.dispose);
      if (failures.length)
        deps.logger.warn({ failed: failures.length, err: failures[0] }, 'evidence map: some counts failed');
      const withCount = <T extends object>(item: T, n: number | undefined) =>
        n === undefined ? item : { ...item, count: n };
      return {
        total: withCount({ search: total }, totalCount),
        levels: levels.map((l, i) => withCount(l, levelCounts[i])),
        years: yearSearches.map((y, i) => withCount(y, yearCounts[i])).reverse(),
        notices,
        stale,
        ...(failures.length ? { failure: failures[0] } : {}),
      };
    },
  };
}
