// One total deadline per call, and the attempt loop inside it: a rate-budget slot per attempt, jittered
// exponential backoff on retryable failures only, Retry-After as the floor. Which failures retry is errors.ts's.

import { startDeadline, type Clock, type Deadline } from '../core/clock';
import { PaperbotError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Priority, RateBudget } from '../core/ports';
import { asSourceError, failureOf, sourceError, type Failure } from './errors';

export interface RetryPolicy {
  /** Attempts per call at most, the first included, however much of the deadline is left. */
  maxAttempts: number;
  /** First backoff step; it doubles per retry, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * full: a random wait in [0, step] (spreads a crowd widest). equal: half the step kept, half random, so no
   * single retry comes back at once.
   */
  jitter: 'full' | 'equal';
  /** The least wait after each kind of failure when the service gave no Retry-After (what the service needs). */
  floorMs: Partial<Record<Failure, number>>;
}

/**
 * For services asked under a deadline of a few hundred milliseconds (the article signals): one retry at most,
 * soon, except after a rate limit, when the next second is the earliest a retry can help.
 */
export const SHORT_DEADLINE_RETRY: RetryPolicy = {
  maxAttempts: 2,
  baseDelayMs: 50,
  maxDelayMs: 200,
  jitter: 'equal',
  floorMs: { rate_limited: 1000 },
};

/** How long a person, or a batch job, waits for one call: everything (queueing, attempts, waits) ends by then. */
export interface Deadlines {
  interactiveMs: number;
  batchMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { interactiveMs: 2500, batchMs: 30_000 };

export interface RetryDeps {
  /** Names the service in errors and logs. */
  source: string;
  budget: RateBudget;
  clock: Clock;
  logger: Logger;
  /** [0, 1), for the jitter; injected so tests can pin it. */
  random: () => number;
  policy: RetryPolicy;
}

/** What every step of one call shares: its priority for the budget and its single deadline. */
export interface CallContext {
  priority: Priority;
  deadline: Deadline;
}

/** Whether to retry after `error`, and the least wait: Retry-After when the service gave one, else the floor. */
export function retryHint(
  error: PaperbotError,
  policy: RetryPolicy,
): { retryable: boolean; minDelayMs: number } {
  if (!error.retryable) return { retryable: false, minDelayMs: 0 };
  if (error.retryAfterSeconds !== undefined)
    return { retryable: true, minDelayMs: error.retryAfterSeconds * 1000 };
  const failure = failureOf(error);
  return { retryable: true, minDelayMs: (failure && policy.floorMs[failure]) ?? 0 };
}

/** The wait before retry number `n` (0 for the first retry), before any floor. */
export function backoffDelay(n: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
  return policy.jitter === 'full'
    ? Math.floor(random() * step)
    : Math.round(step / 2 + (random() * step) / 2);
}

/** Runs `work` under a fresh deadline of `ms` for `source`, and always releases the deadline's timer. */
export async function withDeadline<T>(
  source: string,
  clock: Clock,
  ms: number,
  work: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(clock, ms, () =>
    sourceError(source, 'timeout', `no answer within ${ms} ms`),
  );
  try {
    return await work(deadline);
  } finally {
    deadline.dispose();
  }
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (a caller giving up on shared work leaves it
 * running for the others who joined it).
 */
export function raceSignal<T>(
  source: string,
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(stoppedWaiting(source, signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(stoppedWaiting(source, signal));
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

function stoppedWaiting(source: string, signal: AbortSignal): PaperbotError {
  const reason: unknown = signal.reason;
  if (reason instanceof PaperbotError) return reason;
  return sourceError(source, 'timeout', 'the caller stopped waiting', { retryable: false, cause: reason });
}

/**
 * Runs `attempt` until it succeeds or fails for good (see attemptLoop). A failure is logged here with the
 * details the service gave (status, an excerpt of its error body): people only ever read its code.
 */
export async function retrying<T>(
  deps: RetryDeps,
  what: string,
  call: CallContext,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await attemptLoop(deps, what, call, attempt);
  } catch (error) {
    const e = asSourceError(deps.source, error);
    deps.logger.warn(
      { source: e.source ?? deps.source, what, code: e.code, retryable: e.retryable, detail: e.message },
      `${deps.source}: ${what} failed`,
    );
    throw error;
  }
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the deadline leaves no room for another wait.
 * When the deadline ends the call (queued for a budget slot, backing off, or mid-attempt) it throws the
 * last failure an attempt met, or `timeout` when none had failed yet: a 429 explains more than "timeout".
 */
async function attemptLoop<T>(
  deps: RetryDeps,
  what: string,
  call: CallContext,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal } = call.deadline;
  let last: PaperbotError | undefined;
  for (let n = 0; ; n += 1) {
    try {
      await deps.budget.acquire({ priority: call.priority, signal });
    } catch (error) {
      throw (
        last ?? (signal.aborted ? stoppedWaiting(deps.source, signal) : asSourceError(deps.source, error))
      );
    }
    try {
      return await attempt(signal);
    } catch (error) {
      if (signal.aborted) throw last ?? stoppedWaiting(deps.source, signal);
      last = asSourceError(deps.source, error);
    }
    const hint = retryHint(last, deps.policy);
    if (!hint.retryable || n + 1 >= deps.policy.maxAttempts) throw last;
    const delay = Math.max(hint.minDelayMs, backoffDelay(n, deps.policy, deps.random));
    // A wait that would outlast the deadline cannot lead to an answer in time: give the error now.
    if (deps.clock.now() + delay >= call.deadline.at) throw last;
    deps.logger.debug({ what, attempt: n + 1, code: last.code, delayMs: delay }, `${deps.source}: retrying`);
    try {
      await deps.clock.sleep(delay, signal);
    } catch {
      throw last;
    }
  }
}
