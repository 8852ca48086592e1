// What the full-text index holds for an Article (columns, facet tokens, the date-ordered row key) and how
// PubMed field tags and filters map onto it. SQL lives in articles.ts; query syntax in fts-query.ts.

import type { Article } from '../core/article';
import type { PubTypeFilter } from '../core/query';
import { plainText } from '../core/richtext';
import { ftsString, type FtsQueryOptions, type TagResolution } from './fts-query';

/** FTS5 columns in index order; bm25 weights follow the same order (facets never rank). */
export const ARTICLE_COLUMNS = ['title', 'mesh', 'abstract', 'authors', 'journal', 'facets'] as const;
export const ARTICLE_WEIGHTS = [10, 5, 3, 2, 1, 0] as const;

/**
 * Publication types (lower-cased) each filter accepts, exploded as PubMed explodes them:
 * clinical trial[pt] also finds phase I–IV trials and RCTs, review[pt] finds systematic reviews,
 * and the systematic-review subset counts meta-analyses.
 */
const FILTER_TYPES: Readonly<Record<PubTypeFilter, readonly string[]>> = {
  rct: ['randomized controlled trial', 'equivalence trial'],
  meta: ['meta-analysis', 'network meta-analysis'],
  sr: ['systematic review', 'meta-analysis', 'network meta-analysis'],
  review: ['review', 'systematic review', 'scoping review'],
  guideline: ['guideline', 'practice guideline'],
  trial: [
    'clinical trial',
    'clinical trial, phase i',
    'clinical trial, phase ii',
    'clinical trial, phase iii',
    'clinical trial, phase iv',
    'controlled clinical trial',
    'randomized controlled trial',
    'equivalence trial',
    'pragmatic clinical trial',
    'adaptive clinical trial',
  ],
  case: ['case reports'],
};
const FILTERS = Object.keys(FILTER_TYPES) as PubTypeFilter[];

/**
 * Facets (publication types, filter classes, years, languages, "every record") are tokens in their own
 * column, so filters are part of the MATCH: one index walk, no join. Each starts with a private-use
 * character that fts-query.ts strips from user text, so no typed word can ever match or name one.
 */
const FACET = '\uE000';
const EVERYTHING_TOKEN = `${FACET}all`;
const filterToken = (filter: PubTypeFilter): string => `${FACET}f${filter}`;
const yearToken = (year: number): string => `${FACET}y${year}`;
const languageToken = (code: string): string => `${FACET}l${code.toLowerCase()}`;
const typeToken = (type: string): string => `${FACET}p${type.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')}`;

/** The row key orders the index by publication year, then PMID (≈ entry date): sort=date reads it backwards. */
const YEAR_FACTOR = 1e10;
export function rowKey(pmid: string, year: number | undefined): number {
  return (year ?? 0) * YEAR_FACTOR + Number(pmid);
}
export function rowKeyRange(since?: number, until?: number): [number, number] {
  return [(since ?? 0) * YEAR_FACTOR, ((until ?? 9999) + 1) * YEAR_FACTOR - 1];
}

/** The year as a number for the row key and year facets; undefined when the record has no four-digit year. */
export function publicationYear(article: Article): number | undefined {
  return article.year !== undefined && /^\d{4}$/.test(article.year) ? Number(article.year) : undefined;
}

export function filtersOf(publicationTypes: readonly string[]): PubTypeFilter[] {
  const lower = publicationTypes.map((t) => t.trim().toLowerCase());
  return FILTERS.filter((f) => FILTER_TYPES[f].some((t) => lower.includes(t)));
}

export interface ArticleDocument {
  title: string;
  mesh: string;
  abstract: string;
  authors: string;
  journal: string;
  facets: string;
}

/** Lines joined by `separator`, built in one pass (an import builds one document per record). */
function joined<T>(items: readonly T[], line: (item: T) => string, separator: string): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : separator) + line(items[i] as T);
  return out;
}

function meshLine(topic: Article['mesh'][number]): string {
  let line = topic.descriptor;
  for (const qualifier of topic.qualifiers ?? []) line += ` / ${qualifier}`;
  return line;
}

