// The durable store port: keyed JSON values with TTLs, exactly-once claims, conditional multi-key commits
// and ordered members (scored sets). Backends (SQLite file, Redis) live in src/store/; meaning is the callers'.

import { createHash } from 'node:crypto';

/**
 * A condition a commit checks before writing anything: the live value under `key` has the same JSON text as
 * `equals`, or, with `equals: undefined`, there is no live value (absent or expired).
 */
export interface StoreCheck {
  key: string;
  equals: unknown;
}

/** One write of a commit. Ordered keys hold members with numeric scores, read back in score order. */
export type StoreWrite =
  /** Without `ttlMs` the value is kept until deleted. */
  | { op: 'set'; key: string; value: unknown; ttlMs?: number }
  /** Removes a value or a whole ordered key. */
  | { op: 'delete'; key: string }
  /** Adds `member`, or raises its score to `score`; a score is never lowered (the digest ledger relies on it). */
  | { op: 'addOrdered'; key: string; member: string; score: number }
  | { op: 'removeOrdered'; key: string; member: string }
  /** Drops the members scored below `below`. */
  | { op: 'trimOrdered'; key: string; below: number };

export interface DurableStore {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  /** One round trip; misses are `undefined`, in the order asked. */
  getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Without `ttlMs` the value is kept until deleted; a non-positive TTL deletes it. */
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * True for the one caller that found `key` absent and set it for `ttlMs`; false for every other caller
   * until it expires, across processes and replicas sharing the backend.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Replaces the value only if it is still `expected` (`undefined`: absent); `next` undefined deletes it.
   * False, with nothing written, when another writer got there first.
   */
  compareAndSet<T>(
    key: string,
    expected: T | undefined,
    next: T | undefined,
    ttlMs?: number,
  ): Promise<boolean>;
  /** All `writes` if every check holds, else none: one atomic step on either backend. */
  commit(checks: readonly StoreCheck[], writes: readonly StoreWrite[]): Promise<boolean>;
  /** The scores of `members` in the ordered key, `undefined` for absent ones, in the order asked. */
  scores(key: string, members: readonly string[]): Promise<(number | undefined)[]>;
  /** Members of the ordered key scored at least `min` (all by default), lowest score first. */
  members(key: string, min?: number): Promise<string[]>;
  close(): Promise<void>;
}

/** Bump when the shape of a durable record changes; a migration then reads the old version. */
export const STORE_KEY_VERSION = 's1';
const MAX_PART_LENGTH = 200;

/**
 * One key part: URL-encoded, or `sha1=<hex>` when longer than 200 characters once encoded. Shared with the
 * cache's own versioned keys so both encode user text alike.
 */
export function encodeKeyPart(part: string): string {
  const encoded = encodeURIComponent(part);
  if (encoded.length <= MAX_PART_LENGTH) return encoded;
  // encodeURIComponent always escapes '=', so a digest part can never collide with an encoded one.
  return `sha1=${createHash('sha1').update(part, 'utf8').digest('hex')}`;
}

/**
 * `paperbot:s1:<namespace>:<part>…`, each part URL-encoded (so ':' in a channel id cannot shift parts) or
 * replaced by its digest when long. Each owner (digests, installations, …) keeps to its own namespace.
 */
export function storeKey(namespace: string, ...parts: string[]): string {
  return ['paperbot', STORE_KEY_VERSION, encodeKeyPart(namespace), ...parts.map(encodeKeyPart)].join(':');
}
