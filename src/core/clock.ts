// The clock port: every module that needs "now" or a delay takes a Clock, so tests can drive time, and the
// deadlines built on it (abort at a time, fail or give up after a wait). systemClock alone reads the real time.

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

/** An AbortSignal that fires at `at` (clock time), or with its parent's reason if the parent fires first. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly at: number;
  /** Stops the timer and forgets the parent; call it once the bounded work is over. */
  dispose(): void;
}

/**
 * Starts a deadline of `ms`: when it passes, the signal aborts with `reason()` (built only then, so a
 * deadline that is met costs no error object). A `parent` signal (the caller's) aborts it too.
 */
export function startDeadline(
  clock: Clock,
  ms: number,
  reason: () => unknown,
  parent?: AbortSignal,
): Deadline {
  const controller = new AbortController();
  const timer = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  clock.sleep(ms, timer.signal).then(
    () => controller.abort(reason()),
    () => undefined, // disposed before it fired
  );
  return {
    signal: controller.signal,
    at: clock.now() + ms,
    dispose: () => {
      timer.abort(SLEEP_NOT_NEEDED);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * `work`'s outcome if it settles within `ms`, else a rejection with `timeout()`. The work is not cancelled
 * (a stalled socket must not stall its caller), and its later rejection is swallowed, never unhandled.
 */
export async function failAfter<T>(
  clock: Clock,
  ms: number,
  work: Promise<T>,
  timeout: () => Error,
): Promise<T> {
  work.catch(() => undefined);
  const timer = new AbortController();
  try {
    return await Promise.race([
      work,
      clock.sleep(ms, timer.signal).then(
        () => Promise.reject(timeout()),
        () => new Promise<never>(() => undefined), // disposed: the work has settled and won the race
      ),
    ]);
  } finally {
    timer.abort(SLEEP_NOT_NEEDED);
  }
}
