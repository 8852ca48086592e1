// ClinicalTrials.gov API v2 over HTTP: exactly one attempt per call, every failure mapped to a PaperbotError.
// Retries, pacing, deadlines and caching live in service.ts; JSON → Trial lives in study.ts.

import { request, type Dispatcher } from 'undici';
import { SLEEP_NOT_NEEDED, systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import type { Trial } from '../core/trial';
import { ctgovError, normaliseNctId } from './errors';
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

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Alias NCT ids answer 301 to the current study; a short chain is fine, a loop is not. */
const MAX_REDIRECTS = 3;
const MAX_ERROR_TEXT = 500;

export function createCtgovClient(options: CtgovClientOptions): CtgovClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const studyFields = options.studyFields ?? DEFAULT_FIELDS;
  const headers = { accept: 'application/json', 'user-agent': options.userAgent ?? 'paperbot' };

  async function attempt(url: URL, signal: AbortSignal | undefined): Promise<RawResponse> {
    if (signal?.aborted) throw callerGaveUp(signal.reason);
    const controller = new AbortController();
    const stopTimer = new AbortController();
    let timedOut = false;
    const onCallerAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    clock.sleep(options.attemptTimeoutMs, stopTimer.signal).then(
      () => {
        timedOut = true;
        controller.abort();
      },
      () => undefined,
    );
    try {
      let current = url;
      for (let hop = 0; ; hop += 1) {
        const response = await request(current, {
          method: 'GET',
          headers,
          signal: controller.signal,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        const location = headerValue(response.headers, 'location');
        if (response.statusCode >= 300 && response.statusCode < 400 && location && hop < MAX_REDIRECTS) {
          await response.body.dump();
          current = sameOriginTarget(current, location);
          continue;
        }
        const body = await response.body.text();
        return { status: response.statusCode, headers: response.headers, body };
      }
    } catch (err) {
      if (err instanceof PaperbotError) throw err;
      if (timedOut) {
        throw ctgovError(
          'timeout',
          `no answer from ClinicalTrials.gov within ${options.attemptTimeoutMs} ms`,
          {
            cause: err,
          },
        );
      }
      if (signal?.aborted) throw callerGaveUp(signal.reason);
      throw networkError(err);
    } finally {
      stopTimer.abort(SLEEP_NOT_NEEDED);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  function sameOriginTarget(from: URL, location: string): URL {
    const target = new URL(location, from);
    if (target.origin !== from.origin) {
      throw ctgovError('bad_response', `ClinicalTrials.gov redirected to another origin (${target.origin})`, {
        retryable: false,
      });
    }
    // An alias redirect may drop our query (fields, format); the same request should follow it.
    if (target.search === '') target.search = from.search;
    return target;
  }

  async function getJson(url: URL, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await attempt(url, signal);
    if (response.status < 200 || response.status >= 300) throw statusError(response, clock.now());
    try {
      return JSON.parse(response.body) as unknown;
    } catch (err) {
      // Truncated or HTML bodies are usually passing trouble (a proxy, a deploy): worth one more try.
      throw ctgovError(
        'bad_response',
        `ClinicalTrials.gov sent a body that is not JSON (${response.body.length} bytes)`,
        {
          cause: err,
        },
      );
    }
  }

  return {
    async getStudy(nct, signal) {
      const id = normaliseNctId(nct);
      const url = new URL(`${base}/studies/${id}`);
      url.searchParams.set('format', 'json');
      if (studyFields.length > 0) url.searchParams.set('fields', studyFields.join(','));
      return parseStudy(await getJson(url, signal));
    },
    async searchStudies(search, signal) {
      const url = new URL(`${base}/studies`);
      url.search = buildSearchParams(search).toString();
      return parseStudyPage(await getJson(url, signal));
    },
  };
}

function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function serverText(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

function statusError(response: RawResponse, nowMs: number): PaperbotError {
  const { status } = response;
  const text = serverText(response.body);
  const retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'), nowMs);
  const after = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (status === 404) return ctgovError('not_found', text || 'ClinicalTrials.gov has no such study');
  if (status === 429)
    return ctgovError('rate_limited', 'ClinicalTrials.gov asked us to slow down (429)', after);
  if (status >= 500 || status === 408) {
    return ctgovError('upstream_unavailable', `ClinicalTrials.gov answered ${status}`, after);
  }
  // 400 carries the API's own explanation in text/plain (bad Essie syntax, unknown field, stale token):
  // sending the same request again cannot succeed.
  return ctgovError('upstream_error', text || `ClinicalTrials.gov answered ${status}`, { retryable: false });
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function networkError(err: unknown): PaperbotError {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const detail = typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown';
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return ctgovError('timeout', `ClinicalTrials.gov timed out (${detail})`, { cause: err });
  }
  return ctgovError('upstream_unavailable', `could not reach ClinicalTrials.gov (${detail})`, { cause: err });
}

/** The caller's own signal fired: its reason wins, and there is nothing to retry on its behalf. */
function callerGaveUp(reason: unknown): PaperbotError {
  if (reason instanceof PaperbotError) return reason;
  return ctgovError('timeout', 'the caller stopped waiting for ClinicalTrials.gov', {
    retryable: false,
    cause: reason,
  });
}
