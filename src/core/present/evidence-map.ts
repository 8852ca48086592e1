// What an evidence map says: level names, headings, "unknown" for a count the source did not give, the
// notes under the numbers, and the chart every image renderer draws (ChartSpec). Layout is the platforms'.

import { EVIDENCE_LEVELS, type EvidenceCounts, type EvidenceLevel, type MapQuery } from '../evidence-map';
import type { MapCard, MapCount } from '../reply';
import { pubmedSearchUrl } from './links';
import { thousands } from './marks';

export const LEVEL_LABELS: Readonly<Record<EvidenceLevel, string>> = {
  'meta-analysis': 'Meta-analyses',
  'systematic-review': 'Systematic reviews',
  rct: 'Randomized controlled trials',
  'other-trial': 'Other clinical trials',
  observational: 'Observational studies',
  'case-report': 'Case reports',
  review: 'Reviews',
  guideline: 'Guidelines',
};

/** Shown for a count the source did not answer: never "0", which would say there is no evidence. */
export const UNKNOWN_COUNT = 'unknown';

/** A neutral chart: horizontal bars and a column series, each value with the text to print beside it. */
export interface ChartSeries {
  heading: string;
  items: { label: string; value?: number; valueText: string }[];
}

export interface ChartSpec {
  title: string;
  bars: ChartSeries;
  columns: ChartSeries;
  /** Small print under the chart (the partial year, the source). */
  footer: string;
}

function mapCount(label: string, search: string, count: number | undefined): MapCount {
  const url = pubmedSearchUrl(search);
  return {
    label,
    ...(count !== undefined ? { count } : {}),
    countText: count !== undefined ? thousands(count) : UNKNOWN_COUNT,
    search,
    ...(url ? { url } : {}),
  };
}

function yearSpan(since?: number, until?: number): string {
  if (since !== undefined && until !== undefined) return since === until ? `${since}` : `${since}–${until}`;
  if (since !== undefined) return `since ${since}`;
  if (until !== undefined) return `until ${until}`;
  return 'all years';
}

/** The query as typed back to the user: terms, then the year filters that narrowed it. */
export function mapQueryText(q: MapQuery): string {
  return [
    q.terms,
    q.since !== undefined ? `since:${q.since}` : '',
    q.until !== undefined ? `until:${q.until}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function mapCard(q: MapQuery, counts: EvidenceCounts, nowYear: number): MapCard {
  const byLevel = new Map(counts.levels.map((l) => [l.level, l]));
  const levels = EVIDENCE_LEVELS.map((level) => {
    const found = byLevel.get(level);
    return { level, ...mapCount(LEVEL_LABELS[level], found?.search ?? '', found?.count) };
  });
  const years = counts.years.map((y) => ({ year: y.year, ...mapCount(String(y.year), y.search, y.count) }));
  const first = years[0]?.year;
  const last = years[years.length - 1]?.year;
  const notes: string[] = [];
  if (last === nowYear) notes.push(`${nowYear} is the year so far.`);
  const unknown = [...levels.filter((l) => l.count === undefined).map((l) => l.label)];
  const unknownYears = years.filter((y) => y.count === undefined).map((y) => y.label);
  if (counts.total.count === undefined) unknown.unshift('the total');
  if (unknownYears.length)
    unknown.push(unknownYears.length === years.length ? 'every year' : unknownYears.join(', '));
  if (unknown.length)
    notes.push(`PubMed gave no count for ${unknown.join('; ')} this time: shown as ${UNKNOWN_COUNT}, not 0.`);
  notes.push(
    'Publication types as NLM indexes them; records not yet indexed are counted only in the total and by year.',
  );
  const query = mapQueryText(q);
  const span = yearSpan(q.since, q.until);
  const levelsHeading = `By evidence level (${span})`;
  const yearsHeading =
    first !== undefined && last !== undefined
      ? `Publications per year, ${first}–${last}`
      : 'Publications per year';
  const total = mapCount(`PubMed records (${span})`, counts.total.search, counts.total.count);
  const known = levels.filter((l) => l.count !== undefined);
  return {
    type: 'map',
    title: `Evidence map: ${q.terms}`,
    query,
    total,
    levelsHeading,
    levels,
    yearsHeading,
    years,
    notes,
    chartAlt: `Chart of PubMed records on "${q.terms}": ${known.map((l) => `${l.label} ${l.countText}`).join(', ') || 'no level counts'}; ${yearsHeading.toLowerCase()}.`,
    stale: counts.stale,
  };
}

/** The chart every image renderer draws for a map card. */
export function mapChart(card: MapCard): ChartSpec {
  const item = (c: MapCount) => ({
    label: c.label,
    ...(c.count !== undefined ? { value: c.count } : {}),
    valueText: c.countText,
  });
  return {
    title: `${card.title} — ${card.total.countText} PubMed records`,
    bars: { heading: card.levelsHeading, items: card.levels.map(item) },
    columns: { heading: card.yearsHeading, items: card.years.map(item) },
    footer: ['Source: PubMed (NCBI E-utilities), one search per number.', ...card.notes.slice(0, 1)].join(
      ' ',
    ),
  };
}

/** Why a map's chart image is missing from a chat answer; the counts are always there as text. */
export type ChartProblem = 'permission' | 'failed';

export const CHART_PROBLEMS: Readonly<Record<ChartProblem, string>> = {
  permission:
    'The chart could not be posted: paperbot lacks permission to upload files in this workspace (the app needs the files:write scope; see manifest.yml). The counts are below.',
  failed: 'The chart could not be posted just now; the counts are below.',
};

/** Longest link a count carries in chat: a very long query's searches stay in the text instead. */
export const MAX_COUNT_LINK = 400;

/** A count's link when it is short enough for a chat message, else none. */
export function countLink(c: MapCount): string | undefined {
  return c.url && c.url.length <= MAX_COUNT_LINK ? c.url : undefined;
}
