// The ports the core depends on and src/cache and src/sources/budget*.ts implement: a cache store and a
// request-start budget. Both have an in-process and a Redis-backed implementation; callers never know which.

/** A key-value store with TTLs. Implementations swallow nothing: callers (cached()) decide what a failure means. */
export interface CacheStore {
  get<T>(key: string): Promise<T | undefined>;
  /** One round trip for many keys; misses are `undefined`, in the order asked. */
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Which backend this is ("sqlite", "redis", "memory"), for logs and /readyz. */
  readonly kind: string;
  close(): Promise<void>;
}

/**
 * Who waits first for a request slot. `continuation` finishes interactive work already under way (the efetch
 * after a search's esearch): serving it before new lookups lets some answers complete under load instead of
 * every one of them stalling half-done at its deadline.
 */
export type Priority = 'continuation' | 'interactive' | 'batch';

/**
 * A shared budget of request starts per rolling second for one external service.
 * `acquire` resolves when the caller may start one request; interactive callers go before batch ones.
 * It rejects with the signal's reason when aborted (the caller's deadline passed while queued).
 */
export interface RateBudget {
  acquire(options?: { priority?: Priority; signal?: AbortSignal }): Promise<void>;
  readonly perSecond: number;
  close(): Promise<void>;
}
