// How one job of a run ends: failed (with back-off or given up), empty, or posted (record, post, record), a
// refusal for good pausing the subscription and telling its creator. The steps before are ./run-process.ts's.

import type { Deliverer, DeliveryProblemKind } from '../core/deliverer';
import type { DigestReply } from '../core/digest-cards';
import { deliverWithWaits } from './deliver';
import type { WindowSearch } from './lookup';
import type { RunContext } from './run-context';
import { key, type Job } from './run-claims';
import { tellCreator } from './run-notify';
import type { ChannelRef, PauseInfo, RunRecord } from './types';
import type { DigestWindow } from './window';

export interface Prepared {
  index: number;
  job: Job;
  window: DigestWindow;
  search: WindowSearch;
}

export interface Ready extends Prepared {
  pmids: string[];
  uncounted: number;
}

const FOR_GOOD: ReadonlySet<DeliveryProblemKind> = new Set(['not_found', 'forbidden', 'archived']);

export const laneOf = (p: ChannelRef): string => `${p.platform}:${p.team ?? ''}:${p.channel}`;

function baseRun(ctx: RunContext, p: Prepared, status: RunRecord['status']): RunRecord {
  return {
    subscriptionId: p.job.sub.id,
    slot: p.job.slot,
    status,
    key: key(p.job),
    startedAt: ctx.deps.clock.now(),
    window: { from: p.window.from, to: p.window.to },
    windowEnd: p.window.endMs,
    pmids: [],
    count: 0,
    attempts: p.job.attempts + 1,
  };
}

export async function fail(
  ctx: RunContext,
  p: Prepared,
  problem: string,
  o: { run?: RunRecord; maybePosted?: boolean; retryAfterMs?: number } = {},
) {
  const { job } = p;
  const at = ctx.deps.clock.now();
  const run: RunRecord = {
    ...(o.run ?? baseRun(ctx, p, 'failed')),
    problem,
    ...(o.maybePosted ? { maybePosted: true } : {}),
  };
  const giveUp = run.attempts >= ctx.tuning.maxAttempts;
  const backoff = Math.min(
    ctx.tuning.maxRetryDelayMs,
    ctx.tuning.retryDelayMs * 2 ** Math.max(0, run.attempts - 1),
  );
  const retryAt = at + Math.max(backoff, o.retryAfterMs ?? 0);
  if (job.claim) await ctx.deps.store.finishRun(job.claim, { status: 'failed', at, run, retryAt, giveUp });
  ctx.outcomes.push({
    subscriptionId: job.sub.id,
    slot: job.slot,
    status: 'failed',
    problem,
    gaveUp: giveUp,
    ...(giveUp ? {} : { retryAt }),
  });
  ctx.logger.warn(
    { subscription: job.sub.id, problem, attempts: run.attempts, giveUp },
    'digest: not delivered',
  );
}

export async function finishEmpty(ctx: RunContext, p: Prepared): Promise<void> {
  const { job } = p;
  if (ctx.dryRun || !job.claim) {
    ctx.outcomes.push({ subscriptionId: job.sub.id, slot: job.slot, status: 'dry_run', count: 0 });
    return;
  }
  await ctx.deps.store.finishRun(job.claim, {
    status: 'empty',
    at: ctx.deps.clock.now(),
    run: baseRun(ctx, p, 'empty'),
  });
  ctx.outcomes.push({ subscriptionId: job.sub.id, slot: job.slot, status: 'empty' });
}

export async function post(
  ctx: RunContext,
  r: Ready,
  message: DigestReply,
  deliverer: Deliverer,
): Promise<void> {
  const { store, clock } = ctx.deps;
  const { job } = r;
  const { sub, slot } = job;
  const claim = job.claim;
  if (!claim) return;
  const hold = (ms: number): Promise<boolean> =>
    store.extendClaim(claim, ms + ctx.tuning.claimTtlMs).catch(() => false);
  const run: RunRecord = {
    ...baseRun(ctx, r, 'posting'),
    pmids: r.pmids,
    count: r.pmids.length + r.uncounted,
  };
  if (!(await hold(0)) || !(await store.beginRun(claim, run))) {
    ctx.outcomes.push({ subscriptionId: sub.id, slot, status: 'skipped', reason: 'claim_lost' });
    return;
  }
  const target = { ...(sub.place.team ? { team: sub.place.team } : {}), channel: sub.place.channel };
  const result = await deliverWithWaits(deliverer, target, message, run.key, {
    clock,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    policy: { maxWaitMs: ctx.tuning.maxRateLimitWaitMs, maxWaits: ctx.tuning.maxRateLimitWaits },
    holdFor: hold,
  });
  const at = clock.now();
  if (result.ok) {
    const done = { ...run, ...(result.messageId ? { messageId: result.messageId } : {}) };
    // If this write fails the run stays `posting`, and the next run finds the post by its key.
    const recorded = await store
      .finishRun(claim, { status: 'delivered', at, run: done })
      .catch((err: unknown) => {
        ctx.logger.error({ err, subscription: sub.id }, 'digest: posted, but the store failed to record it');
        return false;
      });
    if (!recorded)
      ctx.logger.warn(
        { subscription: sub.id, slot },
        'digest: post not recorded yet; the next run reconciles it',
      );
    ctx.outcomes.push({
      subscriptionId: sub.id,
      slot,
      status: 'delivered',
      count: run.count,
      ...(result.messageId ? { messageId: result.messageId } : {}),
    });
    return;
  }
  if (result.problem === 'claim_lost') {
    ctx.outcomes.push({ subscriptionId: sub.id, slot, status: 'skipped', reason: 'claim_lost' });
    return;
  }
  if (FOR_GOOD.has(result.problem)) {
    const pause: PauseInfo = {
      at,
      by: 'delivery',
      problem: result.problem,
      ...(result.detail ? { detail: result.detail } : {}),
    };
    if (
      !(await store.finishRun(claim, {
        status: 'paused',
        at,
        run: { ...run, problem: result.problem },
        pause,
      }))
    ) {
      ctx.outcomes.push({ subscriptionId: sub.id, slot, status: 'skipped', reason: 'claim_lost' });
      return;
    }
    ctx.logger.warn(
      { subscription: sub.id, problem: result.problem },
      'digest: channel refused; subscription paused',
    );
    const creatorTold = await tellCreator(ctx, { ...sub, paused: pause }, result.problem);
    ctx.outcomes.push({
      subscriptionId: sub.id,
      slot,
      status: 'paused',
      problem: result.problem,
      ...(result.detail ? { detail: result.detail } : {}),
      creatorTold,
    });
    return;
  }
  const retryAfterMs = result.retryAfterSeconds === undefined ? undefined : result.retryAfterSeconds * 1000;
  await fail(ctx, r, result.problem === 'rate_limited' ? 'rate_limited' : 'delivery_failed', {
    run,
    // A rate-limit refusal posted nothing; any other failure may have (a timeout after the platform accepted).
    maybePosted: result.problem !== 'rate_limited',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
