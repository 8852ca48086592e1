// The first half of a run: claim each due (subscription, slot) so one replica runs it, and settle a post
// that a crash or timeout left unrecorded, by its idempotency key among the channel's recent bot posts.

import { mapLimit } from './concurrency';
import { idempotencyKey } from './due';
import type { RunContext } from './run';
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

/** Did the open run's post go out? If so record it now, exactly as if the run had finished. */
async function settleOpenRun(
  ctx: RunContext,
  sub: Subscription,
  slot: number,
  claim: Claim,
): Promise<Settled> {
  const { store, deliverers } = ctx.deps;
  if (sub.openRun === undefined) return 'none';
  const open: RunRecord | undefined = await store.getRun(sub.id, sub.openRun);
  if (!open || (open.status !== 'posting' && !open.maybePosted)) return 'none';
  const deliverer = deliverers[sub.place.platform];
  const target = { ...(sub.place.team ? { team: sub.place.team } : {}), channel: sub.place.channel };
  let posted = false;
  if (deliverer?.recentKeys) {
    try {
      posted = (await deliverer.recentKeys(target, open.startedAt - RECONCILE_SLACK_MS)).includes(open.key);
    } catch (err) {
      // Posting again could duplicate, skipping could lose: wait for the platform to answer.
      ctx.logger.warn(
        { err, subscription: sub.id },
        'digest: could not check for an interrupted post; retrying later',
      );
      ctx.outcomes.push({
        subscriptionId: sub.id,
        slot,
        status: 'failed',
        problem: 'reconcile_failed',
        gaveUp: false,
      });
      return 'wait';
    }
  } else {
    ctx.logger.warn(
      { subscription: sub.id, platform: sub.place.platform },
      'digest: interrupted post cannot be checked on this platform; posting again',
    );
  }
  const at = ctx.deps.clock.now();
  if (posted) {
    if (!(await store.finishRun(claim, { status: 'delivered', at, run: open }))) return 'wait';
    ctx.outcomes.push({ subscriptionId: sub.id, slot: open.slot, status: 'reconciled', count: open.count });
    ctx.logger.info(
      { subscription: sub.id, slot: open.slot },
      'digest: interrupted post found in the channel and recorded',
    );
    return 'found';
  }
  if (open.slot !== slot) {
    // Never posted, and a later slot now covers its window: close it so it is not checked again.
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
