// How a service's calls run: one deadline per call by priority, identical calls in flight shared, each step
// paced by the rate budget and retried (retry.ts). What a step asks, and caching, are the service's.

import { createSingleFlight } from '../cache/singleflight';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { RateBudget } from '../core/ports';
import type { CallOptions } from '../core/sources';
import {
  DEFAULT_DEADLINES,
  raceSignal,
  retrying,
  withDeadline,
  type CallContext,
  type Deadlines,
  type RetryDeps,
  type RetryPolicy,
} from './retry';

export interface SourceCallerDeps {
  /** Names the service in errors and logs ("pubmed", "clinicaltrials"). */
  source: string;
  budget: RateBudget;
  clock: Clock;
  logger: Logger;
  policy: RetryPolicy;
  deadlines?: Partial<Deadlines>;
  /** [0, 1) for backoff jitter; Math.random by default. */
  random?: () => number;
}

/** What every outside-service service takes besides its client and cache; tests override pacing here. */
export interface SourceServiceDeps {
  budget: RateBudget;
  clock: Clock;
  logger?: Logger;
  deadlines?: Partial<Deadlines>;
  /** Adjusts the service's own retry policy (tests pin attempts and delays). */
  retry?: Partial<RetryPolicy>;
  /** [0, 1) for backoff jitter; Math.random by default. */
  random?: () => number;
}

export interface RunOptions extends CallOptions {
  /** Overrides the deadline the priority implies (a second step given what is left of the first's). */
  deadlineMs?: number;
}

export interface SourceCaller {
  /**
   * Runs `work` under one deadline (by priority, or deadlineMs). With a `key`, identical calls of the same
   * priority in flight share one run; a caller whose signal aborts stops waiting without cancelling it.
   */
  call<T>(key: string | undefined, o: RunOptions, work: (call: CallContext) => Promise<T>): Promise<T>;
  /** One request of a call: a budget slot per attempt, retries while the call's deadline leaves time. */
  step<T>(what: string, call: CallContext, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The deadline a call with these options gets. */
  deadlineMs(o: RunOptions): number;
}

/** The caller of a service built from its deps: its source name, its logger, and its policy as adjusted. */
export function sourceCallerFor(
  source: string,
  policy: RetryPolicy,
  logger: Logger,
  deps: SourceServiceDeps,
): SourceCaller {
  return createSourceCaller({ ...deps, source, logger, policy: { ...policy, ...deps.retry } });
}

export function createSourceCaller(deps: SourceCallerDeps): SourceCaller {
  const deadlines: Deadlines = { ...DEFAULT_DEADLINES, ...deps.deadlines };
  const retry: RetryDeps = {
    source: deps.source,
    budget: deps.budget,
    clock: deps.clock,
    logger: deps.logger,
    policy: deps.policy,
    random: deps.random ?? Math.random,
  };
  const flight = createSingleFlight();

  const deadlineMs = (o: RunOptions): number =>
    o.deadlineMs ?? ((o.priority ?? 'interactive') === 'batch' ? deadlines.batchMs : deadlines.interactiveMs);

  return {
    deadlineMs,
    call<T>(key: string | undefined, o: RunOptions, work: (call: CallContext) => Promise<T>): Promise<T> {
      const priority = o.priority ?? 'interactive';
      const run = (): Promise<T> =>
        withDeadline(deps.source, deps.clock, deadlineMs(o), (deadline) => work({ priority, deadline }));
      // The priority is part of the key: a batch run must not hand an interactive caller its 30 s deadline.
      return raceSignal(
        deps.source,
        key === undefined ? run() : flight.run(`${priority}|${key}`, run),
        o.signal,
      );
    },
    step: (what, call, attempt) => retrying(retry, what, call, attempt),
  };
}
