// Coalesces identical in-flight work: callers asking for the same key while a load runs share its promise.
// It owns no caching or expiry; the entry is dropped the moment the shared promise settles.

export interface SingleFlight {
  /** Runs `fn` unless a call with the same key is already in flight, in which case it joins that one. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const existing = inFlight.get(key);
      if (existing) return existing as Promise<T>;
      // Wrapping in an async call turns a synchronous throw from `fn` into a rejection every joiner sees.
      const shared = (async () => fn())();
      inFlight.set(key, shared);
      // Drop the entry on settle; the `.then(onFulfilled, onRejected)` chain swallows the rejection here
      // only, callers still receive it through `shared`.
      const drop = (): void => {
        if (inFlight.get(key) === shared) inFlight.delete(key);
      };
      shared.then(drop, drop);
      return shared;
    },
  };
}
