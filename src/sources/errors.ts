// The one error type every outside service raises, and how transport and HTTP failures become one.
// It owns classification (code, retryable, which kind of failure); retry waits are retry.ts's, wording the core's.

import { PaperbotError, type ErrorCode } from '../core/errors';

/** What went wrong, in HTTP terms; each kind maps to one error code and whether asking again can help. */
export type Failure =
  | 'rate_limited' // HTTP 429
  | 'server_error' // HTTP 5xx or 408
  | 'connection' // refused, reset, closed before the headers
  | 'unresolvable' // DNS: no such host
  | 'timeout' // no headers or no body data in time, or the call's deadline
  | 'bad_body' // a success carrying HTML, unparseable data, or a body cut short
  | 'refused' // the service answered with an error of its own about our request (ESearch ERROR, HTTP 400)
  | 'busy' // the same, but its words say the backend is temporarily failing
  | 'not_found' // HTTP 404 where the service means "no such record"
  | 'bad_input'; // refused before any request left: asking cannot help

export const FAILURES: Readonly<Record<Failure, { code: ErrorCode; retryable: boolean }>> = {
  rate_limited: { code: 'rate_limited', retryable: true },
  server_error: { code: 'upstream_unavailable', retryable: true },
  connection: { code: 'upstream_unavailable', retryable: true },
  // DNS says the host does not exist (an offline machine, a mistyped base URL): another try within the same
  // deadline gets the same answer, so fall back at once. EAI_AGAIN is a connection failure, still retryable.
  unresolvable: { code: 'upstream_unavailable', retryable: false },
  timeout: { code: 'timeout', retryable: true },
  bad_body: { code: 'bad_response', retryable: true },
  refused: { code: 'upstream_error', retryable: false },
  busy: { code: 'upstream_unavailable', retryable: true },
  not_found: { code: 'not_found', retryable: false },
  bad_input: { code: 'bad_input', retryable: false },
};

export interface SourceErrorOptions {
  cause?: unknown;
  /** Overrides the table, e.g. a redirect to another origin is damage that asking again will not mend. */
  retryable?: boolean;
  /** Seconds the service asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  /** The service's own short explanation of why it refused the query, meant for whoever wrote it. */
  quotable?: string;
}

/**
 * A PaperbotError that names its service (`source`) and remembers its kind of failure. Its message is for
 * logs only (it may hold a status line or an excerpt of an error body); people read the core's wording.
 */
export class SourceError extends PaperbotError {
  readonly failure: Failure;
  declare readonly source: string;

  constructor(source: string, failure: Failure, message: string, options: SourceErrorOptions = {}) {
    const row = FAILURES[failure];
    super(row.code, message, {
      source,
      retryable: options.retryable ?? row.retryable,
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
      ...(options.quotable !== undefined ? { quotable: options.quotable } : {}),
    });
    this.failure = failure;
  }
}

export function sourceError(
  source: string,
  failure: Failure,
  message: string,
  options: SourceErrorOptions = {},
): SourceError {
  return new SourceError(source, failure, message, options);
}

/** For errors raised elsewhere (a parser, a deadline), the kind their code corresponds to. */
const FAILURE_BY_CODE: Partial<Record<ErrorCode, Failure>> = {
  rate_limited: 'rate_limited',
  upstream_unavailable: 'server_error',
  bad_response: 'bad_body',
  timeout: 'timeout',
};

export function failureOf(error: PaperbotError): Failure | undefined {
  return error instanceof SourceError ? error.failure : FAILURE_BY_CODE[error.code];
}

/** Anything thrown, as a PaperbotError naming `source` (one raised for another service keeps its own). */
export function asSourceError(source: string, error: unknown): PaperbotError {
  if (error instanceof PaperbotError) {
    if (error.source !== undefined) return error;
    return new PaperbotError(error.code, error.message, { cause: error, retryable: error.retryable, source });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PaperbotError('internal', message, { cause: error, source, retryable: false });
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
 * Maps what undici threw to a SourceError. `phase` says whether the headers had arrived: a connection dropped
 * while the body streams means the body was cut short (bad_response), not that the service is down. An abort
 * whose reason is already a PaperbotError (a deadline) comes through unchanged.
 */
export function transportError(
  source: string,
  what: string,
  error: unknown,
  phase: 'headers' | 'body',
): PaperbotError {
  if (error instanceof PaperbotError) return error;
  const code = errorCode(error);
  const fail = (failure: Failure, message: string): SourceError =>
    sourceError(source, failure, `${what}: ${message}`, { cause: error });
  if (code !== undefined && TIMEOUT_CODES.has(code))
    return fail('timeout', `no ${phase === 'headers' ? 'answer' : 'data'} in time (${code})`);
  if (code === 'UND_ERR_ABORTED' || (error instanceof Error && error.name === 'AbortError'))
    return fail('timeout', 'request aborted');
  if (
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    (phase === 'body' && code && CONNECTION_CODES.has(code))
  )
    return fail('bad_body', `the answer was cut short (${code})`);
  if (code === 'ENOTFOUND' && phase === 'headers') return fail('unresolvable', `host not found (${code})`);
  if (code !== undefined && CONNECTION_CODES.has(code))
    return fail('connection', `connection failed (${code})`);
  const message = error instanceof Error ? error.message : String(error);
  return fail('connection', `request failed (${message})`);
}
