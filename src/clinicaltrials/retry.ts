// The retry loop around single ClinicalTrials.gov attempts: pacing through the shared RateBudget,
// exponential backoff with jitter, Retry-After, and one overall deadline. What an attempt does is the caller's.

import { SLEEP_NOT_NEEDED, type Clock } from '../core/clock';
import { isPaperbotError, PaperbotError, toPaperbotError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Priority, RateBudget } from '../core/ports';
import { ctgovError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** First backoff; doubles per retry, jittered, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

export interface RetryDeps {
  budget: RateBudget;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** [0, 1); injectable so tests can pin the jitter. */
  random: () => number;
}

export interface RunOptions {
  /** For logs: "getStudy", "searchStudies". Never the query text. */
  op: string;
  priority: Priority;
  /** Everything (queueing for the budget, attempts, waits) ends by then. */
  deadlineMs: number;
}

/**
 * "Equal jitter": half the exponential step is kept, half is random, so a crowd of retries spreads out
 * without any single one coming back immediately. A Retry-After from the server is a floor.
 */
export function backoffDelay(
  retryNumber: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterSeconds?: number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jittered = Math.round(step / 2 + (random() * step) / 2);
  return retryAfterSeconds === undefined ? jittered : Math.max(retryAfterSeconds * 1000, jittered);
}

export async function runWithRetries<T>(
  deps: RetryDeps,
  options: RunOptions,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { clock, logger } = deps;
  const deadlineAt = clock.now() + options.deadlineMs;
  const deadline = new AbortController();
  const stopTimer = new AbortController();
  const timeout = ctgovError('timeout', `ClinicalTrials.gov did not answer within ${options.deadlineMs} ms`);
  clock.sleep(options.deadlineMs, stopTimer.signal).then(
    () => deadline.abort(timeout),
    () => undefined,
  );

  let lastError: PaperbotError | undefined;
  // When the deadline cuts a wait short, the last thing the source said (429, 503…) explains more than "timeout".
  const outOfTime = (): PaperbotError => lastError ?? timeout;

  try {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      try {
        await deps.budget.acquire({ priority: options.priority, signal: deadline.signal });
        return await attempt(deadline.signal);
      } catch (err) {
        if (deadline.signal.aborted) throw outOfTime();
        const error = isPaperbotError(err) ? err : toPaperbotError(err);
        if (!error.retryable || attemptNumber >= deps.retry.maxAttempts) throw error;
        lastError = error;
        const delay = backoffDelay(attemptNumber, deps.retry, deps.random, error.retryAfterSeconds);
        if (clock.now() + delay >= deadlineAt) {
          logger.debug(
            { op: options.op, code: error.code, delayMs: delay },
            'clinicaltrials: no time left to retry',
          );
          throw error;
        }
        logger.debug(
          { op: options.op, attempt: attemptNumber, code: error.code, delayMs: delay },
          'clinicaltrials: retrying',
        );
        try {
          await clock.sleep(delay, deadline.signal);
        } catch {
          throw outOfTime();
        }
      }
    }
  } finally {
    stopTimer.abort(SLEEP_NOT_NEEDED);
  }
}
