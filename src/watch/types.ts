// The watch vocabulary: a watched share (a ShareRecord with what was told since), the changes the watcher
// finds, and what one run reports. Stored as JSON in the durable store; bump STORE_KEY_VERSION to reshape.

import type { DeliveryProblemKind } from '../core/deliverer';
import type { ItemStatus, NoticeMark, ShareRecord } from '../core/shares';
import type { TrialStatus } from '../core/trial';

/** One change worth telling a channel, newest state against the last one told. */
export type Change =
  | { kind: 'retracted'; notice?: NoticeMark }
  /** An erratum, expression of concern or update notice now linked to the record. */
  | { kind: 'notice'; notice: NoticeMark }
  | { kind: 'status'; from?: TrialStatus; to?: TrialStatus; whyStopped?: string }
  | { kind: 'results-posted' }
  | { kind: 'result-publication'; pmid: string };

export interface WatchedShare extends ShareRecord {
  /** Stable per post (platform, workspace, channel, message). */
  id: string;
  /** What the channel was last told (the card at share time, then each notice); `status` is that state. */
  told: { at: number; changes: Change[] }[];
  /** Last time the watcher looked at the source for this share. */
  checkedAt?: number;
  /** The channel cannot be posted to (gone, archived, bot removed): no more checks until shared again. */
  paused?: { at: number; problem: DeliveryProblemKind };
  /** Someone ran `unwatch` for this item in this channel. */
  unwatched?: { at: number; by: string };
  /**
   * Written before a notice is posted and cleared when the new state is committed: a run that finds it
   * (after a crash) looks for `key` among the thread's replies instead of posting blind.
   */
  pending?: { key: string; startedAt: number };
}

export type WatchOutcome =
  | { shareId: string; status: 'notified'; changes: Change[]; banner: boolean }
  | { shareId: string; status: 'reconciled'; changes: Change[] }
  | { shareId: string; status: 'dry_run'; changes: Change[] }
  | { shareId: string; status: 'updated_quietly' }
  | { shareId: string; status: 'paused'; problem: DeliveryProblemKind }
  | { shareId: string; status: 'skipped'; reason: 'claimed_elsewhere' | 'already_done' | 'no_deliverer' }
  | { shareId: string; status: 'failed'; problem: string };

export interface WatchRunReport {
  at: number;
  /** Shares inside the retention window that are watched (not paused or unwatched). */
  watched: number;
  /** Shares looked up this run (due, or all with --now). */
  checked: number;
  /** Items the sources could not answer for this run (tried again next run). */
  unavailable: number;
  outcomes: WatchOutcome[];
  /** Why nothing was looked at: another replica is running, or a run finished within the hour (no --now). */
  skipped?: 'running_elsewhere' | 'ran_recently';
}

export type { ItemStatus };
