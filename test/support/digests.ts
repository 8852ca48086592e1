// Digest fixtures for multi-process tests: subscriptions written straight into the shared Redis store (due at
// once: their daily slot passed half an hour ago), and the digest posts the fake Slack received, by key.

import { silentLogger } from '../../src/core/logger';
import { systemClock } from '../../src/core/clock';
import { openDigestStore } from '../../src/digest/store';
import type { FakeSlack } from '../peers/slack';
import { FAKE_TEAM } from '../peers/slack';
import type { DigestTally } from './slack-commands';

/** The Slack deliverer's metadata type (adapters/slack/deliverer.ts), read here from what Slack received. */
const DIGEST_EVENT = 'paperbot_digest';

/** Creates `count` daily subscriptions whose slot (30 minutes ago, UTC) is due now; returns their ids. */
export async function createDueSubscriptions(
  redisUrl: string,
  count: number,
  label: string,
): Promise<string[]> {
  const store = await openDigestStore(
    { kind: 'redis', url: redisUrl },
    { clock: systemClock, logger: silentLogger },
  );
  const slot = new Date(Date.now() - 30 * 60_000);
  const time = `${String(slot.getUTCHours()).padStart(2, '0')}:${String(slot.getUTCMinutes()).padStart(2, '0')}`;
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const text = `${label} digest ${i + 1}`;
      const sub = await store.create({
        place: { platform: 'slack', team: FAKE_TEAM.id, channel: `C0${label.toUpperCase()}${i + 1}` },
        createdBy: { id: 'U00FAKEUSER2' },
        createdAt: Date.now() - 2 * 86_400_000,
        query: { text, terms: text, types: [], term: text },
        schedule: { cadence: 'daily', time, timeZone: 'UTC' },
        notifyEmpty: true,
      });
      ids.push(sub.id);
    }
  } finally {
    await store.close();
  }
  return ids;
}

/** The idempotency key of every digest post Slack received (a key twice is a duplicated digest). */
export function digestPostKeys(slack: FakeSlack): string[] {
  return slack.callsTo('chat.postMessage').flatMap((call) => {
    const metadata = call.params.metadata as
      { event_type?: unknown; event_payload?: { key?: unknown } } | undefined;
    return metadata?.event_type === DIGEST_EVENT && typeof metadata.event_payload?.key === 'string'
      ? [metadata.event_payload.key]
      : [];
  });
}

export function digestTally(slack: FakeSlack, due: number): DigestTally {
  const keys = digestPostKeys(slack);
  return { due, posted: new Set(keys).size, duplicated: keys.length - new Set(keys).size };
}
