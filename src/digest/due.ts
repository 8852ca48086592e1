// Which slot of a subscription is due at a given time, and the idempotency key of that slot's post.
// Pure: the runner claims and runs what this says is due.

import { latestSlot } from './schedule';
import type { Subscription } from './types';

const MINUTE = 60_000;

/**
 * The slot to run now, if any: the latest scheduled one not yet closed (so after downtime one run covers
 * every missed slot), never one from before the subscription existed, and not while a retry is pending.
 * `force` (`digest run --now`) makes the current minute a slot of every active subscription.
 */
export function dueSlot(sub: Subscription, nowMs: number, force = false): number | undefined {
  if (sub.paused) return undefined;
  const slot = force ? Math.floor(nowMs / MINUTE) * MINUTE : latestSlot(sub.schedule, nowMs);
  if (slot === undefined) return undefined;
  if (!force && slot <= sub.createdAt) return undefined;
  if (sub.lastSlot !== undefined && slot <= sub.lastSlot) return undefined;
  if (!force && sub.retryAt !== undefined && nowMs < sub.retryAt) return undefined;
  return slot;
}

/** Stable for one (subscription, slot): a post retried after a crash carries the same key. */
export function idempotencyKey(subscriptionId: string, slot: number): string {
  return `paperbot-digest:${subscriptionId}:${new Date(slot).toISOString()}`;
}
