// The digest runner end to end: the real PubMed service against the fake E-utilities (which answers
// datetype=edat windows from the recorded records' Entrez dates), the real SQLite store, a recording Deliverer.

import { silentLogger } from '../../src/core/logger';
import { runDueDigests, type DigestRunnerDeps } from '../../src/digest/run';
import type { DigestStore } from '../../src/digest/store';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import {
  recordingDeliverer,
  SLACK_CHANNEL,
  sqliteStore,
  startPubmed,
  wallClock,
  type RecordingDeliverer,
  type TestPubmed,
  type TestStore,
  type WallClock,
  subscriptionDefinition as definition,
} from './support';

let fake: FakeEutils;
let pubmed: TestPubmed;

beforeAll(async () => {
  fake = await startFakeEutils();
});
afterAll(() => fake.close());

/** The title as the recorded PubMed XML spells it (these records have no inline markup). */
function fixtureTitle(pmid: string): string {
  const xml = fake.records.get(pmid)?.xml ?? '';
  return /<ArticleTitle>([\s\S]*?)<\/ArticleTitle>/.exec(xml)?.[1] ?? '';
}

describe('runDueDigests', () => {
  let clock: WallClock;
  let t: TestStore;
  let store: DigestStore;
  let slack: RecordingDeliverer;
  let deps: DigestRunnerDeps;

  beforeEach(async () => {
    fake.reset();
    // A fresh service per test: its article cache would otherwise hide requests from later tests.
    pubmed = await startPubmed(fake.url);
    clock = wallClock('2016-01-01T00:00:00Z');
    t = await sqliteStore(clock);
    store = t.store;
    slack = recordingDeliverer(clock);
    deps = {
      store,
      pubmed: pubmed.service,
      deliverers: { slack },
      clock,
      logger: silentLogger,
    };
  });
  afterEach(async () => {
    await t.close();
    await pubmed.close();
  });

  const esearches = () => fake.requests.filter((r) => r.utility === 'esearch');

  it('a first run covers the last day; a PMID in two windows is sent once', async () => {
    const sub = await store.create(definition());
    clock.set(Date.parse('2017-04-19T11:29:00Z')); // 07:29 EDT: not yet
    expect((await runDueDigests(deps)).due).toBe(0);

    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const first = await runDueDigests(deps);
    expect(first.outcomes).toEqual([
      {
        subscriptionId: sub.id,
        slot: Date.parse('2017-04-19T11:30:00Z'),
        status: 'delivered',
        count: 2,
        messageId: 'm1',
      },
    ]);
    expect(esearches()[0]?.params).toMatchObject({
      datetype: 'edat',
      mindate: '2017/04/18',
      maxdate: '2017/04/19',
    });
    const digest = slack.posts[0]?.message.digest;
    // Entrez dates in the recorded XML: 28415597 → 2017/04/19, 28412963 → 2017/04/18 (newest first).
    expect(digest?.entries.map((e) => e.pmid)).toEqual(['28415597', '28412963']);
    expect(digest?.entries[1]?.title).toBe(fixtureTitle('28412963'));
    expect(digest).toMatchObject({
      subscriptionId: sub.id,
      query: 'phosphorylation cancer',
      window: { from: '2017/04/18', to: '2017/04/19' },
      count: 2,
    });
    expect(digest?.more).toBeUndefined();
    expect(slack.posts[0]?.message.visibility).toBe('channel');
    expect(slack.posts[0]?.target).toEqual({ team: 'T0TEST', channel: 'C0TUMORBOARD' });

    clock.set(Date.parse('2017-04-20T11:30:30Z'));
    await runDueDigests(deps);
    // The window starts on the previous watermark's day, so 28415597 comes back from PubMed…
    expect(esearches()[1]?.params).toMatchObject({ mindate: '2017/04/19', maxdate: '2017/04/20' });
    // …and the ledger keeps it out: only 28422952 (2017/04/20) is new.
    expect(slack.posts[1]?.message.digest?.entries.map((e) => e.pmid)).toEqual(['28422952']);
    const sent = slack.posts.flatMap((p) => p.message.digest?.entries.map((e) => e.pmid) ?? []);
    expect(sent.filter((p) => p === '28415597')).toHaveLength(1);
  });

  it('after three missed days, one digest covers the whole window', async () => {
    const sub = await store.create(definition({ createdAt: Date.parse('2016-11-20T00:00:00Z') }));
    clock.set(Date.parse('2016-11-27T12:30:00Z')); // 07:30 EST; nothing was added on 26–27 Nov in the fixtures
    expect((await runDueDigests(deps)).outcomes[0]?.status).toBe('empty');
    expect(slack.posts).toHaveLength(0);

    // Down for the 28th, 29th and 30th; back on 1 Dec at 07:45 EST.
    clock.set(Date.parse('2016-12-01T12:45:00Z'));
    const report = await runDueDigests(deps);
    expect(report.due).toBe(1);
    expect(slack.posts).toHaveLength(1);
    const digest = slack.posts[0]?.message.digest;
    expect(digest?.window).toEqual({ from: '2016/11/27', to: '2016/12/01' });
    // Recorded Entrez dates: 27889207 (11/28), 27890797 and 27890529 (11/29), 27902483 (12/01).
    expect(new Set(digest?.entries.map((e) => e.pmid))).toEqual(
      new Set(['27889207', '27890797', '27890529', '27902483']),
    );
    expect(digest?.entries[0]?.pmid).toBe('27902483');
    expect((await store.get(sub.id))?.watermark).toBe(Date.parse('2016-12-01T12:45:00Z'));

    clock.set(Date.parse('2016-12-01T12:46:00Z'));
    expect((await runDueDigests(deps)).due).toBe(0);
  });

  it('a first run that comes days late covers from the day before the first slot', async () => {
    await store.create(definition({ createdAt: Date.parse('2016-11-26T20:00:00Z') })); // first slot: 27 Nov 07:30 EST
    clock.set(Date.parse('2016-11-29T12:45:00Z'));
    await runDueDigests(deps);
    const digest = slack.posts[0]?.message.digest;
    expect(digest?.window).toEqual({ from: '2016/11/26', to: '2016/11/29' });
    expect(new Set(digest?.entries.map((e) => e.pmid))).toEqual(
      new Set(['27889207', '27890797', '27890529']),
    );
  });

  it('no new papers → no post; "always" posts a nothing-new line instead', async () => {
    await store.create(definition({ createdAt: Date.parse('2026-01-01T00:00:00Z') }));
    const always = await store.create(
      definition({
        createdAt: Date.parse('2026-01-01T00:00:00Z'),
        notifyEmpty: true,
        place: { ...SLACK_CHANNEL, channel: 'C0QUIET' },
      }),
    );
    clock.set(Date.parse('2026-01-05T12:30:00Z'));
    const report = await runDueDigests(deps);
    expect(report.outcomes.map((o) => o.status).sort()).toEqual(['delivered', 'empty']);
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.target.channel).toBe('C0QUIET');
    expect(slack.posts[0]?.message.digest).toMatchObject({
      subscriptionId: always.id,
      count: 0,
      entries: [],
    });
    expect(slack.posts[0]?.message.notice).toMatch(/nothing new/);
  });

  it('identical queries due at the same minute share one search; records come in one batch', async () => {
    for (let i = 0; i < 5; i += 1)
      await store.create(definition({ place: { ...SLACK_CHANNEL, channel: `C${i}` } }));
    await store.create(
      definition({
        query: { text: 'prostate', terms: 'prostate', types: [], term: 'prostate' },
        place: { ...SLACK_CHANNEL, channel: 'C9' },
      }),
    );
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const report = await runDueDigests(deps);
    expect(report.searches).toBe(2);
    expect(esearches()).toHaveLength(2);
    expect(fake.requests.filter((r) => r.utility === 'efetch')).toHaveLength(1);
    expect(esearches().every((r) => r.params.datetype === 'edat')).toBe(true);
    expect(slack.posts).toHaveLength(6);
  });

  it('more than ten new papers: ten entries, newest first, and "N more" linking the window on PubMed', async () => {
    const pmids = [...fake.records.values()]
      .filter((r) => r.entrezDate?.startsWith('2017/0'))
      .map((r) => r.pmid)
      .slice(0, 14);
    fake.setSearch((p) => p.datetype === 'edat', pmids);
    await store.create(
      definition({
        query: {
          text: 'cancer type:rct',
          terms: 'cancer',
          types: ['rct'],
          term: '(cancer) AND (randomized controlled trial[pt])',
        },
      }),
    );
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    await runDueDigests(deps);
    const digest = slack.posts[0]?.message.digest;
    expect(digest?.entries.map((e) => e.pmid)).toEqual(pmids.slice(0, 10));
    expect(digest?.count).toBe(14);
    expect(digest?.more?.count).toBe(4);
    expect(decodeURIComponent(digest?.more?.url ?? '')).toContain(
      '((cancer) AND (randomized controlled trial[pt])) AND ("2017/04/18"[edat] : "2017/04/19"[edat])',
    );
    expect(digest?.entries.every((e) => !e.actions.some((a) => a.id === 'share'))).toBe(true);
  });

  it('a 429 with Retry-After is waited out, then posted once', async () => {
    await store.create(definition());
    slack.refuse({ ok: false, problem: 'rate_limited', retryAfterSeconds: 30 });
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const report = await runDueDigests(deps);
    expect(report.outcomes[0]?.status).toBe('delivered');
    expect(slack.attempts.map((a) => a.result.ok)).toEqual([false, true]);
    expect(clock.slept).toContain(30_000);
    expect((slack.posts[0]?.at ?? 0) - (slack.attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect(slack.posts).toHaveLength(1);
  });

  it('an archived channel pauses the subscription, says why, and nothing runs again until resumed', async () => {
    const sub = await store.create(definition());
    slack.refuse({ ok: false, problem: 'archived', detail: 'is_archived' });
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const report = await runDueDigests(deps);
    expect(report.outcomes[0]).toMatchObject({
      status: 'paused',
      problem: 'archived',
      detail: 'is_archived',
    });
    expect(report.outcomes[0]).toMatchObject({ creatorTold: true });
    // The creator is told privately, once: which digest, why, and how to resume it.
    expect(slack.notices).toHaveLength(1);
    expect(slack.notices[0]?.user).toEqual({ team: 'T0TEST', id: 'U1' });
    expect(slack.notices[0]?.about).toEqual({ team: 'T0TEST', channel: 'C0TUMORBOARD' });
    expect(slack.notices[0]?.message.visibility).toBe('private');
    expect(slack.notices[0]?.message.cards).toEqual([
      {
        type: 'error',
        message: `Your PubMed digest #${sub.id} “phosphorylation cancer” is paused: its channel was archived.`,
        hint: `Once the channel is unarchived, type “digest resume ${sub.id}” in that channel; the next digest covers everything missed.`,
      },
    ]);
    expect((await store.get(sub.id))?.paused).toMatchObject({ problem: 'archived', detail: 'is_archived' });
    clock.set(Date.parse('2017-04-20T11:30:00Z'));
    expect((await runDueDigests(deps)).due).toBe(0);
    expect(slack.posts).toHaveLength(0);
  });

  it('a failed PubMed search retries later; the next success covers the same window', async () => {
    const sub = await store.create(definition());
    fake.fail(
      'esearch',
      Array.from({ length: 6 }, () => ({ status: 503 })),
    );
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const failed = await runDueDigests(deps);
    expect(failed.outcomes[0]).toMatchObject({
      status: 'failed',
      problem: 'pubmed_unavailable',
      gaveUp: false,
    });
    const retryAt = (await store.get(sub.id))?.retryAt ?? 0;
    expect(retryAt).toBeGreaterThan(clock.now());
    clock.set(retryAt - 1);
    expect((await runDueDigests(deps)).due).toBe(0);
    clock.set(retryAt);
    const retried = await runDueDigests(deps);
    expect(retried.outcomes[0]).toMatchObject({ status: 'delivered', count: 2 });
    expect(slack.posts[0]?.message.digest?.window).toEqual({ from: '2017/04/18', to: '2017/04/19' });
  });

  it('a crash after posting but before recording: the next run finds the post by its key and does not repeat it', async () => {
    const sub = await store.create(definition());
    // A platform that posts and then never answers: the process "dies" waiting.
    const hanging = recordingDeliverer(clock);
    const deliver = hanging.deliver.bind(hanging);
    hanging.deliver = async (target, message, o) => {
      await deliver(target, message, o);
      return new Promise(() => undefined);
    };
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    void runDueDigests({ ...deps, deliverers: { slack: hanging } });
    for (let i = 0; i < 200 && hanging.posts.length === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
    expect(hanging.posts).toHaveLength(1);
    expect((await store.get(sub.id))?.openRun).toBe(Date.parse('2017-04-19T11:30:00Z'));

    // A new process, after the dead one's claim expired.
    clock.set(Date.parse('2017-04-19T11:45:00Z'));
    const other = await t.twin();
    const report = await runDueDigests({ ...deps, store: other, deliverers: { slack: hanging } });
    expect(report.outcomes).toEqual([
      { subscriptionId: sub.id, slot: Date.parse('2017-04-19T11:30:00Z'), status: 'reconciled', count: 2 },
    ]);
    expect(hanging.posts).toHaveLength(1);
    expect(await other.get(sub.id)).toMatchObject({
      lastSlot: Date.parse('2017-04-19T11:30:00Z'),
      lastResult: { status: 'delivered', count: 2 },
    });
    expect(await other.sentAmong(sub.id, ['28415597', '28412963'])).toEqual(
      new Set(['28415597', '28412963']),
    );
  });

  it('a crash after recording but before posting: the next run posts it, once', async () => {
    const sub = await store.create(definition());
    const slot = Date.parse('2017-04-19T11:30:00Z');
    clock.set(slot);
    const claim = await store.claim(sub.id, slot, 10 * 60_000);
    if (!claim) throw new Error('no claim');
    await store.beginRun(claim, {
      subscriptionId: sub.id,
      slot,
      status: 'posting',
      key: `paperbot-digest:${sub.id}:${new Date(slot).toISOString()}`,
      startedAt: slot,
      window: { from: '2017/04/18', to: '2017/04/19' },
      windowEnd: slot,
      pmids: ['28415597', '28412963'],
      count: 2,
      attempts: 1,
    });
    clock.set(slot + 2 * 60_000);
    expect((await runDueDigests(deps)).outcomes[0]).toMatchObject({
      status: 'skipped',
      reason: 'claimed_elsewhere',
    });
    clock.set(slot + 15 * 60_000);
    const report = await runDueDigests(deps);
    expect(report.outcomes[0]).toMatchObject({ status: 'delivered', count: 2 });
    expect(slack.posts.map((p) => p.key)).toEqual([`paperbot-digest:${sub.id}:2017-04-19T11:30:00.000Z`]);
  });

  it('a subscription whose platform has no deliverer here waits, without a PubMed lookup', async () => {
    const sub = await store.create(
      definition({ place: { platform: 'teams', channel: '19:abc@thread.tacv2' } }),
    );
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    const report = await runDueDigests(deps);
    expect(report.outcomes).toEqual([
      {
        subscriptionId: sub.id,
        slot: Date.parse('2017-04-19T11:30:00Z'),
        status: 'skipped',
        reason: 'no_deliverer',
      },
    ]);
    expect(esearches()).toHaveLength(0);
    expect((await store.get(sub.id))?.lastSlot).toBeUndefined();
  });

  it('--dry-run composes without claiming, recording or posting; --now runs before the slot', async () => {
    const sub = await store.create(definition());
    clock.set(Date.parse('2017-04-19T09:00:00Z'));
    expect((await runDueDigests(deps)).due).toBe(0);
    const dry = await runDueDigests(deps, { now: true, dryRun: true });
    expect(dry.outcomes[0]).toMatchObject({ status: 'dry_run', count: 2 });
    expect(slack.posts).toHaveLength(0);
    expect((await store.get(sub.id))?.lastSlot).toBeUndefined();
    const now = await runDueDigests(deps, { now: true });
    expect(now.outcomes[0]).toMatchObject({ status: 'delivered', slot: Date.parse('2017-04-19T09:00:00Z') });
    // The scheduled slot later that day still runs, covering only what is new since.
    clock.set(Date.parse('2017-04-19T11:30:00Z'));
    expect((await runDueDigests(deps)).outcomes[0]).toMatchObject({ status: 'empty' });
    expect(slack.posts).toHaveLength(1);
  });
});
