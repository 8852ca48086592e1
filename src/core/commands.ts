// The one grammar every adapter and every button shares: user text → a Command. Pure, no I/O.
// Wording of parse errors lives here because it is about the grammar; assistant.ts words everything else.

import { parseBoardSite, type BoardSite } from './board-site';
import type { PubTypeFilter, SearchQuery } from './query';
import type { CitationFormat } from './reply';
import { CITATION_FORMATS } from './cite';
import { decodeCursor, type Cursor, type WorkListKind } from './cursor';
import type { MapQuery } from './evidence-map';
import { parseLookupId, type LookupId } from './ids';
import { parseTrialSearch, type TrialSearchRequest } from './trial-search';

export const MAX_TEXT_LENGTH = 1000;
export const DEFAULT_PAGE_SIZE = 5;

export type Command =
  | { kind: 'help' }
  | { kind: 'search'; query: SearchQuery }
  | { kind: 'show'; ids: LookupId[] }
  | { kind: 'similar'; id: LookupId; start: number }
  | { kind: 'works'; list: WorkListKind; id: LookupId; start: number }
  | { kind: 'cite'; id: LookupId; format: CitationFormat }
  | { kind: 'share'; id: LookupId }
  /** `share NCT…`: a trial card posted to the channel (and watched, like an article). */
  | { kind: 'shareTrial'; nct: string }
  | { kind: 'more'; cursor: Cursor }
  | { kind: 'trial'; text: string }
  | { kind: 'trial-search'; request: TrialSearchRequest }
  | { kind: 'site'; action: { kind: 'show' } | { kind: 'clear' } | { kind: 'set'; site: BoardSite } }
  | { kind: 'digest'; text: string }
  /** `watch`, `unwatch <id>`, `list [window]`: what the channel shared, watched by paperbot. */
  | { kind: 'watch'; verb: 'watch' | 'unwatch' | 'list'; text: string }
  | { kind: 'map'; query: MapQuery }
  | { kind: 'invalid'; message: string; hint?: string };

const TYPE_ALIASES: Record<string, PubTypeFilter> = {
  rct: 'rct',
  rcts: 'rct',
  randomized: 'rct',
  meta: 'meta',
  'meta-analysis': 'meta',
  metaanalysis: 'meta',
  sr: 'sr',
  'systematic-review': 'sr',
  systematic: 'sr',
  review: 'review',
  reviews: 'review',
  guideline: 'guideline',
  guidelines: 'guideline',
  trial: 'trial',
  trials: 'trial',
  case: 'case',
  cases: 'case',
  'case-report': 'case',
};
const TYPE_VALUES = 'rct, meta, sr, review, guideline, trial, case';

const SORT_ALIASES: Record<string, SearchQuery['sort']> = {
  relevance: 'relevance',
  best: 'relevance',
  date: 'date',
  recent: 'date',
  newest: 'date',
  cited: 'cited',
  citations: 'cited',
  'most-cited': 'cited',
};

const FILTER = /^(type|since|until|sort):(.*)$/i;

function invalid(message: string, hint?: string): Command {
  return hint ? { kind: 'invalid', message, hint } : { kind: 'invalid', message };
}

