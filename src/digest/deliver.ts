// One digest post through a Deliverer: honours rate limiting by waiting (Retry-After), keeps the slot's claim
// alive across the wait, and turns a throwing adapter into a result. What a result means is ./run.ts's.

import type { Clock } from '../core/clock';
import type { DeliveryMessage, DeliveryResult, Deliverer, DeliveryTarget } from '../core/deliverer';

export interface DeliverPolicy {
  /** Longest single wait we accept; longer Retry-After values end the attempt (retried at a later tick). */
  maxWaitMs: number;
  /** Rate-limited answers waited out per post before giving up for this tick. */
  maxWaits: number;
}

export type DeliverOutcome = DeliveryResult | { ok: false; problem: 'claim_lost' };

/** When the platform did not say how long: Slack's chat.postMessage allows about one post per second per channel. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export async function deliverWithWaits(
  deliverer: Deliverer,
  target: DeliveryTarget,
  message: DeliveryMessage,
  idempotencyKey: string,
  deps: {
    clock: Clock;
    policy: DeliverPolicy;
    /** Aborting ends a wait early with the rate-limited result (nothing was posted). */
    signal?: AbortSignal;
    /** Extends the slot's claim to cover a wait of `ms`; false when it is lost (then we must not post). */
    holdFor(ms: number): Promise<boolean>;
  },
): Promise<DeliverOutcome> {
  for (let waits = 0; ; waits += 1) {
    let result: DeliveryResult;
    try {
      result = await deliverer.deliver(target, message, { idempotencyKey });
    } catch (error) {
      result = {
        ok: false,
        problem: 'failed',
        detail: error instanceof Error ? error.message : String(error),
      };
    }
    if (result.ok || result.problem !== 'rate_limited') return result;
    const waitMs =
      result.retryAfterSeconds !== undefined &&
      Number.isFinite(result.retryAfterSeconds) &&
      result.retryAfterSeconds > 0
        ? Math.ceil(result.retryAfterSeconds * 1000)
        : DEFAULT_RETRY_AFTER_MS;
    if (waits >= deps.policy.maxWaits || waitMs > deps.policy.maxWaitMs) return result;
    if (deps.signal?.aborted) return result;
    if (!(await deps.holdFor(waitMs))) return { ok: false, problem: 'claim_lost' };
    try {
      await deps.clock.sleep(waitMs, deps.signal);
    } catch {
      return result;
    }
  }
}
