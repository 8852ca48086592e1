// Two replicas run every tick at the same moment over one shared store (the real Redis on 127.0.0.1 under a
// unique prefix; and two connections to one SQLite file): each (subscription, slot) is posted exactly once.

import { silentLogger } from '../../src/core/logger';
import { runDueDigests, type DigestOutcome } from '../../src/digest/run';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import {
  recordingDeliverer,
  redisStore,
  SLACK_CHANNEL,
  sqliteStore,
  startPubmed,
  wallClock,
  type TestPubmed,
} from './support';

let fake: FakeEutils;
let pubmed: TestPubmed;

beforeAll(async () => {
  fake = await startFakeEutils();
  pubmed = await startPubmed(fake.url);
});
afterAll(async () => {
  await pubmed.close();
  await fake.close();
});

const SUBSCRIPTIONS = 12;
const DAYS = 4;

describe.each([
  ['redis', redisStore],
  ['sqlite', sqliteStore],
] as const)('two replicas sharing %s', (_name, open) => {
  it('post each (subscription, slot) exactly once', async () => {
    const clock = wallClock('2017-04-17T12:00:00Z');
    const t = await open(clock);
    try {
      const storeB = await t.twin();
      const slack = recordingDeliverer(clock); // the channels both replicas post into
      for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
        await t.store.create({
          place: { ...SLACK_CHANNEL, channel: `C${i % 4}` },
          createdBy: { id: 'U1' },
          createdAt: clock.now(),
          // Three distinct queries, so replicas also share lookups.
          query: { text: `q${i % 3}`, terms: `q${i % 3}`, types: [], term: `q${i % 3}` },
          schedule: {
            cadence: 'daily',
            time: '07:30',
            timeZone: i % 2 ? 'America/New_York' : 'Europe/Berlin',
          },
          notifyEmpty: true,
        });
      }
      const outcomes: DigestOutcome[][] = [[], []];
      for (let day = 18; day < 18 + DAYS; day += 1) {
        for (const time of ['06:00', '11:45']) {
          clock.set(Date.parse(`2017-04-${day}T${time}:00Z`));
          const base = { pubmed: pubmed.service, deliverers: { slack }, clock, logger: silentLogger };
          const [a, b] = await Promise.all([
            runDueDigests({ ...base, store: t.store }),
            runDueDigests({ ...base, store: storeB }),
          ]);
          outcomes[0]?.push(...a.outcomes);
          outcomes[1]?.push(...b.outcomes);
        }
      }
      const keys = slack.posts.map((p) => p.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(SUBSCRIPTIONS * DAYS);
      const delivered = (o: DigestOutcome[]) => o.filter((x) => x.status === 'delivered').length;
      expect(delivered(outcomes[0] ?? []) + delivered(outcomes[1] ?? [])).toBe(SUBSCRIPTIONS * DAYS);
      // Both were in the race: every slot the other replica took shows up as skipped here.
      const skipped = [...(outcomes[0] ?? []), ...(outcomes[1] ?? [])].filter(
        (x) => x.status === 'skipped',
      ).length;
      expect(skipped).toBe(SUBSCRIPTIONS * DAYS);
      // And 28415597 (Entrez date 2017/04/19) reached each subscription once, though two windows list it.
      const perSub = new Map<string, number>();
      for (const p of slack.posts)
        if (p.message.digest?.entries.some((e) => e.pmid === '28415597')) {
          const id = p.message.digest.subscriptionId ?? '';
          perSub.set(id, (perSub.get(id) ?? 0) + 1);
        }
      expect(perSub.size).toBe(SUBSCRIPTIONS);
      expect([...perSub.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
