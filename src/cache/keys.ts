// Cache key construction: versioned, namespaced keys that any user text can safely become part of.
// It owns the key format only; what is stored under a key and for how long belongs to cached().

import { createHash } from 'node:crypto';

/** Bump when the shape of cached values changes, so old entries are simply never read again. */
export const CACHE_KEY_VERSION = 'v2';
const KEY_PREFIX = `paperbot:${CACHE_KEY_VERSION}`;
/** Longer encoded parts are replaced by their digest so keys stay bounded whatever users type. */
const MAX_PART_LENGTH = 200;

function encodePart(part: string): string {
  const encoded = encodeURIComponent(part);
  if (encoded.length <= MAX_PART_LENGTH) return encoded;
  // encodeURIComponent always escapes '=', so a digest part can never collide with an encoded one.
  return `sha1=${createHash('sha1').update(part, 'utf8').digest('hex')}`;
}

/**
 * `paperbot:v2:<namespace>:<part>:<part>…`, each part URL-encoded (so ':' inside user text cannot shift
 * parts) or replaced by `sha1=<hex>` when longer than 200 characters once encoded.
 */
export function cacheKey(namespace: string, ...parts: string[]): string {
  return [KEY_PREFIX, encodePart(namespace), ...parts.map(encodePart)].join(':');
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
