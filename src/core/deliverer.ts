// The Deliverer port: how the core posts into a channel, or privately to one person, on its own initiative
// (digests, pause notices). Adapters implement it per platform (Slack Web API, Teams proactive sends).

import type { DigestCard } from './digest-cards';
import type { Platform, Reply } from './reply';

/** Where to post: the workspace/tenant (Slack team id; absent where the platform needs none) and the channel. */
export interface DeliveryTarget {
  team?: string;
  channel: string;
  /**
   * A post of the bot's to answer in its thread (Slack ts, Teams activity id): watch notices go under the
   * share they are about. recentKeys with a thread lists the keys of the bot's replies in that thread.
   */
  thread?: string;
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

/** Who a private notice goes to: the person's platform user id, in a workspace/tenant where the platform needs one. */
export interface NoticeRecipient {
  team?: string;
  id: string;
}

export interface NotifyOptions {
  /** The channel the notice is about: an adapter that can link to a channel adds the link (Slack). */
  about?: DeliveryTarget;
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
   * - Resolves `undefined` when the platform cannot be asked here for a reason that will not fix itself (the
   *   permission to read the channel was never granted, the bot cannot see the channel, too many messages to
   *   look through): waiting would lose the digest, so the caller posts again (at least once, logged).
   * - Throws when the platform cannot answer just now (rate limit, 5xx, network): the caller waits and asks
   *   again rather than risk a duplicate (for some hours at most: a stuck check would stop the subscription).
   * Optional: without it a crashed post is sent again, as for `undefined`.
   */
  recentKeys?(target: DeliveryTarget, sinceMs: number): Promise<string[] | undefined>;
  /**
   * Tells one person something privately, outside any channel (Slack: the app's Messages tab; Teams: the
   * person's chat with the bot, when they have one). One attempt; never throws for a platform refusal, and
   * `not_found` means there is no private way to reach them. Optional: without it nobody is told.
   */
  notifyUser?(user: NoticeRecipient, message: Reply, options?: NotifyOptions): Promise<DeliveryResult>;
  /**
   * Rewrites one of the bot's own posts in `target` (Slack chat.update, Teams updateActivity), e.g. to put a
   * RETRACTED banner on a shared card. Idempotent: the same message twice leaves the same post. Optional.
   */
  update?(target: DeliveryTarget, messageId: string, message: DeliveryMessage): Promise<DeliveryResult>;
}
