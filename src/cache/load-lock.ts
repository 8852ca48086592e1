// Cross-replica coalescing of cache-miss loads: one process loads a key while the others wait for its entry.
// The port and the step cached() runs around a load; the lock on the shared store is ./shared-lock.ts's.

import { silentLogger, type Logger } from '../core/logger';
import { describeError } from './describe';

/**
 * A short lock per cache key, shared by every replica. Within a process, SingleFlight already coalesces;
 * this extends that to the processes behind one Redis, so a burst spread over N replicas costs one lookup.
 */
export interface LoadLock {
  /**
   * Takes the lock on `key`: a release function, or `undefined` when another process holds it.
   * Rejects when the lock service cannot answer; the caller then loads without it.
   */
  acquire(key: string): Promise<(() => Promise<void>) | undefined>;
  /** Resolves once `key` is no longer locked (or after the lock's lifetime); never rejects. */
  released(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface Coordinated<R> {
  result: R;
  /** False when another process's load (or one that finished just before ours) answered. */
  loadedHere: boolean;
}

/**
 * Runs `load` as the one process loading `key`, or waits for the process that is and then `recheck`s the
 * store. `recheck` returns undefined while something is still missing: that part is then loaded here (the
 * holder failed, or wrote nothing for it). Without a lock, or when the lock service is down, just loads.
 */
export async function coordinated<R>(
  lock: LoadLock | undefined,
  key: string,
  recheck: () => Promise<R | undefined>,
  load: () => Promise<R>,
  logger: Logger = silentLogger,
): Promise<Coordinated<R>> {
  if (!lock) return { result: await load(), loadedHere: true };
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lock.acquire(key);
  } catch (err) {
    logger.debug({ err: describeError(err) }, 'load lock unavailable; loading without it');
    return { result: await load(), loadedHere: true };
  }
  if (release) {
    try {
      // Another process may have stored the entry between our read and our taking the lock.
      const stored = await recheck();
      return stored === undefined
        ? { result: await load(), loadedHere: true }
        : { result: stored, loadedHere: false };
    } finally {
      await release();
    }
  }
  await lock.released(key);
  const stored = await recheck();
  return stored === undefined
    ? { result: await load(), loadedHere: true }
    : { result: stored, loadedHere: false };
}
