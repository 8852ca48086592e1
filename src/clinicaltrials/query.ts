// Turns a StudySearch into the query string of GET /studies (Essie expressions, filters, paging).
// Pure and validated here, so a bad filter is refused before it costs a request; sending is client.ts's job.

import type { TrialSearch } from '../core/query';
import { ctgovError } from './errors';
import { PHASES, isPhase, isTrialStatus } from './vocabulary';

/**
 * The core's TrialSearch as the API takes it (query.term/cond/intr/locn, filter.overallStatus, filter.geo,
 * filter.advanced for phase, age and sex; pageToken as the API's nextPageToken), plus what only this source
 * knows.
 */
export type StudySearch = TrialSearch & {
  /** Exact acronym, searched in the Acronym area (the service re-checks matches itself). */
  acronym?: string;
  /** filter.ids: only these studies (NCT ids), whatever else matches. */
  ids?: string[];
  countTotal?: boolean;
  /** Field, piece or area names; defaults to the protocol section and hasResults. */
  fields?: string[];
};

/**
 * What a Trial needs, and no more: results, documents and derived sections can weigh megabytes.
 * Both names are the OpenAPI spec's own examples for `fields`.
 */
export const DEFAULT_FIELDS: readonly string[] = ['ProtocolSection', 'HasResults'];

/**
 * What a result card shows, and no more: identification, status, sponsor, conditions, design (phase,
 * enrollment), intervention names, the summary (behind its button), references, and each site's facility,
 * place, status and geoPoint. No criteria, outcomes, arm descriptions or contacts: the detail card fetches those.
 */
export const SUMMARY_FIELDS: readonly string[] = [
  'protocolSection.identificationModule',
  'protocolSection.statusModule',
  'protocolSection.sponsorCollaboratorsModule',
  'protocolSection.conditionsModule',
  'protocolSection.designModule',
  'protocolSection.referencesModule',
  'InterventionName',
  'InterventionType',
  'BriefSummary',
  'LocationFacility',
  'LocationStatus',
  'LocationCity',
  'LocationState',
  'LocationCountry',
  'LocationGeoPoint',
  'HasResults',
];
const FIELD_NAME = /^(?:[a-zA-Z][a-zA-Z0-9\-. ]*|@query)$/;
/** Radii with more digits than this mean nothing for a hospital's catchment; the API takes \d+(\.\d+)?. */
const RADIUS_DECIMALS = 1;
const COORDINATE_DECIMALS = 6;
export const MAX_PAGE_SIZE = 1000;

function badInput(message: string): Error {
  return ctgovError('bad_input', message);
}

/** Quotes would end the Essie phrase early and backslashes escape; neither belongs in an acronym. */
function essiePhrase(value: string): string {
  const cleaned = value.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '') throw badInput('empty acronym');
  return `"${cleaned}"`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function phaseFilter(phases: string[]): string {
  const unique = [...new Set(phases.map((p) => p.trim().toUpperCase()))];
  for (const phase of unique) {
    if (!isPhase(phase))
      throw badInput(`unknown phase ${JSON.stringify(phase)} (expected ${PHASES.join(', ')})`);
  }
  return unique.length === 1 ? `AREA[Phase]${unique[0]}` : `AREA[Phase](${unique.join(' OR ')})`;
}

/** distance(48.841400,2.340000,50km): the API's pattern takes no spaces and no exponent. */
export function geoFilter(near: NonNullable<StudySearch['near']>): string {
  const { lat, lon } = near.point;
  const { value, unit } = near.radius;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    throw badInput(`not a point on Earth: ${String(lat)},${String(lon)}`);
  if (!Number.isFinite(value) || value <= 0) throw badInput(`not a radius: ${String(value)}`);
  const radius = Number(value.toFixed(RADIUS_DECIMALS));
  return `distance(${lat.toFixed(COORDINATE_DECIMALS)},${lon.toFixed(COORDINATE_DECIMALS)},${radius}${unit})`;
}

/**
 * A participant of `age` years fits a study whose minimum is at most `age` and whose maximum is at least `age`;
 * a study that states no limit on one side has none there (MISSING).
 */
export function ageFilter(age: number): string {
  if (!Number.isInteger(age) || age < 0 || age > 150) throw badInput(`not an age in years: ${String(age)}`);
  return (
    `(AREA[MinimumAge]RANGE[MIN, ${age} years] OR AREA[MinimumAge]MISSING) AND ` +
    `(AREA[MaximumAge]RANGE[${age} years, MAX] OR AREA[MaximumAge]MISSING)`
  );
}

/** Studies open to this sex, and those open to all. */
export function sexFilter(sex: 'FEMALE' | 'MALE'): string {
  if (sex !== 'FEMALE' && sex !== 'MALE') throw badInput(`not a sex filter: ${String(sex)}`);
  return `AREA[Sex](${sex} OR ALL)`;
}

export function buildSearchParams(search: StudySearch): URLSearchParams {
  if (!Number.isInteger(search.pageSize) || search.pageSize < 1) {
    throw badInput(`pageSize must be a positive whole number, got ${String(search.pageSize)}`);
  }
  const params = new URLSearchParams({ format: 'json' });

  const term = nonEmpty(search.term);
  const acronym = search.acronym === undefined ? undefined : `AREA[Acronym]${essiePhrase(search.acronym)}`;
  if (term && acronym) params.set('query.term', `(${term}) AND ${acronym}`);
  else if (term ?? acronym) params.set('query.term', (term ?? acronym) as string);

  const cond = nonEmpty(search.cond);
  if (cond) params.set('query.cond', cond);
  const intr = nonEmpty(search.intr);
  if (intr) params.set('query.intr', intr);

  if (search.status && search.status.length > 0) {
    for (const status of search.status) {
      if (!isTrialStatus(status)) throw badInput(`unknown overall status ${JSON.stringify(status)}`);
    }
    params.set('filter.overallStatus', [...new Set(search.status)].join(','));
  }
  const place = nonEmpty(search.place);
  if (place) params.set('query.locn', place);
  // The registry ranks by relevance only when asked; without words there is nothing to rank by.
  if (term ?? cond ?? intr) params.set('sort', '@relevance');

  if (search.near) params.set('filter.geo', geoFilter(search.near));
  const advanced = [
    search.phase && search.phase.length > 0 ? phaseFilter(search.phase) : undefined,
    search.age !== undefined ? ageFilter(search.age) : undefined,
    search.sex ? sexFilter(search.sex) : undefined,
  ].filter((x): x is string => x !== undefined);
  if (advanced.length === 1) params.set('filter.advanced', advanced[0] as string);
  else if (advanced.length > 1) params.set('filter.advanced', advanced.map((a) => `(${a})`).join(' AND '));
  if (search.ids && search.ids.length > 0) {
    const bad = search.ids.find((id) => !/^NCT\d{8}$/.test(id));
    if (bad !== undefined) throw badInput(`not an NCT id: ${JSON.stringify(bad)}`);
    params.set('filter.ids', [...new Set(search.ids)].join(','));
  }

  const fields = search.fields ?? DEFAULT_FIELDS;
  for (const field of fields) {
    if (!FIELD_NAME.test(field)) throw badInput(`not a field name: ${JSON.stringify(field)}`);
  }
  if (fields.length > 0) params.set('fields', fields.join(','));

  params.set('pageSize', String(Math.min(search.pageSize, MAX_PAGE_SIZE)));
  if (search.pageToken) params.set('pageToken', search.pageToken);
  if (search.countTotal) params.set('countTotal', 'true');
  return params;
}
