// The digest domain model: subscriptions, their schedules and queries, and the record of each scheduled run.
// Stored by ./store-*.ts, decided on by ./run.ts; nothing here does I/O.

import type { DeliveryProblemKind } from '../core/deliverer';
import type { Platform } from '../core/reply';
import type { PubTypeFilter } from '../core/query';

export type Cadence = 'daily' | 'weekdays' | 'weekly';

export interface Schedule {
  cadence: Cadence;
  /** Local wall-clock time, "HH:MM" (24 h). */
  time: string;
  /** Canonical IANA zone ("Europe/Berlin", "UTC"). */
  timeZone: string;
  /** weekly only: 0 = Sunday … 6 = Saturday. */
  weekday?: number;
}

export interface DigestQuery {
  /** As the user typed it, filters included: what every message shows. */
  text: string;
  terms: string;
  types: PubTypeFilter[];
  since?: number;
  until?: number;
  /** The Entrez term sent to PubMed (toEntrezTerm of the above). */
  term: string;
}

export interface ChannelRef {
  platform: Platform;
  team?: string;
  channel: string;
}

export interface PauseInfo {
  at: number;
  /** 'user' for `digest pause`; 'delivery' when the platform refused for good (channel gone, bot removed). */
  by: 'user' | 'delivery';
  userId?: string;
  userName?: string;
  problem?: DeliveryProblemKind;
  detail?: string;
}

export type RunStatus = 'posting' | 'delivered' | 'empty' | 'failed' | 'paused';

export interface LastResult {
  at: number;
  slot: number;
  status: Exclude<RunStatus, 'posting'>;
  /** New papers delivered (delivered), or the problem (failed, paused). */
  count?: number;
  problem?: string;
}

/** What the user asked for; fixed once created. */
export interface SubscriptionDefinition {
  place: ChannelRef;
  createdBy: { id: string; name?: string };
  createdAt: number;
  query: DigestQuery;
  schedule: Schedule;
  /** Post a short "nothing new" line instead of staying silent. */
  notifyEmpty: boolean;
}

/** What runs change. */
export interface SubscriptionState {
  paused?: PauseInfo;
  /** End (epoch ms) of the last window delivered or found empty; the next window starts here. */
  watermark?: number;
  /** The last slot that reached a final outcome; slots up to it are never run again. */
  lastSlot?: number;
  /** While a slot's run is failing: not before this time. */
  retryAt?: number;
  /**
   * The slot of a run that began posting and whose post may exist unrecorded (a crash, a timeout). The next
   * run of this subscription looks for its idempotency key in the channel before posting anything.
   */
  openRun?: number;
  lastResult?: LastResult;
}

export interface Subscription extends SubscriptionDefinition, SubscriptionState {
  id: string;
}

/** One (subscription, slot): written before posting and completed after, so a crash in between is visible. */
export interface RunRecord {
  subscriptionId: string;
  slot: number;
  status: RunStatus;
  /** The Deliverer idempotency key of this slot's post. */
  key: string;
  startedAt: number;
  /** Entrez dates queried, inclusive. */
  window: { from: string; to: string };
  /** The window's end (epoch ms): the watermark once delivered. */
  windowEnd: number;
  /** Every new PMID the post covers (shown or counted in "N more"): the ledger once delivered. */
  pmids: string[];
  count: number;
  attempts: number;
  messageId?: string;
  problem?: string;
  /** The last attempt failed in a way that may still have posted (a timeout): reconcile before posting again. */
  maybePosted?: boolean;
  finishedAt?: number;
}

/** How a claimed run ends; the store applies each atomically with its effects on the subscription and ledger. */
export type RunOutcome =
  | { status: 'delivered'; at: number; run: RunRecord }
  | { status: 'empty'; at: number; run: RunRecord }
  /** Not delivered this time; retried at `retryAt`, or given up (`giveUp`) so the next slot covers the window. */
  | { status: 'failed'; at: number; run: RunRecord; retryAt?: number; giveUp: boolean }
  /** The platform refused for good: the subscription is paused and the slot closed. */
  | { status: 'paused'; at: number; run: RunRecord; pause: PauseInfo };
