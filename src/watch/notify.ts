// One share's change, told exactly once: claim, write the notice's key (pending), post in the share's thread,
// set the RETRACTED banner, commit the new state. After a crash the next run looks for the key in the thread.

import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Deliverer, DeliveryProblemKind, DeliveryTarget } from '../core/deliverer';
import type { Logger } from '../core/logger';
import type { ItemStatus } from '../core/shares';
import { changesBetween, sameStatus } from './compare';
import type { WatchLedger } from './ledger';
import { changeLines, freshCard, pausedNotice, retractedBanner, threadNotice, type Fresh } from './messages';
import type { WatchedShare, WatchOutcome } from './types';

/** Thread replies are looked for from a little before the interrupted attempt began. */
const RECONCILE_SLACK_MS = 5 * 60_000;
/** How long an unanswerable "was it posted?" waits before posting again (a duplicate beats silence). */
const RECONCILE_GIVE_UP_MS = 6 * 3600_000;
/** These do not fix themselves: the watch pauses and the sharer is told. */
const GONE: ReadonlySet<DeliveryProblemKind> = new Set(['not_found', 'forbidden', 'archived']);
/** What a channel was told, newest last; older entries are dropped. */
const TOLD_KEPT = 20;

export interface NotifyDeps {
  ledger: WatchLedger;
  clock: Clock;
  logger: Logger;
  claimTtlMs: number;
}

/** The notice's idempotency key: the share and the state it announces (a later change has another key). */
export function noticeKey(shareId: string, status: ItemStatus): string {
  return `watch:${shareId}:${createHash('sha1').update(JSON.stringify(status)).digest('hex').slice(0, 16)}`;
}

function targetOf(share: WatchedShare, thread?: string): DeliveryTarget {
  return {
    ...(share.team ? { team: share.team } : {}),
    channel: share.channel,
    ...(thread ? { thread } : {}),
  };
}

/** Was the pending notice posted? 'unknown' posts again (at least once, logged); 'wait' tries next run. */
async function lookForPost(
  deps: NotifyDeps,
  deliverer: Deliverer,
  share: WatchedShare,
  pending: NonNullable<WatchedShare['pending']>,
): Promise<'posted' | 'absent' | 'unknown' | 'wait'> {
  const log = { share: share.id, platform: share.platform };
  if (!deliverer.recentKeys) return 'unknown';
  try {
    const keys = await deliverer.recentKeys(
      targetOf(share, share.messageId),
      pending.startedAt - RECONCILE_SLACK_MS,
    );
    if (keys === undefined) {
      deps.logger.warn(log, 'watch: interrupted notice cannot be checked in this thread; posting again');
      return 'unknown';
    }
    return keys.includes(pending.key) ? 'posted' : 'absent';
  } catch (err) {
    if (deps.clock.now() - pending.startedAt >= RECONCILE_GIVE_UP_MS) return 'unknown';
    deps.logger.warn({ ...log, err }, 'watch: could not check for an interrupted notice; retrying next run');
    return 'wait';
  }
}

async function pause(
  deps: NotifyDeps,
  deliverer: Deliverer,
  share: WatchedShare,
  problem: DeliveryProblemKind,
  changes: ReturnType<typeof changesBetween>,
): Promise<WatchOutcome> {
  const { pending: _dropped, ...rest } = share;
  await deps.ledger.replace(share, { ...rest, paused: { at: deps.clock.now(), problem } });
  const told = await deliverer
    .notifyUser?.(
      { ...(share.team ? { team: share.team } : {}), id: share.by.id },
      pausedNotice(share, problem, changes),
      { about: targetOf(share) },
    )
    .catch((err: unknown) => ({ ok: false as const, problem: 'failed' as const, detail: String(err) }));
  deps.logger.warn(
    { share: share.id, problem, sharerTold: told?.ok === true },
    'watch: channel gone; watch paused',
  );
  return { shareId: share.id, status: 'paused', problem };
}

/** Tells the share's channel about `fresh` once. The caller has checked that the state differs. */
export async function notifyChange(
  deps: NotifyDeps,
  deliverer: Deliverer,
  shareId: string,
  fresh: Fresh,
  status: ItemStatus,
): Promise<WatchOutcome> {
  if (!(await deps.ledger.claim(shareId, deps.claimTtlMs)))
    return { shareId, status: 'skipped', reason: 'claimed_elsewhere' };
  try {
    // Read again under the claim: another replica may have told the channel since the run began.
    let share = await deps.ledger.get(shareId);
    if (!share || share.paused || share.unwatched || (sameStatus(share.status, status) && !share.pending))
      return { shareId, status: 'skipped', reason: 'already_done' };
    const changes = changesBetween(share.status, status);
    const at = deps.clock.now();
    const commit = async (current: WatchedShare): Promise<boolean> => {
      const { pending: _done, ...rest } = current;
      const told = changes.length > 0 ? [...current.told, { at, changes }].slice(-TOLD_KEPT) : current.told;
      return deps.ledger.replace(current, { ...rest, status, told, checkedAt: at });
    };
    if (changes.length === 0) {
      await commit(share);
      return { shareId, status: 'updated_quietly' };
    }
    const key = noticeKey(share.id, status);
    let posted = false;
    if (share.pending?.key === key) {
      const found = await lookForPost(deps, deliverer, share, share.pending);
      if (found === 'wait') return { shareId, status: 'failed', problem: 'reconcile_failed' };
      posted = found === 'posted';
    } else {
      const next: WatchedShare = { ...share, pending: { key, startedAt: at } };
      if (!(await deps.ledger.replace(share, next)))
        return { shareId, status: 'skipped', reason: 'already_done' };
      share = next;
    }
    const card = freshCard(fresh);
    if (!posted) {
      const result = await deliverer.deliver(
        targetOf(share, share.messageId),
        threadNotice(share, changes, card),
        {
          idempotencyKey: key,
        },
      );
      if (!result.ok) {
        if (GONE.has(result.problem)) return await pause(deps, deliverer, share, result.problem, changes);
        // The key stays pending: the next run looks for this post before trying again.
        deps.logger.warn(
          { share: share.id, problem: result.problem, detail: result.detail },
          'watch: notice not posted',
        );
        return { shareId, status: 'failed', problem: result.problem };
      }
    }
    const retraction = changes.find((c) => c.kind === 'retracted');
    let banner = false;
    if (retraction && deliverer.update) {
      const line = changeLines(share, [retraction])[0];
      const result = await deliverer.update(
        targetOf(share),
        share.messageId,
        retractedBanner(share, card, line),
      );
      banner = result.ok;
      // Rate limited: kept pending, so the next run (finding the notice posted) tries the banner again.
      if (!result.ok && result.problem === 'rate_limited')
        return { shareId, status: 'failed', problem: 'banner_rate_limited' };
      if (!result.ok)
        deps.logger.warn(
          { share: share.id, problem: result.problem, detail: result.detail },
          'watch: banner not set',
        );
    }
    await commit(share);
    return posted
      ? { shareId, status: 'reconciled', changes }
      : { shareId, status: 'notified', changes, banner };
  } finally {
    await deps.ledger
      .release(shareId)
      .catch((err: unknown) =>
        deps.logger.warn({ err, share: shareId }, 'watch: claim not released; it expires'),
      );
  }
}
