// Cache key construction: versioned, namespaced keys that any user text can safely become part of.
// It owns the key format only; what is stored under a key and for how long belongs to cached().

import { encodeKeyPart } from '../core/store';

/** Bump when the shape of cached values changes, so old entries are simply never read again. */
export const CACHE_KEY_VERSION = 'v2';
const KEY_PREFIX = `paperbot:${CACHE_KEY_VERSION}`;
/**
 * `paperbot:v2:<namespace>:<part>:<part>…`, each part URL-encoded (so ':' inside user text cannot shift
 * parts) or replaced by `sha1=<hex>` when longer than 200 characters once encoded.
 */
export function cacheKey(namespace: string, ...parts: string[]): string {
  return [KEY_PREFIX, encodeKeyPart(namespace), ...parts.map(encodeKeyPart)].join(':');
}

/** The namespace part of a key made by cacheKey ("pubmed-search"), for metrics; "other" for any other key. */
export function cacheNamespaceOf(key: string): string {
  if (!key.startsWith(`${KEY_PREFIX}:`)) return 'other';
  const part = key.slice(KEY_PREFIX.length + 1).split(':', 1)[0] ?? '';
  try {
    return decodeURIComponent(part) || 'other';
  } catch {
    return 'other';
  }
}
