// Crossref REST on the source kit, in the polite pool (`mailto` on every call): one attempt per DOI, every
// failure a SourceError. Caching and pacing are service.ts's; JSON → notices and versions is parse.ts's.

import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../core/clock';
import { createJsonGet } from '../sources/json-get';
import { SHORT_DEADLINE_RETRY, type RetryPolicy } from '../sources/retry';
import { CROSSREF_SOURCE, parseWork, type CrossrefWork } from './parse';

export { CROSSREF_SOURCE, type CrossrefWork } from './parse';

export const CROSSREF_RETRY: RetryPolicy = SHORT_DEADLINE_RETRY;

export interface CrossrefClientOptions {
  /** e.g. https://api.crossref.org */
  baseUrl: string;
  /** Joins Crossref's polite pool; without it the public pool's lower limits apply. */
  mailto?: string;
  attemptTimeoutMs: number;
  dispatcher?: Dispatcher;
  clock?: Clock;
  userAgent?: string;
}

export interface CrossrefClient {
  /** GET /works/{doi}: its notices and versions; a DOI Crossref does not hold is a not_found error. */
  work(doi: string, signal?: AbortSignal): Promise<CrossrefWork>;
}

export function createCrossrefClient(o: CrossrefClientOptions): CrossrefClient {
  const base = o.baseUrl.replace(/\/+$/, '');
  const get = createJsonGet({
    source: CROSSREF_SOURCE,
    clock: o.clock ?? systemClock,
    attemptTimeoutMs: o.attemptTimeoutMs,
    // Crossref asks polite clients to name themselves and a contact in the User-Agent too.
    userAgent: `${o.userAgent ?? 'paperbot'}${o.mailto ? ` (mailto:${o.mailto})` : ''}`,
    secrets: [o.mailto],
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
  });
  return {
    async work(doi, signal) {
      const url = new URL(`${base}/works/${doi.split('/').map(encodeURIComponent).join('/')}`);
      if (o.mailto) url.searchParams.set('mailto', o.mailto);
      return parseWork(await get('work', url, { notFound: true, ...(signal ? { signal } : {}) }));
    },
  };
}
