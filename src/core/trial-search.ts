// `trial search <text> [cond:] [drug:] [status:] [phase:] [near:] [within:] [age:] [sex:]`: the grammar of a
// search for trials a board can offer. Pure: near:here stays a request until the board's site is looked up.

import { looksLikeCoordinates, parseCoordinates, parseRadius, type GeoPoint, type Radius } from './geo';
import type { TrialSearch } from './query';
import { PHASE_HINT, phasesOf, STATUS_ALIASES } from './trial-filters';
import type { TrialStatus } from './trial';

export const TRIAL_SEARCH_PAGE_SIZE = 5;
/** Said when nothing else is: studies a patient could still join. `status:any` lifts it. */
export const DEFAULT_SEARCH_STATUS: readonly TrialStatus[] = ['RECRUITING', 'NOT_YET_RECRUITING'];
/** The radius of near: without within:, and of the "N sites recruit within" count around a board's site. */
export const DEFAULT_RADIUS: Radius = { value: 100, unit: 'km' };
export const MAX_AGE_YEARS = 120;

export type NearWhat =
  { kind: 'here' } | { kind: 'point'; point: GeoPoint } | { kind: 'place'; text: string };

/** A parsed `trial search`: the search without its place, and where near: pointed. */
export interface TrialSearchRequest {
  search: TrialSearch;
  near?: NearWhat;
  within?: Radius;
}

export type TrialSearchParse =
  { kind: 'ok'; request: TrialSearchRequest } | { kind: 'invalid'; message: string; hint?: string };

const FILTER = /^(cond|condition|drug|intr|status|phase|near|within|age|sex):(.*)$/i;
const EXAMPLE = 'For example: trial search "EGFR L858R" cond:nsclc phase:3 near:here within:100km';

const SEX: Readonly<Record<string, 'FEMALE' | 'MALE'>> = {
  female: 'FEMALE',
  f: 'FEMALE',
  male: 'MALE',
  m: 'MALE',
};

function invalid(message: string, hint?: string): TrialSearchParse {
  return hint ? { kind: 'invalid', message, hint } : { kind: 'invalid', message };
}

/** Words outside double quotes; a quoted phrase ("EGFR L858R", cond:"colorectal cancer") is one token. */
function tokens(text: string): string[] {
  return text.match(/(?:"[^"]*"?|[^\s"])+/g) ?? [];
}

/** A filter's value without its quotes; Essie phrases are re-quoted by the source that needs them. */
function unquote(value: string): string {
  return value.replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
}

function parseNear(raw: string): { near: NearWhat } | { error: TrialSearchParse } {
  const value = unquote(raw);
  if (value === '')
    return { error: invalid('near: needs a place.', 'Use near:here, near:48.8414,2.3400 or near:Lyon.') };
  if (value.toLowerCase() === 'here') return { near: { kind: 'here' } };
  if (looksLikeCoordinates(value)) {
    const point = parseCoordinates(value);
    if (!point)
      return {
        error: invalid(
          `"${value}" are not coordinates I can read.`,
          'Give latitude (−90 to 90) then longitude (−180 to 180) in decimal degrees: near:48.8414,2.3400',
        ),
      };
    return { near: { kind: 'point', point } };
  }
  return { near: { kind: 'place', text: value } };
}

export function parseTrialSearch(text: string): TrialSearchParse {
  const search: TrialSearch = { pageSize: TRIAL_SEARCH_PAGE_SIZE };
  const request: TrialSearchRequest = { search };
  const terms: string[] = [];
  let statusGiven = false;
  // Chat clients turn typed quotes into typographic ones; a phrase is a phrase either way.
  for (const token of tokens(text.replace(/[“”„″]/g, '"'))) {
    const m = FILTER.exec(token);
    if (!m) {
      terms.push(token);
      continue;
    }
    const name = (m[1] ?? '').toLowerCase();
    const raw = m[2] ?? '';
    const value = unquote(raw).toLowerCase();
    switch (name) {
      case 'cond':
      case 'condition':
      case 'drug':
      case 'intr': {
        const words = unquote(raw);
        if (words === '') return invalid(`${name}: needs words, like cond:melanoma or drug:osimertinib.`);
        const key = name === 'drug' || name === 'intr' ? 'intr' : 'cond';
        search[key] = search[key] ? `${search[key]} ${words}` : words;
        break;
      }
      case 'status': {
        statusGiven = true;
        if (value === 'any') break;
        const status = STATUS_ALIASES[value];
        if (!status)
          return invalid(
            `"${value || '(empty)'}" is not a trial status I know.`,
            `Use status: with one of ${[...Object.keys(STATUS_ALIASES), 'any'].join(', ')}.`,
          );
        search.status = [...new Set([...(search.status ?? []), ...status])];
        break;
      }
      case 'phase': {
        const phase = phasesOf(value);
        if (!phase) return invalid(`"${value || '(empty)'}" is not a phase I know.`, PHASE_HINT);
        search.phase = [...new Set([...(search.phase ?? []), ...phase])];
        break;
      }
      case 'near': {
        const near = parseNear(raw);
        if ('error' in near) return near.error;
        request.near = near.near;
        break;
      }
      case 'within': {
        const radius = parseRadius(value);
        if (!radius)
          return invalid(
            `"${value || '(empty)'}" is not a distance I can read.`,
            'Use kilometres or miles: within:50km or within:30mi.',
          );
        request.within = radius;
        break;
      }
      case 'age': {
        if (!/^\d{1,3}$/.test(value) || Number(value) > MAX_AGE_YEARS)
          return invalid(`age: takes the patient's age in whole years, like age:64.`);
        search.age = Number(value);
        break;
      }
      case 'sex': {
        const sex = SEX[value];
        if (!sex)
          return invalid(`"${value || '(empty)'}" is not a sex filter.`, 'Use sex:female or sex:male.');
        search.sex = sex;
        break;
      }
    }
  }
  if (request.within && !request.near)
    return invalid('within: needs near: to say within what.', 'For example: near:here within:50km');
  if (request.within && request.near?.kind === 'place')
    return invalid(
      `ClinicalTrials.gov matches "${request.near.text}" by name, so no radius can be applied to it.`,
      'Use coordinates for a radius (near:45.7640,4.8357 within:50km), or set the board’s site: site set 45.7640,4.8357 Lyon',
    );
  const term = terms.join(' ').trim();
  if (term) search.term = term;
  if (!search.term && !search.cond && !search.intr)
    return invalid('Say what to search for: words, cond: or drug:, not only filters.', EXAMPLE);
  if (!statusGiven) search.status = [...DEFAULT_SEARCH_STATUS];
  return { kind: 'ok', request };
}