/** Splits on whitespace outside double quotes, keeping each token's start offset in the original text. */
function tokens(text: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  const re = /(?:"[^"]*"?|[^\s"])+/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push({ value: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function parseYear(raw: string, name: 'since' | 'until', nowYear: number): number | string {
  if (!/^\d{4}$/.test(raw)) return `${name}: needs a four-digit year, like ${name}:2020.`;
  const year = Number(raw);
  if (year < 1800 || year > nowYear + 1)
    return `${name}:${raw} is outside the years PubMed covers (1800–${nowYear + 1}).`;
  return year;
}

export function parseSearch(text: string, nowYear: number, start = 0): Command {
  const query: SearchQuery = { terms: '', types: [], sort: 'relevance', start, pageSize: DEFAULT_PAGE_SIZE };
  const keep: string[] = [];
  let last = 0;
  for (const token of tokens(text)) {
    const m = FILTER.exec(token.value);
    if (!m) continue;
    const name = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').toLowerCase();
    keep.push(text.slice(last, token.start));
    last = token.end;
    if (name === 'type') {
      const type = TYPE_ALIASES[value];
      if (!type)
        return invalid(
          `"${value || '(empty)'}" is not a publication type I know.`,
          `Use type: with one of ${TYPE_VALUES}.`,
        );
      if (!query.types.includes(type)) query.types.push(type);
    } else if (name === 'sort') {
      const sort = SORT_ALIASES[value];
      if (!sort)
        return invalid(
          `"${value || '(empty)'}" is not a sort order.`,
          'Use sort:relevance, sort:date or sort:cited.',
        );
      query.sort = sort;
    } else {
      const year = parseYear(value, name === 'since' ? 'since' : 'until', nowYear);
      if (typeof year === 'string') return invalid(year);
      if (name === 'since') query.since = year;
      else query.until = year;
    }
  }
  keep.push(text.slice(last));
  query.terms = keep.join(' ').replace(/\s+/g, ' ').trim();
  if (query.since !== undefined && query.until !== undefined && query.since > query.until)
    return invalid(`since:${query.since} is after until:${query.until}.`);
  if (!query.terms)
    return invalid(
      'Add some words to search for, not only filters.',
      'For example: pembrolizumab nsclc type:rct since:2020',
    );
  return { kind: 'search', query };
}

/**
 * `map <query>`: a search's words and years. The map counts every evidence level itself, so a type: filter
 * is refused rather than silently ignored; sort: changes nothing about counts, so it is refused too.
 */
export function parseMap(text: string, nowYear: number): Command {
  const filter = tokens(text)
    .map((t) => FILTER.exec(t.value))
    .find((m) => m && /^(type|sort)$/i.test(m[1] ?? ''));
  if (filter)
    return invalid(
      (filter[1] ?? '').toLowerCase() === 'type'
        ? 'An evidence map already counts every type of study, so it takes no type: filter.'
        : 'An evidence map counts records, so sort: changes nothing.',
      'For example: map pembrolizumab nsclc since:2015',
    );
  const parsed = parseSearch(text, nowYear);
  if (parsed.kind !== 'search') return parsed;
  const { terms, since, until } = parsed.query;
  return {
    kind: 'map',
    query: { terms, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) },
  };
}

const SITE_HINT = 'site set 48.8414,2.3400 Institut Curie · site · site clear';

/** `site`, `site set <lat>,<lon> <name>`, `site clear`: the board's site for this channel. */
function parseSite(rest: string): Command {
  const m = /^(\S*)\s*(.*)$/.exec(rest.trim());
  const sub = (m?.[1] ?? '').toLowerCase();
  if (sub === '' || sub === 'show') return { kind: 'site', action: { kind: 'show' } };
  if (sub === 'clear') return { kind: 'site', action: { kind: 'clear' } };
  if (sub === 'set') {
    const site = parseBoardSite(m?.[2] ?? '');
    return typeof site === 'string' ? invalid(site) : { kind: 'site', action: { kind: 'set', site } };
  }
  return invalid(`"site ${sub}" is not something I can do.`, SITE_HINT);
}

function parseIdArgument(rest: string, verb: string): LookupId | Command {
  const id = parseLookupId(rest.trim());
  if (id) return id;
  if (!rest.trim()) return invalid(`"${verb}" needs a PMID, DOI or PMCID.`, `For example: ${verb} 29658856`);
  return invalid(`"${rest.trim()}" is not a PMID, DOI or PMCID.`, `For example: ${verb} 29658856`);
}

function isCommand(value: LookupId | Command): value is Command {
  return 'kind' in value;
}

/** Parses what a user typed (or a button carried). `nowYear` bounds the year filters. */
export function parseCommand(input: string, nowYear: number): Command {
  const text = input.replace(/\s+/g, ' ').trim();
  if (text.length > MAX_TEXT_LENGTH)
    return invalid(
      `That is ${text.length.toLocaleString('en-US')} characters; I take at most ${MAX_TEXT_LENGTH.toLocaleString('en-US')}.`,
      'Shorten the query to its key terms.',
    );
  if (text === '' || /^(help|\?|-h|--help)$/i.test(text)) return { kind: 'help' };

  const space = text.indexOf(' ');
  const verb = (space === -1 ? text : text.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : text.slice(space + 1);

  switch (verb) {
    case 'search':
      return rest ? parseSearch(rest, nowYear) : invalid('"search" needs words to search for.');
    case 'show': {
      const parts = rest.split(/[\s,;]+/).filter(Boolean);
      if (parts.length === 0) return invalid('"show" needs one or more PMIDs, DOIs or PMCIDs.');
      const ids: LookupId[] = [];
      for (const part of parts) {
        const id = parseLookupId(part);
        if (!id) return invalid(`"${part}" is not a PMID, DOI or PMCID.`);
        ids.push(id);
      }
      return { kind: 'show', ids };
    }
    case 'similar':
    case 'share': {
      const nct = verb === 'share' ? /^NCT\d{8}$/i.exec(rest.trim())?.[0] : undefined;
      if (nct) return { kind: 'shareTrial', nct: nct.toUpperCase() };
      const id = parseIdArgument(rest, verb);
      if (isCommand(id)) return id;
      return verb === 'similar' ? { kind: 'similar', id, start: 0 } : { kind: 'share', id };
    }
    case 'cited-by':
    case 'citedby':
    case 'references':
    case 'refs': {
      const list: WorkListKind = verb.startsWith('cited') ? 'cited-by' : 'references';
      const id = parseIdArgument(rest, list);
      return isCommand(id) ? id : { kind: 'works', list, id, start: 0 };
    }
    case 'cite': {
      const parts = rest.split(' ').filter(Boolean);
      const formatWord = parts.length > 1 ? (parts[parts.length - 1] ?? '').toLowerCase() : undefined;
      const format = (formatWord ?? 'ama') as CitationFormat;
      if (!CITATION_FORMATS.includes(format))
        return invalid(
          `"${formatWord}" is not a citation format I know.`,
          `Use one of ${CITATION_FORMATS.join(', ')}.`,
        );
      const id = parseIdArgument(formatWord ? parts.slice(0, -1).join(' ') : rest, 'cite');
      return isCommand(id) ? id : { kind: 'cite', id, format };
    }
    case 'more': {
      const cursor = decodeCursor(rest.trim());
      return cursor
        ? { kind: 'more', cursor }
        : invalid('That "more" link has expired or was damaged.', 'Run the search again.');
    }
    case 'trial':
    case 'trials': {
      const search = /^search(?:\s+(.*))?$/i.exec(rest);
      if (!search) return { kind: 'trial', text: rest };
      const parsed = parseTrialSearch(search[1] ?? '');
      return parsed.kind === 'ok' ? { kind: 'trial-search', request: parsed.request } : parsed;
    }
    case 'site':
      return parseSite(rest);
    case 'digest':
      return { kind: 'digest', text: rest };
    case 'watch':
    case 'unwatch':
    case 'list':
      return { kind: 'watch', verb, text: rest };
    case 'map':
      return rest.trim()
        ? parseMap(rest, nowYear)
        : invalid('"map" needs words to map.', 'For example: map pembrolizumab nsclc since:2015');
  }

  // A whole text made only of identifiers is a lookup, not a search.
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const ids = parts.map((p) => parseLookupId(p));
  if (ids.every((id): id is LookupId => id !== undefined)) return { kind: 'show', ids };
  return parseSearch(text, nowYear);
}
