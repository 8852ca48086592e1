// The in-process rate budget of request starts, and what every budget shares (window, margins, modes).
// Sharing through Redis is budget-redis.ts's, choosing per service is service-budget.ts's; retries are retry.ts's.

import { SLEEP_NOT_NEEDED, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import type { RateBudget } from '../core/ports';
import { WaitQueue } from './wait-queue';

export const WINDOW_MS = 1000;
/**
 * Each start holds its place in the window this much longer than a second: the request leaves a little after
 * acquire() resolves, by varying amounts, and the source counts arrivals, not our grants.
 */
export const DEFAULT_MARGIN_MS = 10;
/**
 * The margin for budgets whose counter is the remote side (NCBI counts a request when it arrives, we count
 * when we grant it): a new TLS connection or a busy event loop can put a few hundred ms between the two.
 */
export const ARRIVAL_MARGIN_MS = 200;

/**
 * local: this process's own budget (no Redis configured). shared: one budget for all replicas through Redis.
 * local share: Redis is unreachable, so this replica keeps to its share (budget ÷ replicas) until it is back.
 */
export type BudgetMode = 'local' | 'shared' | 'local share';

/** A RateBudget that says which of those it is serving from right now (for /readyz and metrics). */
export interface ServiceBudget extends RateBudget {
  readonly name: string;
  mode(): BudgetMode;
}

export function closedError(): PaperbotError {
  return new PaperbotError('internal', 'rate budget closed', { retryable: false });
}

export function checkPerSecond(perSecond: number): void {
  if (!Number.isInteger(perSecond) || perSecond < 1) {
    throw new PaperbotError('bad_input', `perSecond must be a whole number ≥ 1, got ${perSecond}`);
  }
}

/**
 * In-process budget: a log of start times; a caller may start when fewer than perSecond starts lie in the
 * last second (plus margin). One timer at a time wakes the queue when the oldest start leaves the window.
 */
export function createMemoryRateBudget(o: {
  perSecond: number;
  clock: Clock;
  marginMs?: number;
}): RateBudget {
  checkPerSecond(o.perSecond);
  const { perSecond, clock } = o;
  const windowMs = WINDOW_MS + (o.marginMs ?? DEFAULT_MARGIN_MS);
  const starts: number[] = [];
  let timer: AbortController | undefined;
  let closed = false;

  const pump = (): void => {
    if (closed) return;
    const now = clock.now();
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
    for (let head = queue.peek(); head && starts.length < perSecond; head = queue.peek()) {
      queue.remove(head);
      starts.push(now);
      head.resolve();
    }
    if (queue.size === 0 || timer) return;
    // At least 1 ms: timers may fire a hair early against the clock, and must not spin.
    const wait = Math.max(1, starts[0]! + windowMs - now);
    const wake = new AbortController();
    timer = wake;
    clock.sleep(wait, wake.signal).then(
      () => {
        timer = undefined;
        pump();
      },
      () => undefined,
    );
  };
  const queue = new WaitQueue(pump);

  return {
    perSecond,
    acquire: (options) => (closed ? Promise.reject(closedError()) : queue.add(options)),
    close: async () => {
      closed = true;
      timer?.abort(SLEEP_NOT_NEEDED);
      timer = undefined;
      queue.rejectAll(closedError());
    },
  };
}
