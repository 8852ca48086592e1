// ClinicalTrials.gov API v2 on the source kit: exactly one attempt per call, every failure a SourceError.
// Retries, pacing, deadlines and caching live in service.ts; JSON → Trial lives in study.ts.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import type { Trial } from '../core/trial';
import { createHttpAttempt, statusError } from '../sources/http';
import { CTGOV_SOURCE, ctgovError, normaliseNctId } from './errors';
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
const MAX_ERROR_TEXT = 500;
const UTF8 = new TextDecoder('utf-8');

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
    const body = UTF8.decode(answer.body);
    if (answer.status < 200 || answer.status >= 300) {
      // The API explains a 400 or 404 in text/plain (bad Essie syntax, unknown field, no such study): kept
      // for the log. Sending the same request again cannot succeed.
      const text = serverText(body);
      throw statusError(CTGOV_SOURCE, what, answer, {
        nowMs: clock.now(),
        notFound: true,
        message: text || `${what}: ClinicalTrials.gov answered ${answer.status}`,
      });
    }
    try {
      return JSON.parse(body) as unknown;
    } catch (err) {
      // Truncated or HTML bodies are usually passing trouble (a proxy, a deploy): worth one more try.
      throw ctgovError('bad_body', `${what}: a body that is not JSON (${body.length} characters)`, {
        cause: err,
      });
    }
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

function serverText(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}
