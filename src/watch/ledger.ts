// Shares on the durable store: one record per post, an ordered index by share time for the watcher (its
// retention window is a score range) and one per channel for `watch` and `list`. Implements ShareLedger.

import { createHash } from 'node:crypto';
import type { Platform } from '../core/reply';
import type { ShareLedger, ShareRecord } from '../core/shares';
import { storeKey, type DurableStore } from '../core/store';
import type { WatchedShare } from './types';

const NAMESPACE = 'watch';
/** Records read or written per store round trip. */
const PAGE = 500;

export interface Place {
  platform: Platform;
  team?: string;
  channel: string;
}

const shareKey = (id: string): string => storeKey(NAMESPACE, 'share', id);
const DUE_KEY = storeKey(NAMESPACE, 'due');
/** By platform and channel only: channel ids are unique on each platform, and the CLI knows no workspace. */
const channelKey = (p: Pick<Place, 'platform' | 'channel'>): string =>
  storeKey(NAMESPACE, 'channel', p.platform, p.channel);
const claimKey = (id: string): string => storeKey(NAMESPACE, 'claim', id);

/** One id per post: the same message recorded twice (a retried handler) stays one share. */
export function shareIdOf(r: Pick<ShareRecord, 'platform' | 'team' | 'channel' | 'messageId'>): string {
  return createHash('sha1')
    .update([r.platform, r.team ?? '', r.channel, r.messageId].join('\u0000'))
    .digest('hex')
    .slice(0, 24);
}

export interface WatchLedger extends ShareLedger {
  get(id: string): Promise<WatchedShare | undefined>;
  getMany(ids: readonly string[]): Promise<WatchedShare[]>;
  /** Ids of shares made at or after `sinceMs`, oldest first. */
  idsSince(sinceMs: number): Promise<string[]>;
  /** Shares made in a channel at or after `sinceMs`, oldest first. */
  inChannel(place: Pick<Place, 'platform' | 'channel'>, sinceMs: number): Promise<WatchedShare[]>;
  /** Replaces `before` with `after` if nobody changed it meanwhile. */
  replace(before: WatchedShare, after: WatchedShare): Promise<boolean>;
  /** Drops shares older than `beforeMs` from the watcher's index (their records stay for the reading list). */
  forgetBefore(beforeMs: number): Promise<void>;
  claim(id: string, ttlMs: number): Promise<boolean>;
  release(id: string): Promise<void>;
}

export function createWatchLedger(store: DurableStore): WatchLedger {
  async function getMany(ids: readonly string[]): Promise<WatchedShare[]> {
    const out: WatchedShare[] = [];
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = await store.getMany<WatchedShare>(ids.slice(i, i + PAGE).map(shareKey));
      for (const s of page) if (s) out.push(s);
    }
    return out;
  }

  return {
    async record(share) {
      const id = shareIdOf(share);
      const watched: WatchedShare = { ...share, id, told: [] };
      // Only the first record of a post counts: a second would reset what the channel was told since.
      await store.commit(
        [{ key: shareKey(id), equals: undefined }],
        [
          { op: 'set', key: shareKey(id), value: watched },
          { op: 'addOrdered', key: DUE_KEY, member: id, score: share.at },
          { op: 'addOrdered', key: channelKey(share), member: id, score: share.at },
        ],
      );
    },
    get: (id) => store.get<WatchedShare>(shareKey(id)),
    getMany,
    idsSince: (sinceMs) => store.members(DUE_KEY, sinceMs),
    async inChannel(place, sinceMs) {
      return getMany(await store.members(channelKey(place), sinceMs));
    },
    replace: (before, after) =>
      store.commit(
        [{ key: shareKey(before.id), equals: before }],
        [{ op: 'set', key: shareKey(after.id), value: after }],
      ),
    async forgetBefore(beforeMs) {
      await store.commit([], [{ op: 'trimOrdered', key: DUE_KEY, below: beforeMs }]);
    },
    claim: (id, ttlMs) => store.claim(claimKey(id), ttlMs),
    release: (id) => store.delete(claimKey(id)),
  };
}
