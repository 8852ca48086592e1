// How an earlier store's subscription fields (a SQLite row, a Redis hash) become the record the digest store
// now keeps. Both old backends stored the same values, as JSON text or numbers.

import type { SubscriptionRecord } from '../digest/store-durable';
import type { PauseInfo, SubscriptionDefinition, SubscriptionState } from '../digest/types';

export interface LegacyFields {
  definition: string;
  paused?: string | null | undefined;
  watermark?: number | null | undefined;
  lastSlot?: number | null | undefined;
  retryAt?: number | null | undefined;
  openRun?: number | null | undefined;
  lastResult?: string | null | undefined;
}

const present = (n: number | null | undefined): n is number => n !== null && n !== undefined;

export function subscriptionRecord(f: LegacyFields): SubscriptionRecord {
  const state: SubscriptionState = {
    ...(f.paused ? { paused: JSON.parse(f.paused) as PauseInfo } : {}),
    ...(present(f.watermark) ? { watermark: f.watermark } : {}),
    ...(present(f.lastSlot) ? { lastSlot: f.lastSlot } : {}),
    ...(present(f.retryAt) ? { retryAt: f.retryAt } : {}),
    ...(present(f.openRun) ? { openRun: f.openRun } : {}),
    ...(f.lastResult ? { lastResult: JSON.parse(f.lastResult) as SubscriptionState['lastResult'] } : {}),
  };
  return { definition: JSON.parse(f.definition) as SubscriptionDefinition, state };
}