export function documentOf(article: Article): ArticleDocument {
  const year = publicationYear(article);
  let facets = EVERYTHING_TOKEN;
  for (const filter of filtersOf(article.publicationTypes)) facets += ` ${filterToken(filter)}`;
  for (const type of article.publicationTypes) facets += ` ${typeToken(type)}`;
  for (const language of article.languages ?? []) facets += ` ${languageToken(language)}`;
  if (year !== undefined) facets += ` ${yearToken(year)}`;
  return {
    title: `${plainText(article.title)}\n${article.vernacularTitle ?? ''}`,
    mesh: joined(article.mesh, meshLine, '\n'),
    abstract: joined(article.abstract, (section) => plainText(section.text), '\n'),
    authors: joined(article.authors, (author) => author.display, '\n'),
    journal: `${article.journal ?? ''}\n${article.journalTitle ?? ''}`,
    facets,
  };
}

/** PubMed field tag → index columns. Tags not listed search every column. */
const TAG_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['ti', 'title'].map((t): [string, readonly string[]] => [t, ['title']]),
  ...['ab', 'abstract'].map((t): [string, readonly string[]] => [t, ['abstract']]),
  ...['tiab', 'title/abstract'].map((t): [string, readonly string[]] => [t, ['title', 'abstract']]),
  ...['tw', 'text word'].map((t): [string, readonly string[]] => [t, ['title', 'abstract', 'mesh']]),
  ...['au', 'auth', 'author', 'fau', 'full author name', '1au', 'lastau', 'cn', 'corporate author'].map(
    (t): [string, readonly string[]] => [t, ['authors']],
  ),
  ...['mh', 'mesh', 'mesh terms', 'majr', 'mesh major topic', 'sh', 'subheading'].map(
    (t): [string, readonly string[]] => [t, ['mesh']],
  ),
  ...['ta', 'jt', 'jour', 'journal'].map((t): [string, readonly string[]] => [t, ['journal']]),
]);
const DATE_TAGS = new Set(['dp', 'pdat', 'publication date', 'edat', 'entrez date', 'crdt']);
const TYPE_TAGS = new Set(['pt', 'ptyp', 'publication type']);
const LANGUAGE_TAGS = new Set(['la', 'lang', 'language']);
/** PubMed explodes these publication types to their narrower kinds, as the filters do. */
const EXPLODED_TYPES: ReadonlyMap<string, PubTypeFilter> = new Map([
  ['review', 'review'],
  ['clinical trial', 'trial'],
  ['guideline', 'guideline'],
]);
const MAX_YEAR_SPAN = 200;

/** `2020[dp]`, `2015:2020[dp]`, `2015/01/01:2020/12/31[dp]` → the year facets; other dates cannot match text. */
function dateTerm(text: string): TagResolution {
  const years = [...text.matchAll(/\b(\d{4})\b/g)].map((m) => Number(m[1]));
  const first = years[0];
  if (first === undefined) return null;
  const last = years.length > 1 ? (years[years.length - 1] as number) : first;
  const [from, to] = first <= last ? [first, last] : [last, first];
  if (to - from > MAX_YEAR_SPAN) return null;
  const tokens: string[] = [];
  for (let y = from; y <= to; y += 1) tokens.push(ftsString(yearToken(y)));
  return { expression: `(${tokens.join(' OR ')})` };
}

function typeTerm(text: string): TagResolution {
  const exploded = EXPLODED_TYPES.get(text.trim().toLowerCase());
  return { expression: ftsString(exploded === undefined ? typeToken(text) : filterToken(exploded)) };
}

function languageTerm(text: string): TagResolution {
  const code = text.trim().toLowerCase();
  return /^[a-z]{3}$/.test(code) ? { expression: ftsString(languageToken(code)) } : null;
}

/** Untagged terms search every column: facets hold only tokens no user word can match (and never rank). */
export const ARTICLE_QUERY: FtsQueryOptions = {
  everything: ftsString(EVERYTHING_TOKEN),
  resolveTag(tag, text) {
    if (DATE_TAGS.has(tag)) return dateTerm(text);
    if (TYPE_TAGS.has(tag)) return typeTerm(text);
    if (LANGUAGE_TAGS.has(tag)) return languageTerm(text);
    const columns = TAG_COLUMNS.get(tag);
    return columns === undefined ? undefined : { columns };
  },
};

/** The MATCH clause that keeps only records of the asked publication types (any of them). */
export function typeFilter(types: readonly PubTypeFilter[]): string | undefined {
  const known = [...new Set(types)].filter((t) => FILTER_TYPES[t] !== undefined);
  if (known.length === 0) return undefined;
  return `(${known.map((t) => ftsString(filterToken(t))).join(' OR ')})`;
}

export const MATCH_EVERYTHING = ARTICLE_QUERY.everything as string;
