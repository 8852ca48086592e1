// The clock port: every module that needs "now" or a delay takes a Clock, so tests can drive time.
// systemClock is the only place that reads the real time.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * The reason to abort a sleep with once it is no longer needed (the work it bounded finished first). abort()
 * without a reason builds a DOMException, stack trace included, on every call: measurable on hot paths.
 */
export const SLEEP_NOT_NEEDED: unknown = Symbol('sleep not needed');

/** `work`'s value if it settles within `ms`, else `late`; the work itself goes on either way. */
export async function within<T, L>(clock: Clock, work: Promise<T>, ms: number, late: L): Promise<T | L> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      work,
      clock.sleep(ms, timer.signal).then(
        () => late,
        () => late,
      ),
    ]);
  } finally {
    timer.abort(SLEEP_NOT_NEEDED);
  }
}
