// The rate budget for one named outside service, as the composition root builds it: this process's own, or
// shared by every replica through Redis with this replica's share of it as the fallback while Redis is away.

import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { createMemoryRateBudget, type BudgetMode, type ServiceBudget } from './budget';
import { createRedisRateBudget } from './budget-redis';

export interface ServiceBudgetOptions {
  /** The service ("ncbi", "ctgov"): names its Redis key, its logs and its metric label. */
  name: string;
  perSecond: number;
  clock: Clock;
  logger: Logger;
  /** Shared through Redis when given; this process's own budget otherwise. */
  redisUrl?: string;
  /** Replicas sharing the budget: while Redis is away each keeps to perSecond ÷ replicas (at least 1). */
  replicas?: number;
  marginMs?: number;
  /** Told whenever the mode changes (a metric, a log line). */
  onModeChange?: (mode: BudgetMode) => void;
}

/** The budget for one named service, as the composition root builds it. */
export async function createServiceBudget(o: ServiceBudgetOptions): Promise<ServiceBudget> {
  const margin = o.marginMs === undefined ? {} : { marginMs: o.marginMs };
  if (!o.redisUrl) {
    const local = createMemoryRateBudget({ perSecond: o.perSecond, clock: o.clock, ...margin });
    return { ...local, name: o.name, mode: () => 'local' };
  }
  const share = Math.max(1, Math.floor(o.perSecond / Math.max(1, o.replicas ?? 1)));
  const shared = await createRedisRateBudget({
    url: o.redisUrl,
    key: `paperbot:v1:budget:${o.name}`,
    perSecond: o.perSecond,
    clock: o.clock,
    logger: o.logger,
    fallback: createMemoryRateBudget({ perSecond: share, clock: o.clock, ...margin }),
    ...margin,
    ...(o.onModeChange ? { onModeChange: o.onModeChange } : {}),
  });
  return Object.assign(shared, { name: o.name });
}
