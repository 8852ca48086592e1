// One GET of a JSON resource from an outside service: one attempt on http.ts, the body parsed or the status
// classified by statusError. The Europe PMC, Unpaywall and Crossref clients share it rather than copy it.

import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock';
import { createHttpAttempt, jsonOf } from './http';

export interface JsonGetOptions {
  /** Names the service in every error ("europepmc", "unpaywall", "crossref"). */
  source: string;
  clock: Clock;
  /** Budget for one attempt, headers and body together. */
  attemptTimeoutMs: number;
  dispatcher?: Dispatcher;
  userAgent: string;
  /** Values masked in logged error excerpts (a contact e-mail travels in some query strings). */
  secrets?: readonly (string | undefined)[];
}

export interface JsonGetCall {
  signal?: AbortSignal;
  /** The service answers 404 for "no such record": a not_found error, not a refusal. */
  notFound?: boolean;
}

/** `what` names the operation in logs and metrics ("search", "work"); never the query text. */
export type JsonGet = (what: string, url: URL, call?: JsonGetCall) => Promise<unknown>;

export function createJsonGet(o: JsonGetOptions): JsonGet {
  const headers = { accept: 'application/json', 'user-agent': o.userAgent };
  const attempt = createHttpAttempt({
    source: o.source,
    clock: o.clock,
    totalTimeoutMs: o.attemptTimeoutMs,
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
  });
  return async (what, url, call = {}) => {
    const answer = await attempt(what, { url, headers, ...(call.signal ? { signal: call.signal } : {}) });
    return jsonOf(o.source, what, answer, {
      nowMs: o.clock.now(),
      ...(call.notFound ? { notFound: true } : {}),
      ...(o.secrets ? { secrets: o.secrets } : {}),
    });
  };
}
