// ClinicalTrials.gov API v2 on the source kit: exactly one attempt per call, every failure a SourceError.
// Retries, pacing, deadlines and caching live in service.ts; JSON → Trial lives in study.ts.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import type { Trial } from '../core/trial';
import { createHttpAttempt, jsonOf } from '../sources/http';
import { CTGOV_SOURCE, normaliseNctId } from './errors';
import { buildSearchParams, DEFAULT_FIELDS, type StudySearch } from './query';
import { parseStudy, parseStudyPage, type StudyPage } from './study';

export type { StudySearch } from './query';
export type { StudyPage } from './study';

export interface CtgovClientOptions {
  /** e.g. https://clinicaltrials.gov/api/v2 (no trailing slash needed). */
  baseUrl: string;
  /** Defaults to undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Budget for one attempt, headers and body together. */
  attemptTimeoutMs: number;
  /** Drives the attempt timeout; defaults to the system clock. */
  clock?: Clock;
  /** `fields` for single-study lookups; defaults to the protocol section and hasResults. */
  studyFields?: readonly string[];
  userAgent?: string;
}

export interface CtgovClient {
  /** GET /studies/{nct}. Rejects with bad_input (before any request) when `nct` is not NCT + 8 digits. */
  getStudy(nct: string, signal?: AbortSignal): Promise<Trial>;
  /** GET /studies: one page. */
  searchStudies(search: StudySearch, signal?: AbortSignal): Promise<StudyPage>;
}

/** Alias NCT ids answer 301 to the current study; a short chain is fine, a loop is not. */
const MAX_REDIRECTS = 3;

export function createCtgovClient(options: CtgovClientOptions): CtgovClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const studyFields = options.studyFields ?? DEFAULT_FIELDS;
  const headers = { accept: 'application/json', 'user-agent': options.userAgent ?? 'paperbot' };
  const attempt = createHttpAttempt({
    source: CTGOV_SOURCE,
    clock,
    totalTimeoutMs: options.attemptTimeoutMs,
    maxRedirects: MAX_REDIRECTS,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });

  async function getJson(what: string, url: URL, signal: AbortSignal | undefined): Promise<unknown> {
    const answer = await attempt(what, { url, headers, ...(signal ? { signal } : {}) });
    // The API explains a 400 or 404 in text/plain (bad Essie syntax, unknown field, no such study).
    return jsonOf(CTGOV_SOURCE, what, answer, { nowMs: clock.now(), notFound: true });
  }

  return {
    async getStudy(nct, signal) {
      const id = normaliseNctId(nct);
      const url = new URL(`${base}/studies/${id}`);
      url.searchParams.set('format', 'json');
      if (studyFields.length > 0) url.searchParams.set('fields', studyFields.join(','));
      return parseStudy(await getJson('getStudy', url, signal));
    },
    async searchStudies(search, signal) {
      const url = new URL(`${base}/studies`);
      url.search = buildSearchParams(search).toString();
      return parseStudyPage(await getJson('searchStudies', url, signal));
    },
  };
}
