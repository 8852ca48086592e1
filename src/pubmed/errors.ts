// How E-utilities failures become PaperbotErrors, and what each one means for a retry (the table below).
// It owns classification only; making the request belongs to eutils.ts, retrying to retry.ts.

import { PaperbotError, type ErrorCode } from '../core/errors';

/** `source` on every error raised for PubMed, so the core can name the service in its notices. */
export const PUBMED_SOURCE = 'pubmed';

/** What went wrong, in E-utilities terms; each kind maps to one error code and one retry hint. */
export type EutilsFailure =
  | 'rate_limited' // HTTP 429 (NCBI's per-second budget was exceeded)
  | 'server_error' // HTTP 5xx
  | 'connection' // refused, reset, closed before the headers
  | 'unresolvable' // DNS: no such host
  | 'timeout' // no headers or no body data within the attempt's time, or the caller's deadline
  | 'bad_body' // HTTP 200 with HTML, unparseable JSON/XML, or a body cut short
  | 'entrez_error' // HTTP 200 carrying ESearch's ERROR or an XML <ERROR>: Entrez refused the request
  | 'entrez_busy' // the same, but the ERROR text says the backend is temporarily failing
  | 'client_error'; // other HTTP 4xx: our request is wrong, asking again will not help

export interface RetryRule {
  code: ErrorCode;
  retryable: boolean;
  /** The least a retry should wait; backoff may wait longer, Retry-After overrides it. */
  minDelayMs: number;
}

/**
 * The table. NCBI counts requests per rolling second, so after a 429 the next second is the earliest
 * useful moment. Server and body failures under load usually clear within a few hundred milliseconds.
 */
export const EUTILS_FAILURES: Readonly<Record<EutilsFailure, RetryRule>> = {
  rate_limited: { code: 'rate_limited', retryable: true, minDelayMs: 1000 },
  server_error: { code: 'upstream_unavailable', retryable: true, minDelayMs: 200 },
  connection: { code: 'upstream_unavailable', retryable: true, minDelayMs: 100 },
  // DNS says the host does not exist (an offline machine, a mistyped NCBI_EUTILS_URL): another try within
  // the same deadline gets the same answer, so fall back to the library at once. EAI_AGAIN stays retryable.
  unresolvable: { code: 'upstream_unavailable', retryable: false, minDelayMs: 0 },
  timeout: { code: 'timeout', retryable: true, minDelayMs: 0 },
  bad_body: { code: 'bad_response', retryable: true, minDelayMs: 200 },
  entrez_error: { code: 'upstream_error', retryable: false, minDelayMs: 0 },
  entrez_busy: { code: 'upstream_unavailable', retryable: true, minDelayMs: 300 },
  client_error: { code: 'upstream_error', retryable: false, minDelayMs: 0 },
};

/** A PaperbotError that remembers which row of the table it came from, for its retry hint. */
export class EutilsError extends PaperbotError {
  readonly failure: EutilsFailure;

  constructor(
    failure: EutilsFailure,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    const rule = EUTILS_FAILURES[failure];
    super(rule.code, message, {
      retryable: rule.retryable,
      source: PUBMED_SOURCE,
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
    });
    this.failure = failure;
  }
}

export function eutilsError(
  failure: EutilsFailure,
  message: string,
  options: { cause?: unknown; retryAfterSeconds?: number } = {},
): EutilsError {
  return new EutilsError(failure, message, options);
}

/** For errors raised elsewhere (the XML parser, a deadline), the row their code corresponds to. */
const FAILURE_BY_CODE: Partial<Record<ErrorCode, EutilsFailure>> = {
  rate_limited: 'rate_limited',
  upstream_unavailable: 'server_error',
  bad_response: 'bad_body',
  timeout: 'timeout',
};

/** Whether to retry after `error`, and the least wait: Retry-After when the source gave one, else the table's. */
export function retryHint(error: PaperbotError): { retryable: boolean; minDelayMs: number } {
  if (!error.retryable) return { retryable: false, minDelayMs: 0 };
  if (error.retryAfterSeconds !== undefined)
    return { retryable: true, minDelayMs: error.retryAfterSeconds * 1000 };
  const failure = error instanceof EutilsError ? error.failure : FAILURE_BY_CODE[error.code];
  return { retryable: true, minDelayMs: failure ? EUTILS_FAILURES[failure].minDelayMs : 0 };
}

/**
 * ESearch reports backend trouble and query mistakes through the same `ERROR` field ("Search Backend
 * failed: …" covers both). These phrases, seen in NCBI answers during outages, are worth a retry;
 * anything else is taken as a refusal of the query itself.
 */
const TRANSIENT_ENTREZ_ERROR =
  /temporarily unavailable|address table is empty|couldn'?t resolve|timed? ?out|try again|\b50[234]\b/i;

export function entrezError(utility: string, text: string): PaperbotError {
  const clean = text.replace(/\s+/g, ' ').trim();
  return eutilsError(
    TRANSIENT_ENTREZ_ERROR.test(clean) ? 'entrez_busy' : 'entrez_error',
    clean || `${utility}: ERROR`,
  );
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw.trim());
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** Duck-typed, not `instanceof Error`: errors from another realm (a vm context, a test runner) count too. */
function errorCode(value: unknown): string | undefined {
  let e: unknown = value;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 3; depth += 1) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    e = cause;
  }
  return undefined;
}

/**
 * Maps what undici threw to a PaperbotError. `phase` says whether the headers had arrived: a connection
 * dropped while the body streams means the body was cut short (bad_response), not that NCBI is down.
 * An abort carries its reason through unchanged when that reason is already a PaperbotError (our deadline).
 */
export function transportError(utility: string, error: unknown, phase: 'headers' | 'body'): PaperbotError {
  if (error instanceof PaperbotError) return error;
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return eutilsError(
      'timeout',
      `${utility}: no ${phase === 'headers' ? 'answer' : 'data'} in time (${code})`,
      {
        cause: error,
      },
    );
  }
  if (code === 'UND_ERR_ABORTED' || (error instanceof Error && error.name === 'AbortError')) {
    return eutilsError('timeout', `${utility}: request aborted`, { cause: error });
  }
  if (
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    (phase === 'body' && code && CONNECTION_CODES.has(code))
  ) {
    return eutilsError('bad_body', `${utility}: the answer was cut short (${code})`, { cause: error });
  }
  if (code === 'ENOTFOUND' && phase === 'headers') {
    return eutilsError('unresolvable', `${utility}: host not found (${code})`, { cause: error });
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return eutilsError('connection', `${utility}: connection failed (${code})`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return eutilsError('connection', `${utility}: request failed (${message})`, { cause: error });
}
