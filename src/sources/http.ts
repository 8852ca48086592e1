// ONE HTTP attempt to an outside service through the injected undici dispatcher: status, headers, body bytes,
// timeouts, same-origin redirects. What a status means is the client's (statusError helps); retries are retry.ts's.

import { request, type Dispatcher } from 'undici';
import { startDeadline, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { parseRetryAfter, sourceError, transportError, type Failure, type SourceError } from './errors';

export type Headers = Record<string, string | string[] | undefined>;

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The caller's deadline; its reason is rethrown when it is a PaperbotError. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Bytes, not text: a parser reading UTF-8 directly is twice as fast on a 2 MB answer. */
  body: Buffer;
}

export interface HttpOptions {
  /** Names the service in every error ("pubmed", "clinicaltrials"). */
  source: string;
  /** undici's global dispatcher when absent. */
  dispatcher?: Dispatcher;
  clock: Clock;
  /** Longest wait for the headers, and between two chunks of the body (undici's own timers). */
  idleTimeoutMs?: number;
  /** Longest the whole attempt may take, headers and body together, on the clock. */
  totalTimeoutMs?: number;
  /** Same-origin redirects followed at most (an alias id answering 301); none by default. */
  maxRedirects?: number;
}

/** `what` names the operation in messages and logs ("esearch", "getStudy"); never the query text. */
export type HttpAttempt = (what: string, req: HttpRequest) => Promise<HttpAnswer>;

export function createHttpAttempt(options: HttpOptions): HttpAttempt {
  const { source, clock } = options;
  const maxRedirects = options.maxRedirects ?? 0;

  function sameOriginTarget(from: URL, location: string): URL {
    const target = new URL(location, from);
    if (target.origin !== from.origin) {
      throw sourceError(source, 'bad_body', `redirected to another origin (${target.origin})`, {
        retryable: false,
      });
    }
    // An alias redirect may drop our query (fields, format); the same request should follow it.
    if (target.search === '') target.search = from.search;
    return target;
  }

  async function send(what: string, req: HttpRequest, signal: AbortSignal | undefined): Promise<HttpAnswer> {
    let current = req.url;
    for (let hop = 0; ; hop += 1) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, {
          method: req.method ?? 'GET',
          headers: req.headers ?? {},
          ...(req.body !== undefined ? { body: req.body } : {}),
          ...(options.idleTimeoutMs !== undefined
            ? { headersTimeout: options.idleTimeoutMs, bodyTimeout: options.idleTimeoutMs }
            : {}),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        throw transportError(source, what, signal?.aborted ? signal.reason : error, 'headers');
      }
      const { statusCode, headers } = response;
      const location = headerValue(headers, 'location');
      if (statusCode >= 300 && statusCode < 400 && location && hop < maxRedirects) {
        await response.body.dump();
        current = sameOriginTarget(current, location);
        continue;
      }
      let body: Buffer;
      try {
        body = Buffer.from(await response.body.arrayBuffer());
      } catch (error) {
        // An error answer cut short still says what it needed to by its status.
        if (statusCode < 200 || statusCode >= 300) body = Buffer.alloc(0);
        else throw transportError(source, what, signal?.aborted ? signal.reason : error, 'body');
      }
      return { status: statusCode, headers, body };
    }
  }

  return async (what, req) => {
    const caller = req.signal;
    if (caller?.aborted) throw callerGaveUp(source, caller.reason);
    if (options.totalTimeoutMs === undefined) {
      try {
        return await send(what, req, caller);
      } catch (error) {
        throw caller?.aborted ? callerGaveUp(source, caller.reason) : error;
      }
    }
    const ms = options.totalTimeoutMs;
    const deadline = startDeadline(
      clock,
      ms,
      () => sourceError(source, 'timeout', `${what}: no answer within ${ms} ms`),
      caller,
    );
    try {
      return await send(what, req, deadline.signal);
    } catch (error) {
      throw caller?.aborted ? callerGaveUp(source, caller.reason) : error;
    } finally {
      deadline.dispose();
    }
  };
}

function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's own signal fired: its reason wins, and there is nothing to retry on its behalf. */
function callerGaveUp(source: string, reason: unknown): PaperbotError {
  if (reason instanceof PaperbotError) return reason;
  return sourceError(source, 'timeout', 'the caller stopped waiting', { retryable: false, cause: reason });
}

/**
 * What a non-success status means in plain HTTP: 429 and 5xx/408 are worth another try (after Retry-After
 * when given), 404 is "no such record" where the service says so (`notFound`), anything else a refusal.
 * The message (by default the status line; a client may add a body excerpt) is read by logs only.
 */
export function statusError(
  source: string,
  what: string,
  answer: HttpAnswer,
  o: { nowMs: number; message?: string; notFound?: boolean },
): SourceError {
  const { status } = answer;
  const failure: Failure =
    status === 429
      ? 'rate_limited'
      : status >= 500 || status === 408
        ? 'server_error'
        : status === 404 && o.notFound
          ? 'not_found'
          : 'refused';
  const retryAfterSeconds =
    failure === 'rate_limited' || failure === 'server_error'
      ? parseRetryAfter(answer.headers['retry-after'], o.nowMs)
      : undefined;
  return sourceError(source, failure, o.message ?? `${what}: HTTP ${status}`, {
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/**
 * A short, single-line excerpt of an error body for logs, with every `secret` (API key, e-mail) masked:
 * NCBI echoes the request URL and the key in some error bodies.
 */
export function bodyExcerpt(body: Buffer, secrets: readonly (string | undefined)[] = []): string {
  let plain = new TextDecoder('utf-8')
    .decode(body.subarray(0, 4096))
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const secret of secrets) if (secret) plain = plain.split(secret).join('***');
  return plain.length > 160 ? `${plain.slice(0, 157)}…` : plain;
}

/**
 * The parsed JSON of a 2xx answer. Any other status is a statusError whose message (for logs only) is the
 * service's own explanation when it sent one; a body that is not JSON is damage worth one more try.
 */
export function jsonOf(
  source: string,
  what: string,
  answer: HttpAnswer,
  o: { nowMs: number; notFound?: boolean; secrets?: readonly (string | undefined)[] },
): unknown {
  if (answer.status < 200 || answer.status >= 300) {
    const text = bodyExcerpt(answer.body, o.secrets);
    throw statusError(source, what, answer, {
      nowMs: o.nowMs,
      message: text || `${what}: HTTP ${answer.status}`,
      ...(o.notFound ? { notFound: true } : {}),
    });
  }
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(answer.body)) as unknown;
  } catch (err) {
    // Truncated or HTML bodies are usually passing trouble (a proxy, a deploy).
    throw sourceError(source, 'bad_body', `${what}: a body that is not JSON (${answer.body.length} bytes)`, {
      cause: err,
    });
  }
}
