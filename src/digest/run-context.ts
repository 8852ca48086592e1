// What one digest run is told and what its steps share: tuning, dependencies, options, outcomes.
// The steps themselves are run.ts (the order), run-claims, run-process, run-post and run-notify.

import type { Clock } from '../core/clock';
import type { Deliverer, DeliveryProblemKind } from '../core/deliverer';
import type { DigestReply } from '../core/digest-cards';
import type { Logger } from '../core/logger';
import type { Platform } from '../core/reply';
import type { DigestPubmed } from './lookup';
import type { Claim, DigestStore } from './store';

export interface RunTuning {
  /** How long a claim holds without being extended; it is extended before each post and during long waits. */
  claimTtlMs: number;
  searchConcurrency: number;
  deliveryConcurrency: number;
  /** Least time between two posts to one channel (Slack: about one message per second per channel). */
  channelGapMs: number;
  /** Retry-After values up to this are waited out in the run; longer ones reschedule the slot. */
  maxRateLimitWaitMs: number;
  maxRateLimitWaits: number;
  /** Attempts per slot (across ticks) before the slot is given up and the next one covers its window. */
  maxAttempts: number;
  /** First retry delay after a failed attempt; doubles per attempt up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export const DEFAULT_TUNING: RunTuning = {
  claimTtlMs: 10 * 60_000,
  // Two in flight already fill NCBI's 10/s at 200 ms a call; more only bunch requests at the budget's window
  // edge (bench/digest.ts: peak 12–13/s and 429 retries with 4 in flight, 10/s and none with 2).
  searchConcurrency: 2,
  deliveryConcurrency: 8,
  channelGapMs: 1000,
  maxRateLimitWaitMs: 5 * 60_000,
  maxRateLimitWaits: 5,
  maxAttempts: 8,
  retryDelayMs: 2 * 60_000,
  maxRetryDelayMs: 60 * 60_000,
};

export interface DigestRunnerDeps {
  store: DigestStore;
  pubmed: DigestPubmed;
  /**
   * One per platform that has subscriptions; a subscription whose platform has none waits. A paused
   * subscription's creator is told privately through its platform's deliverer (notifyUser).
   */
  deliverers: Partial<Record<Platform, Deliverer>>;
  clock: Clock;
  logger?: Logger;
  tuning?: Partial<RunTuning>;
}

export type DigestOutcome = { subscriptionId: string; slot: number } & (
  | { status: 'delivered'; count: number; messageId?: string }
  /** A post found in the channel by its idempotency key after a crash, now recorded (not posted again). */
  | { status: 'reconciled'; count: number }
  | { status: 'empty' }
  | { status: 'failed'; problem: string; retryAt?: number; gaveUp: boolean }
  /** The channel refused for good; `creatorTold`: the subscription's creator got a private notice. */
  | { status: 'paused'; problem: DeliveryProblemKind; detail?: string; creatorTold: boolean }
  | {
      status: 'skipped';
      reason: 'claimed_elsewhere' | 'already_done' | 'no_deliverer' | 'claim_lost' | 'stopped';
    }
  /** --dry-run: what would be posted (no message when nothing is new and no "nothing new" line is wanted). */
  | { status: 'dry_run'; count: number; message?: DigestReply }
);

export interface DigestRunReport {
  at: number;
  /** (subscription, slot) pairs that were due at `at`. */
  due: number;
  outcomes: DigestOutcome[];
  /** Distinct PubMed window searches made for this run. */
  searches: number;
}

export interface RunOptions {
  /** Run every active subscription now, not only the due ones (`paperbot digest run --now`). */
  now?: boolean;
  /** Look up and compose, but claim, record and post nothing (`--dry-run`). */
  dryRun?: boolean;
  /** Shutting down: start no new posts and cut rate-limit waits short (those slots are retried later). */
  signal?: AbortSignal;
}

/** What the steps of one run share. */
export interface RunContext {
  deps: DigestRunnerDeps;
  tuning: RunTuning;
  logger: Logger;
  at: number;
  dryRun: boolean;
  signal?: AbortSignal;
  outcomes: DigestOutcome[];
  held: Set<Claim>;
  searches: number;
}
