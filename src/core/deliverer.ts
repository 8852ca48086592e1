// The Deliverer port: how the core posts a message into a channel on its own initiative (digests).
// Adapters implement it per platform (Slack chat.postMessage, Teams proactive sends); rendering is theirs.

import type { DigestCard } from './digest-cards';
import type { Platform, Reply } from './reply';

/** Where to post: the workspace/tenant (Slack team id; absent where the platform needs none) and the channel. */
export interface DeliveryTarget {
  team?: string;
  channel: string;
}

/**
 * Why a post failed, as the core acts on it:
 * - `not_found`: the channel is gone, or the bot can no longer see it (removed, uninstalled);
 * - `forbidden`: the bot may not post there (not a member, posting restricted, token refused);
 * - `archived`: the channel is archived;
 * - `rate_limited`: try again after `retryAfterSeconds` (the platform's Retry-After, when it said);
 * - `failed`: anything else (network, 5xx, a rejected message): worth retrying later.
 * The first three pause the subscription; they do not fix themselves.
 */
export type DeliveryProblemKind = 'not_found' | 'forbidden' | 'archived' | 'rate_limited' | 'failed';

export type DeliveryResult =
  | { ok: true; messageId?: string }
  | { ok: false; problem: DeliveryProblemKind; retryAfterSeconds?: number; detail?: string };

/**
 * What is posted: a Reply, rendered as usual. A digest additionally carries its DigestCard (header, window,
 * "N more → PubMed"); `cards` then holds the same compact article cards, and `notice` a plain-text headline,
 * so an adapter that does not know digests still posts something complete.
 */
export type DeliveryMessage = Reply & { digest?: DigestCard };

export interface DeliverOptions {
  /**
   * Stable for one scheduled post: a retry after a crash reuses it. The adapter stores it with the message
   * (Slack: message metadata) so that recentKeys can find it.
   */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface Deliverer {
  readonly platform: Platform;
  /**
   * Posts once, and settles in bounded time (the adapter bounds its own HTTP calls). Never throws for a
   * platform refusal: that is a DeliveryResult.
   */
  deliver(target: DeliveryTarget, message: DeliveryMessage, options: DeliverOptions): Promise<DeliveryResult>;
  /**
   * Idempotency keys of the bot's own posts in `target` since `sinceMs` (epoch ms), for crash reconciliation:
   * a post recorded as started but never as finished is re-sent only when its key is not among these.
   * Throws when the platform cannot answer (the caller then waits rather than risk a duplicate).
   * Optional: without it a crashed post is sent again (at least once rather than lost).
   */
  recentKeys?(target: DeliveryTarget, sinceMs: number): Promise<string[]>;
}
