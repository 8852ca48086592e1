// Where each owner keeps its records in the DurableStore: one namespace per owner, versioned by storeKey.
// Shared by the owners and by ./migrate.ts, which writes older stores' data under these same keys.

import { storeKey } from '../core/store';

export const digestKeys = {
  seq: storeKey('digest', 'seq'),
  /** Ordered: every subscription id, scored by itself. */
  all: storeKey('digest', 'subs'),
  sub: (id: string) => storeKey('digest', 'sub', id),
  /** Ordered: PMID → when it was sent. */
  ledger: (id: string) => storeKey('digest', 'ledger', id),
  run: (id: string, slot: number) => storeKey('digest', 'run', id, String(slot)),
  claim: (id: string, slot: number) => storeKey('digest', 'claim', id, String(slot)),
  /** Ordered: the ids in one channel. */
  channel: (place: { platform: string; team?: string; channel: string }) =>
    storeKey('digest', 'chan', place.platform, place.team ?? '', place.channel),
};

/** One Slack installation ("team:T…" or "enterprise:E…"). */
export const slackInstallationKey = (key: string): string => storeKey('slack-installation', key);

export const teamsKeys = {
  reference: (key: string) => storeKey('teams', 'ref', key),
  /** Ordered: idempotency key → when Teams accepted the post. */
  sent: (key: string) => storeKey('teams', 'sent', key),
};
