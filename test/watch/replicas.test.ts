// Two replicas over one Redis database run the watcher at the same moment: every changed share is told
// once. The run claim lets one replica work; under it, each share's own claim holds even if two get there.

import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { articleStatus } from '../../src/core/shares';
import type { DurableStore } from '../../src/core/store';
import { openStore } from '../../src/store';
import { createWatchLedger, runWatch, shareIdOf, type WatchRunnerDeps } from '../../src/watch';
import { freshCard } from '../../src/watch/messages';
import { notifyChange } from '../../src/watch/notify';
import { recordingDeliverer, startPubmed, type TestPubmed } from '../digest/support';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { leaseRedisDb, type RedisDb } from '../support/redis';
import { articleVersions, ERRATUM_PMID } from './support';

let eutils: FakeEutils;
let pubmed: TestPubmed;
let db: RedisDb;
const stores: DurableStore[] = [];

beforeAll(async () => {
  eutils = await startFakeEutils();
  pubmed = await startPubmed(eutils.url);
  db = await leaseRedisDb();
  for (let i = 0; i < 2; i += 1)
    stores.push(
      await openStore({ kind: 'redis', url: db.url }, { clock: systemClock, logger: silentLogger }),
    );
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await db.release();
  await pubmed.close();
  await eutils.close();
});

const CHANNELS = 5;

it('two replicas running the watcher at once tell each channel once', async () => {
  const versions = articleVersions(eutils.records.get(ERRATUM_PMID)?.xml ?? '');
  eutils.reviseRecord(ERRATUM_PMID, versions.before);
  const before = (await pubmed.service.efetchFresh([ERRATUM_PMID])).articles[0];
  if (!before) throw new Error('no record');
  const [a, b] = stores.map(createWatchLedger);
  if (!a || !b) throw new Error('no ledgers');
  for (let i = 0; i < CHANNELS; i += 1)
    await a.record({
      platform: 'slack',
      team: 'T0TEST',
      channel: `C0BOARD${i}`,
      messageId: `1764000000.00000${i}`,
      item: { kind: 'article', id: ERRATUM_PMID },
      title: 'Fatty acid oxidation protects cancer cells from apoptosis',
      by: { id: 'U0SHARER' },
      at: systemClock.now(),
      status: articleStatus(before),
      facts: {},
    });
  eutils.reviseRecord(ERRATUM_PMID, versions.retracted);
  const slack = recordingDeliverer(systemClock);
  const deps = (ledger: typeof a, store: DurableStore): WatchRunnerDeps => ({
    ledger,
    store,
    pubmed: pubmed.service,
    deliverers: { slack },
    clock: systemClock,
  });

  const reports = await Promise.all([
    runWatch(deps(a, stores[0] as DurableStore), { now: true }),
    runWatch(deps(b, stores[1] as DurableStore), { now: true }),
  ]);
  expect(reports.filter((r) => r.skipped === 'running_elsewhere')).toHaveLength(1);
  expect(slack.posts).toHaveLength(CHANNELS);
  expect(new Set(slack.posts.map((p) => p.target.channel)).size).toBe(CHANNELS);

  // Under the run claim, each share's claim: two replicas telling the same share at once post once.
  eutils.reviseRecord(ERRATUM_PMID, versions.before);
  await runWatch(deps(a, stores[0] as DurableStore), { now: true }); // back to the shared state, quietly
  eutils.reviseRecord(ERRATUM_PMID, versions.retracted);
  const retracted = (await pubmed.service.efetchFresh([ERRATUM_PMID])).articles[0];
  if (!retracted) throw new Error('no record');
  const id = shareIdOf({
    platform: 'slack',
    team: 'T0TEST',
    channel: 'C0BOARD0',
    messageId: '1764000000.000000',
  });
  const notify = (ledger: typeof a) =>
    notifyChange(
      { ledger, clock: systemClock, logger: silentLogger, claimTtlMs: 60_000 },
      slack,
      id,
      { kind: 'article', article: retracted },
      articleStatus(retracted),
    );
  const posted = slack.posts.length;
  const outcomes = await Promise.all([notify(a), notify(b)]);
  expect(slack.posts.length - posted).toBe(1);
  expect(outcomes.map((o) => o.status).sort()).toEqual(['notified', 'skipped']);
  expect(freshCard({ kind: 'article', article: retracted })).toMatchObject({ retracted: true });
});
