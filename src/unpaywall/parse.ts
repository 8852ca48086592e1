// An Unpaywall /v2/{doi} answer → where the best legal free copy is (gold, hybrid, bronze, green), or
// "closed" when Unpaywall looked and found none. Pure; tested on recorded answers.

import type { OpenAccess, OpenAccessHost, OpenAccessKind } from '../core/signals';
import { sourceError } from '../sources/errors';

export const UNPAYWALL_SOURCE = 'unpaywall';

const KINDS: readonly OpenAccessKind[] = ['gold', 'hybrid', 'bronze', 'green'];
const HOSTS: Readonly<Record<string, OpenAccessHost>> = { publisher: 'publisher', repository: 'repository' };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const httpUrl = (v: unknown): string | undefined =>
  typeof v === 'string' && /^https?:\/\/\S+$/i.test(v) ? v : undefined;

export function parseUnpaywall(body: unknown): OpenAccess {
  if (!isObject(body) || typeof body.doi !== 'string' || typeof body.is_oa !== 'boolean')
    throw sourceError(UNPAYWALL_SOURCE, 'bad_body', 'work: not an Unpaywall answer');
  const best = isObject(body.best_oa_location) ? body.best_oa_location : undefined;
  // The landing page first: it is the copy's own page, where a PDF link may be stale or blocked.
  const url = best && (httpUrl(best.url_for_landing_page) ?? httpUrl(best.url) ?? httpUrl(best.url_for_pdf));
  if (!body.is_oa || !best || !url) return { service: UNPAYWALL_SOURCE, status: 'closed' };
  const kind = KINDS.find((k) => k === body.oa_status);
  const host = typeof best.host_type === 'string' ? HOSTS[best.host_type] : undefined;
  return {
    service: UNPAYWALL_SOURCE,
    status: 'open',
    url,
    ...(kind ? { kind } : {}),
    ...(host ? { host } : {}),
  };
}
