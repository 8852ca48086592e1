// Crash reconciliation through the real Slack Deliverer and the fake Slack Web API: a run recorded as posting
// but never as finished is settled by the digest keys in the channel's history (conversations.history).

import { createSlackDeliverer } from '../../adapters/slack/deliverer';
import { slackTs } from '../../adapters/slack/history';
import type { Deliverer } from '../../src/core/deliverer';
import { idempotencyKey } from '../../src/digest/due';
import { runDueDigests, type DigestRunnerDeps } from '../../src/digest/run';
import { RECONCILE_GIVE_UP_MS } from '../../src/digest/run-claims';
import type { Subscription } from '../../src/digest/types';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { FAKE_BOT, startFakeSlack, type FakeSlack } from '../peers/slack';
import {
  recordingLogger,
  SLACK_CHANNEL,
  sqliteStore,
  startPubmed,
  wallClock,
  type TestPubmed,
  type TestStore,
  subscriptionDefinition,
  type WallClock,
} from './support';

const TOKEN = 'xoxb-reconcile-test-token';
/** 07:30 EDT on 19 Apr 2017: the recorded Entrez dates put two papers in the window ending here. */
const SLOT = Date.parse('2017-04-19T11:30:00Z');
const MINUTE = 60_000;

let eutils: FakeEutils;
let slack: FakeSlack;
let pubmed: TestPubmed;
let clock: WallClock = wallClock(SLOT);

beforeAll(async () => {
  eutils = await startFakeEutils();
  // Message ts values come from the test's clock, as Slack's come from the time it accepted the post.
  slack = await startFakeSlack({ tokens: [TOKEN], now: () => clock.now() });
  pubmed = await startPubmed(eutils.url);
});
afterAll(async () => {
  await pubmed.close();
  await slack.close();
  await eutils.close();
});

let t: TestStore;
let log: ReturnType<typeof recordingLogger>;
let deliverer: Deliverer;
let deps: DigestRunnerDeps;

beforeEach(async () => {
  slack.reset();
  clock = wallClock(SLOT - MINUTE);
  t = await sqliteStore(clock);
  log = recordingLogger();
  deliverer = createSlackDeliverer({
    clientOptions: { slackApiUrl: `${slack.apiUrl}/` },
    botToken: TOKEN,
    logger: log,
  });
  deps = { store: t.store, pubmed: pubmed.service, deliverers: { slack: deliverer }, clock, logger: log };
});
afterEach(async () => {
  await t.close();
});

/** The digest posts Slack holds in the channel, by key (a key twice is a duplicate). */
function postedKeys(): string[] {
  return slack.messagesIn(SLACK_CHANNEL.channel).flatMap((m) => {
    const key = m.metadata?.event_payload.key;
    return m.bot_id === FAKE_BOT.botId && typeof key === 'string' ? [key] : [];
  });
}

/**
 * A replica that recorded the run as posting and died: with `posted`, after Slack accepted the post (made
 * through the real deliverer, so it carries what our posts carry). Then its claim lapses.
 */
async function interruptedRun(o: { posted: boolean }): Promise<{ sub: Subscription; key: string }> {
  const sub = await t.store.create(subscriptionDefinition());
  clock.set(SLOT);
  const claim = await t.store.claim(sub.id, SLOT, 10 * MINUTE);
  if (!claim) throw new Error('no claim');
  const key = idempotencyKey(sub.id, SLOT);
  await t.store.beginRun(claim, {
    subscriptionId: sub.id,
    slot: SLOT,
    status: 'posting',
    key,
    startedAt: SLOT,
    window: { from: '2017/04/18', to: '2017/04/19' },
    windowEnd: SLOT,
    pmids: ['28415597', '28412963'],
    count: 2,
    attempts: 1,
  });
  if (o.posted) {
    clock.set(SLOT + 2000);
    const message = { cards: [], notice: 'PubMed digest', visibility: 'channel' as const };
    expect(await deliverer.deliver(SLACK_CHANNEL, message, { idempotencyKey: key })).toMatchObject({
      ok: true,
    });
  }
  clock.set(SLOT + 15 * MINUTE); // the dead replica's ten-minute claim has lapsed
  return { sub, key };
}

it('the post is in the channel → recorded as delivered, not posted again', async () => {
  const { sub, key } = await interruptedRun({ posted: true });
  // Someone answers in the channel after the digest went out.
  slack.addMessage(SLACK_CHANNEL.channel, { user: 'U0DRADA', text: 'Thanks, reading the first one now' });

  const report = await runDueDigests(deps);

  expect(report.outcomes).toEqual([{ subscriptionId: sub.id, slot: SLOT, status: 'reconciled', count: 2 }]);
  expect(postedKeys()).toEqual([key]);
  expect(slack.callsTo('chat.postMessage')).toHaveLength(1); // the interrupted post only
  const [lookup] = slack.callsTo('conversations.history');
  expect(lookup?.params).toMatchObject({
    channel: SLACK_CHANNEL.channel,
    oldest: slackTs(SLOT - 5 * MINUTE),
    include_all_metadata: 'true',
  });
  expect(await t.store.get(sub.id)).toMatchObject({
    lastSlot: SLOT,
    lastResult: { status: 'delivered', count: 2 },
  });
  expect(await t.store.sentAmong(sub.id, ['28415597', '28412963'])).toEqual(
    new Set(['28415597', '28412963']),
  );
});

