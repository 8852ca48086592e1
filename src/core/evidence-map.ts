// `map <query>`: how much evidence exists on a question — counts by evidence level and by year — as one card.
// The port a bibliographic source implements to count; what the card says is present/evidence-map.ts's.

import type { CallOptions } from './sources';

/** The levels a map counts, in the order it shows them (strongest designs first, then reviews and guidance). */
export const EVIDENCE_LEVELS = [
  'meta-analysis',
  'systematic-review',
  'rct',
  'other-trial',
  'observational',
  'case-report',
  'review',
  'guideline',
] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

/** Columns of the by-year chart: the last 20 publication years, ending with `until` or this year. */
export const MAP_YEARS = 20;

/** What a map asks: the user's terms and the years they narrowed it to (`since:` / `until:`). */
export interface MapQuery {
  terms: string;
  since?: number;
  until?: number;
}

/** One count and the search that produced it; `count` is absent when the source did not answer (unknown, not 0). */
export interface Count {
  /** The search as the source spells it (an Entrez term), so a person can run it themselves. */
  search: string;
  count?: number;
}

export interface EvidenceCounts {
  total: Count;
  levels: (Count & { level: EvidenceLevel })[];
  years: (Count & { year: number })[];
  /** What the source said about the query (words it did not know), worded by the source. */
  notices: string[];
  /** Some count came from an expired cached copy because the source failed. */
  stale: boolean;
  /** The first failure, when some count has none: what the user is told if no count is known at all. */
  failure?: unknown;
}

/** A source that counts records: PubMed today (one ESearch count per number). */
export interface EvidenceSource {
  /** Never rejects for a single failed count: that count is returned without `count`. */
  evidenceCounts(q: MapQuery, years: { from: number; to: number }, o?: CallOptions): Promise<EvidenceCounts>;
}

/** The years the chart shows: at most MAP_YEARS, ending with `until` (or this year), starting no earlier than `since`. */
export function mapYears(q: MapQuery, nowYear: number): { from: number; to: number } {
  const to = Math.min(q.until ?? nowYear, nowYear);
  const from = Math.max(to - MAP_YEARS + 1, q.since ?? Number.NEGATIVE_INFINITY);
  return { from: Math.min(from, to), to };
}
