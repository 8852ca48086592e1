// Telling a paused subscription's creator privately, through the deliverer of the subscription's platform.
// Best effort: a notice that cannot be sent is logged and never fails the run.

import type { DeliveryProblemKind } from '../core/deliverer';
import type { RunContext } from './run-context';
import type { Subscription } from './types';
import { pausedNotice } from './wording';

/** True when the creator was told; false (logged) when the platform has no private way or refused. */
export async function tellCreator(
  ctx: RunContext,
  sub: Subscription,
  problem: DeliveryProblemKind,
): Promise<boolean> {
  const deliverer = ctx.deps.deliverers[sub.place.platform];
  const log = { subscription: sub.id, platform: sub.place.platform };
  if (!deliverer?.notifyUser) {
    ctx.logger.warn(log, 'digest: paused, and this platform cannot tell its creator privately');
    return false;
  }
  const user = { ...(sub.place.team ? { team: sub.place.team } : {}), id: sub.createdBy.id };
  const about = { ...(sub.place.team ? { team: sub.place.team } : {}), channel: sub.place.channel };
  try {
    // No abort signal: a stop in progress should still let this one short call tell the creator.
    const result = await deliverer.notifyUser(user, pausedNotice(sub, problem), { about });
    if (result.ok) {
      ctx.logger.info(log, 'digest: told the creator about the pause');
      return true;
    }
    ctx.logger.warn(
      { ...log, problem: result.problem, detail: result.detail },
      'digest: could not tell the creator about the pause',
    );
  } catch (err) {
    ctx.logger.warn({ ...log, err }, 'digest: could not tell the creator about the pause');
  }
  return false;
}