it('the post is not in the channel → posted once; another app’s post with the same key does not count', async () => {
  const { sub, key } = await interruptedRun({ posted: false });
  slack.addMessage(SLACK_CHANNEL.channel, {
    bot_id: 'B0OTHERAPP',
    text: 'a staging paperbot',
    metadata: { event_type: 'paperbot_digest', event_payload: { key } },
  });

  const report = await runDueDigests(deps);

  expect(report.outcomes).toEqual([
    { subscriptionId: sub.id, slot: SLOT, status: 'delivered', count: 2, messageId: expect.any(String) },
  ]);
  expect(postedKeys()).toEqual([key]);
  expect(slack.callsTo('conversations.history')).toHaveLength(1);
  // Run again a minute later: recorded now, nothing more to check or post.
  clock.set(clock.now() + MINUTE);
  expect((await runDueDigests(deps)).due).toBe(0);
  expect(postedKeys()).toEqual([key]);
});

it('pages through a busy channel (15 a page, as Slack allows non-Marketplace apps) to find the post', async () => {
  const { sub, key } = await interruptedRun({ posted: true });
  slack.historyPageMax = 15;
  for (let i = 0; i < 40; i += 1)
    slack.addMessage(SLACK_CHANNEL.channel, { user: 'U0DRADA', text: `note ${i}` });

  const report = await runDueDigests(deps);

  expect(report.outcomes).toEqual([{ subscriptionId: sub.id, slot: SLOT, status: 'reconciled', count: 2 }]);
  const pages = slack.callsTo('conversations.history');
  expect(pages).toHaveLength(3); // 41 messages, newest first: the digest is on the third page
  expect(pages[0]?.params.cursor).toBeUndefined();
  expect(pages[1]?.params.cursor).toEqual(expect.any(String));
  expect(postedKeys()).toEqual([key]);
});

it('missing_scope (installed before the history scopes) → posted again, with a warning', async () => {
  const { sub, key } = await interruptedRun({ posted: true });
  slack.fail('conversations.history', [{ error: 'missing_scope' }]);

  const report = await runDueDigests(deps);

  expect(report.outcomes).toEqual([
    { subscriptionId: sub.id, slot: SLOT, status: 'delivered', count: 2, messageId: expect.any(String) },
  ]);
  // At least once: the digest is not lost, and the duplicate is there for the operator to see in the log.
  expect(postedKeys()).toEqual([key, key]);
  expect(log.warnings()).toContain('slack: cannot look for digest posts in the channel');
  expect(log.warnings()).toContain(
    'digest: interrupted post cannot be checked in this channel; posting again',
  );
  expect(
    log.lines.find((l) => l.msg === 'slack: cannot look for digest posts in the channel')?.fields,
  ).toMatchObject({ detail: 'Slack answered missing_scope' });
});

it('429 on the history lookup → waits without posting, and settles on a later run', async () => {
  const { sub, key } = await interruptedRun({ posted: true });
  slack.fail('conversations.history', [{ status: 429, retryAfter: 60 }]);

  const waiting = await runDueDigests(deps);
  expect(waiting.outcomes).toEqual([
    { subscriptionId: sub.id, slot: SLOT, status: 'failed', problem: 'reconcile_failed', gaveUp: false },
  ]);
  expect(postedKeys()).toEqual([key]);
  expect((await t.store.get(sub.id))?.openRun).toBe(SLOT);

  clock.set(clock.now() + MINUTE);
  const settled = await runDueDigests(deps);
  expect(settled.outcomes).toEqual([{ subscriptionId: sub.id, slot: SLOT, status: 'reconciled', count: 2 }]);
  expect(postedKeys()).toEqual([key]);
  expect(slack.callsTo('conversations.history')).toHaveLength(2);
});

it('a history lookup failing for hours → after RECONCILE_GIVE_UP_MS it posts again rather than stall', async () => {
  const { sub, key } = await interruptedRun({ posted: false });
  slack.fail(
    'conversations.history',
    Array.from({ length: 3 }, () => ({ status: 503 })),
  );

  expect((await runDueDigests(deps)).outcomes[0]).toMatchObject({
    status: 'failed',
    problem: 'reconcile_failed',
  });
  clock.set(SLOT + RECONCILE_GIVE_UP_MS - MINUTE);
  expect((await runDueDigests(deps)).outcomes[0]).toMatchObject({
    status: 'failed',
    problem: 'reconcile_failed',
  });
  expect(postedKeys()).toEqual([]);

  clock.set(SLOT + RECONCILE_GIVE_UP_MS);
  const report = await runDueDigests(deps);
  expect(report.outcomes).toEqual([
    { subscriptionId: sub.id, slot: SLOT, status: 'delivered', count: 2, messageId: expect.any(String) },
  ]);
  expect(postedKeys()).toEqual([key]);
  expect(log.warnings()).toContain('digest: interrupted post still cannot be checked; posting again');
});
