// The embedded digest store's tables and how a row becomes a Subscription. The queries and transactions
// over them are ./store-sqlite.ts's.

import type { PauseInfo, Subscription, SubscriptionDefinition, SubscriptionState } from './types';

export const SCHEMA_VERSION = 1;
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS digest_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  platform TEXT NOT NULL,
  team TEXT NOT NULL,
  channel TEXT NOT NULL,
  definition TEXT NOT NULL,
  paused TEXT,
  watermark INTEGER,
  last_slot INTEGER,
  retry_at INTEGER,
  open_run INTEGER,
  last_result TEXT
);
CREATE INDEX IF NOT EXISTS digest_subscriptions_channel ON digest_subscriptions (platform, team, channel);
CREATE TABLE IF NOT EXISTS digest_ledger (
  subscription_id INTEGER NOT NULL,
  pmid TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, pmid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digest_runs (
  subscription_id INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (subscription_id, slot)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digest_claims (
  subscription_id INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, slot)
) WITHOUT ROWID;
`;

export interface SubscriptionRow {
  id: number;
  definition: string;
  paused: string | null;
  watermark: number | null;
  last_slot: number | null;
  retry_at: number | null;
  open_run: number | null;
  last_result: string | null;
}

export interface StatePatch {
  id: number;
  slot: number;
  keepOpen: 0 | 1;
  watermark: number | null;
  lastSlot: number | null;
  retryAt: number | null;
  lastResult: string;
  pause: string | null;
}

export function toSubscription(row: SubscriptionRow): Subscription {
  const definition = JSON.parse(row.definition) as SubscriptionDefinition;
  const state: SubscriptionState = {
    ...(row.paused ? { paused: JSON.parse(row.paused) as PauseInfo } : {}),
    ...(row.watermark === null ? {} : { watermark: row.watermark }),
    ...(row.last_slot === null ? {} : { lastSlot: row.last_slot }),
    ...(row.retry_at === null ? {} : { retryAt: row.retry_at }),
    ...(row.open_run === null ? {} : { openRun: row.open_run }),
    ...(row.last_result
      ? { lastResult: JSON.parse(row.last_result) as SubscriptionState['lastResult'] }
      : {}),
  };
  return { id: String(row.id), ...definition, ...state };
}

/** Ids are positive integers; anything else names no subscription. */
export function rowId(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}
