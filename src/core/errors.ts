// Errors every layer raises: a stable code, the cause, and whether a retry can help.
// Only the core (assistant.ts) turns them into words for users; lower layers never format messages for people.

export type ErrorCode =
  | 'rate_limited' // 429 from a source
  | 'upstream_unavailable' // 5xx, connection refused/reset
  | 'timeout' // no answer within the attempt's or the call's deadline
  | 'bad_response' // HTML error page, truncated XML, malformed JSON
  | 'upstream_error' // the source answered with an error of its own (ESearch ERROR, 400 text)
  | 'not_found'
  | 'bad_input'
  | 'cache_failure'
  | 'store_failure'
  | 'internal';

export interface PaperbotErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** Seconds the source asked us to wait (Retry-After), when it said. */
  retryAfterSeconds?: number;
  /** Which external service raised it ("pubmed", "clinicaltrials"), for notices and metrics. */
  source?: string;
  /**
   * The source's own short words on why it refused the query (ESearch's ERROR field), addressed to whoever
   * wrote it, so the core may quote them. Never an HTTP error body: those can echo the request URL.
   */
  quotable?: string;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'upstream_unavailable',
  'timeout',
  'bad_response',
]);

export class PaperbotError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly source?: string;
  readonly quotable?: string;

  constructor(code: ErrorCode, message: string, options: PaperbotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaperbotError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.source !== undefined) this.source = options.source;
    if (options.quotable !== undefined) this.quotable = options.quotable;
  }
}

export function isPaperbotError(value: unknown): value is PaperbotError {
  return value instanceof PaperbotError;
}

/** Wraps anything thrown into a PaperbotError, keeping the original as the cause. */
export function toPaperbotError(value: unknown, fallback: ErrorCode = 'internal'): PaperbotError {
  if (value instanceof PaperbotError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new PaperbotError(fallback, message, { cause: value });
}
