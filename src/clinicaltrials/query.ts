// Turns a StudySearch into the query string of GET /studies (Essie expressions, filters, paging).
// Pure and validated here, so a bad filter is refused before it costs a request; sending is client.ts's job.

import type { TrialStatus } from '../core/trial';
import { ctgovError } from './errors';
import { PHASES, isPhase, isTrialStatus } from './vocabulary';

export interface StudySearch {
  /** query.term: "other terms", Essie syntax. */
  term?: string;
  /** query.cond: conditions or disease. */
  cond?: string;
  /** query.intr: intervention or treatment. */
  intr?: string;
  status?: TrialStatus[];
  /** Any of NA, EARLY_PHASE1, PHASE1…PHASE4; several mean "any of them". */
  phase?: string[];
  /** Exact acronym, searched in the Acronym area (the service re-checks matches itself). */
  acronym?: string;
  /** filter.ids: only these studies (NCT ids), whatever else matches. */
  ids?: string[];
  /** 1…1000 (the API cuts larger pages to 1000). */
  pageSize: number;
  /** The previous page's nextPageToken; every other parameter must stay the same. */
  pageToken?: string;
  countTotal?: boolean;
  /** Field, piece or area names; defaults to the protocol section and hasResults. */
  fields?: string[];
}

/**
 * What a Trial needs, and no more: results, documents and derived sections can weigh megabytes.
 * Both names are the OpenAPI spec's own examples for `fields`.
 */
export const DEFAULT_FIELDS: readonly string[] = ['ProtocolSection', 'HasResults'];
const FIELD_NAME = /^(?:[a-zA-Z][a-zA-Z0-9\-. ]*|@query)$/;
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
  if (search.phase && search.phase.length > 0) params.set('filter.advanced', phaseFilter(search.phase));
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
