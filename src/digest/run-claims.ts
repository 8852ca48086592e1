// The first half of a run: claim each due (subscription, slot) so one replica runs it, and settle a post
// that a crash or timeout left unrecorded, by its idempotency key among the channel's recent bot posts.

import { mapLimit } from './concurrency';
import { idempotencyKey } from './due';
import type { RunContext } from './run-context';
import type { Claim } from './store';
import type { RunRecord, Subscription } from './types';

export interface Job {
  sub: Subscription;
  slot: number;
  /** Absent in dry runs. */
  claim?: Claim;
  /** Attempts already made at this slot. */
  attempts: number;
}

/** Posts listed by recentKeys are looked for from a little before the interrupted run began. */
const RECONCILE_SLACK_MS = 5 * 60_000;
/**
 * How long an interrupted post waits for its channel to be checkable (Slack rate-limiting or failing the history
 * lookup) before it is posted again anyway: a possible duplicate beats a subscription stuck for good.
 */
export const RECONCILE_GIVE_UP_MS = 6 * 3600_000;
const CLAIM_CONCURRENCY = 16;

export async function release(ctx: RunContext, claim: Claim): Promise<void> {
  ctx.held.delete(claim);
  await ctx.deps.store
    .releaseClaim(claim)
    .catch((err: unknown) =>
      ctx.logger.warn({ err, subscription: claim.subscriptionId }, 'digest: claim not released; it expires'),
    );
}

export function key(job: Pick<Job, 'sub' | 'slot'>): string {
  return idempotencyKey(job.sub.id, job.slot);
}

type Settled = 'none' | 'found' | 'wait';

/**
 * Asks the channel whether the open run's post is there. 'unknown' (posting again, at least once) when the
 * platform cannot be asked here, or has failed to answer for longer than we can wait; 'wait' otherwise.
 */
async function lookForPost(
  ctx: RunContext,
  sub: Subscription,
  open: RunRecord,
): Promise<'posted' | 'absent' | 'unknown' | 'wait'> {
  const deliverer = ctx.deps.deliverers[sub.place.platform];
  const target = { ...(sub.place.team ? { team: sub.place.team } : {}), channel: sub.place.channel };
  const log = { subscription: sub.id, slot: open.slot, platform: sub.place.platform };
  if (!deliverer?.recentKeys) {
    ctx.logger.warn(log, 'digest: interrupted post cannot be checked on this platform; posting again');
    return 'unknown';
  }
  try {
    const keys = await deliverer.recentKeys(target, open.startedAt - RECONCILE_SLACK_MS);
    if (keys === undefined) {
      ctx.logger.warn(log, 'digest: interrupted post cannot be checked in this channel; posting again');
      return 'unknown';
    }
    return keys.includes(open.key) ? 'posted' : 'absent';
  } catch (err) {
    // Posting again could duplicate, skipping could lose: wait for the platform to answer, but not forever
    // (every later slot waits behind this one).
    if (ctx.at - open.startedAt >= RECONCILE_GIVE_UP_MS) {
      ctx.logger.warn({ ...log, err }, 'digest: interrupted post still cannot be checked; posting again');
      return 'unknown';
    }
    ctx.logger.warn({ ...log, err }, 'digest: could not check for an interrupted post; retrying later');
    return 'wait';
  }
}

/** Did the open run's post go out? If so record it now, exactly as if the run had finished. */
async function settleOpenRun(
  ctx: RunContext,
  sub: Subscription,
  slot: number,
  claim: Claim,
): Promise<Settled> {
  const { store } = ctx.deps;
  if (sub.openRun === undefined) return 'none';
  const open: RunRecord | undefined = await store.getRun(sub.id, sub.openRun);
  if (!open || (open.status !== 'posting' && !open.maybePosted)) return 'none';
  const found = await lookForPost(ctx, sub, open);
  if (found === 'wait') {
    ctx.outcomes.push({
      subscriptionId: sub.id,
      slot,
      status: 'failed',
      problem: 'reconcile_failed',
      gaveUp: false,
    });
    return 'wait';
  }
  const at = ctx.deps.clock.now();
  if (found === 'posted') {
    if (!(await store.finishRun(claim, { status: 'delivered', at, run: open }))) return 'wait';
    ctx.outcomes.push({ subscriptionId: sub.id, slot: open.slot, status: 'reconciled', count: open.count });
    ctx.logger.info(
      { subscription: sub.id, slot: open.slot },
      'digest: interrupted post found in the channel and recorded',
    );
    return 'found';
  }
  if (open.slot !== slot) {
    // Not found (or not checkable), and a later slot now covers its window: close it so it is not checked again.
    await store.finishRun(claim, {
      status: 'failed',
      at,
      run: { ...open, problem: 'superseded', maybePosted: false },
      giveUp: true,
    });
  }
  return 'none';
}

async function claimOne(ctx: RunContext, due: { sub: Subscription; slot: number }): Promise<Job | undefined> {
  const { store } = ctx.deps;
  const { slot } = due;
  const id = due.sub.id;
  const claim = await store.claim(id, slot, ctx.tuning.claimTtlMs);
  if (!claim) {
    ctx.outcomes.push({ subscriptionId: id, slot, status: 'skipped', reason: 'claimed_elsewhere' });
    return undefined;
  }
  ctx.held.add(claim);
  // Read again under the claim: another replica may have finished this slot since the list was read.
  let sub = await store.get(id);
  const done = (s: Subscription | undefined): boolean =>
    !s || s.paused !== undefined || (s.lastSlot !== undefined && s.lastSlot >= slot);
  if (done(sub) || !sub) {
    ctx.outcomes.push({ subscriptionId: id, slot, status: 'skipped', reason: 'already_done' });
    await release(ctx, claim);
    return undefined;
  }
  const settled = await settleOpenRun(ctx, sub, slot, claim);
  if (settled === 'wait') {
    await release(ctx, claim);
    return undefined;
  }
  if (settled === 'found') {
    sub = await store.get(id);
    if (done(sub) || !sub) {
      await release(ctx, claim);
      return undefined;
    }
  }
  const prior = await store.getRun(id, slot);
  return { sub, slot, claim, attempts: prior?.attempts ?? 0 };
}

export async function claimJobs(ctx: RunContext, due: { sub: Subscription; slot: number }[]): Promise<Job[]> {
  const jobs = await mapLimit(due, CLAIM_CONCURRENCY, async (d) => {
    try {
      return await claimOne(ctx, d);
    } catch (err) {
      ctx.logger.error({ err, subscription: d.sub.id }, 'digest: could not claim');
      ctx.outcomes.push({
        subscriptionId: d.sub.id,
        slot: d.slot,
        status: 'failed',
        problem: 'store_failure',
        gaveUp: false,
      });
      return undefined;
    }
  });
  return jobs.filter((j): j is Job => j !== undefined);
}
