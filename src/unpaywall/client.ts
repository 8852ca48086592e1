// Unpaywall /v2 on the source kit: one attempt per DOI, the contact e-mail Unpaywall requires on every call
// (masked in logged errors), every failure a SourceError. Caching and pacing are service.ts's.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import type { OpenAccess } from '../core/signals';
import { createJsonGet } from '../sources/json-get';
import { SHORT_DEADLINE_RETRY, type RetryPolicy } from '../sources/retry';
import { parseUnpaywall, UNPAYWALL_SOURCE } from './parse';

export { UNPAYWALL_SOURCE } from './parse';

export const UNPAYWALL_RETRY: RetryPolicy = SHORT_DEADLINE_RETRY;

export interface UnpaywallClientOptions {
  /** e.g. https://api.unpaywall.org/v2 */
  baseUrl: string;
  email: string;
  attemptTimeoutMs: number;
  dispatcher?: Dispatcher;
  clock?: Clock;
  userAgent?: string;
}

export interface UnpaywallClient {
  /** GET /{doi}?email=…; a DOI Unpaywall does not know is a not_found error. */
  work(doi: string, signal?: AbortSignal): Promise<OpenAccess>;
}

export function createUnpaywallClient(o: UnpaywallClientOptions): UnpaywallClient {
  const base = o.baseUrl.replace(/\/+$/, '');
  const get = createJsonGet({
    source: UNPAYWALL_SOURCE,
    clock: o.clock ?? systemClock,
    attemptTimeoutMs: o.attemptTimeoutMs,
    userAgent: o.userAgent ?? 'paperbot',
    secrets: [o.email],
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
  });
  return {
    async work(doi, signal) {
      // The DOI's own slashes stay: Unpaywall reads /v2/10.1016/j.x.y as the DOI 10.1016/j.x.y.
      const url = new URL(`${base}/${doi.split('/').map(encodeURIComponent).join('/')}`);
      url.searchParams.set('email', o.email);
      return parseUnpaywall(await get('work', url, { notFound: true, ...(signal ? { signal } : {}) }));
    },
  };
}
