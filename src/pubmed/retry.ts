// One total deadline per call, and the attempt loop inside it: a rate-budget slot per attempt, retries with
// exponential backoff and full jitter on retryable failures only. Which failures are retryable is errors.ts's.

import { SLEEP_NOT_NEEDED, type Clock } from '../core/clock';
import { PaperbotError, toPaperbotError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Priority, RateBudget } from '../core/ports';
import { PUBMED_SOURCE, retryHint } from './errors';

export interface RetryPolicy {
  /** First backoff ceiling; attempt n waits a random time in [0, base·2ⁿ] (full jitter), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts per call at most, however much of the deadline is left. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 150, maxDelayMs: 4000, maxAttempts: 5 };

export interface RetryDeps {
  budget: RateBudget;
  clock: Clock;
  logger: Logger;
  /** [0, 1), for the jitter; injected so tests can pin it. */
  random: () => number;
  policy: RetryPolicy;
}

/** A call's deadline: an AbortSignal that fires at `at` (clock time) with a `timeout` PaperbotError. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly at: number;
  dispose(): void;
}

export function startDeadline(clock: Clock, ms: number): Deadline {
  const controller = new AbortController();
  const timer = new AbortController();
  const at = clock.now() + ms;
  clock.sleep(ms, timer.signal).then(
    () =>
      controller.abort(new PaperbotError('timeout', `no answer within ${ms} ms`, { source: PUBMED_SOURCE })),
    () => undefined, // disposed before it fired
  );
  return { signal: controller.signal, at, dispose: () => timer.abort(SLEEP_NOT_NEEDED) };
}

/** What every step of one call shares: its priority for the budget and its single deadline. */
export interface CallContext {
  priority: Priority;
  deadline: Deadline;
}

/** Runs `work` under a fresh deadline of `ms`, and always releases the deadline's timer. */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  work: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(clock, ms);
  try {
    return await work(deadline);
  } finally {
    deadline.dispose();
  }
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (a caller giving up on shared work
 * leaves it running for the others who joined it).
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancelled(signal: AbortSignal): PaperbotError {
  const reason: unknown = signal.reason;
  if (reason instanceof PaperbotError) return reason;
  return new PaperbotError('timeout', 'the caller stopped waiting', { source: PUBMED_SOURCE, cause: reason });
}

function asPubmedError(error: unknown): PaperbotError {
  const e = toPaperbotError(error);
  return e.source !== undefined
    ? e
    : new PaperbotError(e.code, e.message, { cause: e, retryable: e.retryable, source: PUBMED_SOURCE });
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the deadline leaves no room for another wait.
 * When the deadline ends the call (queued for a budget slot, backing off, or mid-attempt) it throws the
 * last failure an attempt met, or `timeout` when none had failed yet.
 */
export async function retrying<T>(
  deps: RetryDeps,
  what: string,
  o: CallContext,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal } = o.deadline;
  let last: PaperbotError | undefined;
  for (let n = 0; ; n += 1) {
    try {
      await deps.budget.acquire({ priority: o.priority, signal });
    } catch (error) {
      throw last ?? (signal.aborted ? cancelled(signal) : asPubmedError(error));
    }
    try {
      return await attempt(signal);
    } catch (error) {
      if (signal.aborted) throw last ?? cancelled(signal);
      last = asPubmedError(error);
    }
    const hint = retryHint(last);
    if (!hint.retryable || n + 1 >= deps.policy.maxAttempts) throw last;
    const ceiling = Math.min(deps.policy.maxDelayMs, deps.policy.baseDelayMs * 2 ** n);
    const delay = Math.max(hint.minDelayMs, Math.floor(deps.random() * ceiling));
    // A wait that would outlast the deadline cannot lead to an answer in time: give the error now.
    if (deps.clock.now() + delay >= o.deadline.at) throw last;
    deps.logger.debug({ what, attempt: n + 1, code: last.code, delayMs: delay }, 'pubmed: retrying');
    try {
      await deps.clock.sleep(delay, signal);
    } catch {
      throw last;
    }
  }
}
