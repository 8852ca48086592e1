// What the digests keep durably (subscriptions, per-slot claims and run records, the sent-PMID ledger), as
// the runner and the handler see it. Kept in the shared DurableStore by ./store-durable.ts.

import type {
  ChannelRef,
  PauseInfo,
  RunOutcome,
  RunRecord,
  Subscription,
  SubscriptionDefinition,
} from './types';

/** One replica's hold on one (subscription, slot). `token` proves it is still ours. */
export interface Claim {
  subscriptionId: string;
  slot: number;
  token: string;
}

export interface DigestStore {
  readonly kind: 'sqlite' | 'redis';
  /** Stores a new subscription under a fresh id (ids are never reused). */
  create(definition: SubscriptionDefinition): Promise<Subscription>;
  get(id: string): Promise<Subscription | undefined>;
  listForChannel(place: ChannelRef): Promise<Subscription[]>;
  /** Every subscription, paused ones included, by id. */
  listAll(): Promise<Subscription[]>;
  /** Removes the subscription and its ledger; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Pauses, with why; undefined when there is no such subscription. */
  pause(id: string, pause: PauseInfo): Promise<Subscription | undefined>;
  /**
   * Resumes, clearing a pending retry. Slots up to `skipThrough` that passed while paused are not run late:
   * the next scheduled one covers their window.
   */
  resume(id: string, skipThrough: number | undefined): Promise<Subscription | undefined>;

  /** Takes (subscription, slot) for `ttlMs` unless another holder's claim is still live. */
  claim(subscriptionId: string, slot: number, ttlMs: number): Promise<Claim | undefined>;
  /** Extends our claim; false when it expired and someone else may hold it. */
  extendClaim(claim: Claim, ttlMs: number): Promise<boolean>;
  releaseClaim(claim: Claim): Promise<void>;

  getRun(subscriptionId: string, slot: number): Promise<RunRecord | undefined>;
  /**
   * Records `run` as `posting` (and as the subscription's open run) before posting; false, with nothing
   * written, when the claim is no longer ours or the subscription is gone.
   */
  beginRun(claim: Claim, run: RunRecord): Promise<boolean>;
  /**
   * Applies an outcome to its run record (`outcome.run.slot`, which may be an earlier open run being
   * reconciled), the subscription and the ledger in one step; false when the claim is lost.
   */
  finishRun(claim: Claim, outcome: RunOutcome): Promise<boolean>;
  /** Which of `pmids` this subscription has already been sent. */
  sentAmong(subscriptionId: string, pmids: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}
