// A channel that refuses a digest for good pauses the subscription, and its creator is told privately on their
// platform: Slack's Messages tab (fake Slack Web API), Teams' personal chat (fake Bot Connector).

import { createSlackDeliverer } from '../../adapters/slack/deliverer';
import type { Deliverer } from '../../src/core/deliverer';
import { runDueDigests } from '../../src/digest/run';
import type { ChannelRef, SubscriptionDefinition } from '../../src/digest/types';
import { fixture, startHarness, type Harness } from '../adapters/teams/harness';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import {
  recordingLogger,
  sqliteStore,
  startPubmed,
  subscriptionDefinition,
  wallClock,
  type TestPubmed,
} from './support';

const TOKEN = 'xoxb-pause-test-token';
const SLOT = Date.parse('2017-04-19T11:30:00Z');

function definition(place: ChannelRef, creator: string): SubscriptionDefinition {
  return subscriptionDefinition({ place, createdBy: { id: creator, name: 'Dr Ada' } });
}

/** One run at SLOT over a fresh store: the subscription's outcome, and what the log said. */
async function runOnce(place: ChannelRef, creator: string, deliverer: Deliverer, pubmed: TestPubmed) {
  const clock = wallClock(SLOT);
  const t = await sqliteStore(clock);
  const logger = recordingLogger();
  try {
    const sub = await t.store.create(definition(place, creator));
    const report = await runDueDigests({
      store: t.store,
      pubmed: pubmed.service,
      deliverers: { [deliverer.platform]: deliverer },
      clock,
      logger,
    });
    return { sub, outcomes: report.outcomes, stored: await t.store.get(sub.id), logger };
  } finally {
    await t.close();
  }
}

describe('Slack', () => {
  let eutils: FakeEutils;
  let slack: FakeSlack;
  let pubmed: TestPubmed;
  let deliverer: Deliverer;
  const channel = { platform: 'slack' as const, team: 'T00FAKE00BB', channel: 'C0TUMORBOARD' };

  beforeAll(async () => {
    eutils = await startFakeEutils();
    slack = await startFakeSlack({ tokens: [TOKEN] });
    pubmed = await startPubmed(eutils.url);
    deliverer = createSlackDeliverer({
      clientOptions: { slackApiUrl: `${slack.apiUrl}/` },
      botToken: TOKEN,
      logger: recordingLogger(),
    });
  });
  afterAll(async () => {
    await pubmed.close();
    await slack.close();
    await eutils.close();
  });
  beforeEach(() => slack.reset());

  it('a bot removed from the channel → paused, and the creator is told in the Messages tab', async () => {
    slack.fail('chat.postMessage', [{ error: 'not_in_channel' }]);
    const { sub, outcomes, stored } = await runOnce(channel, 'U0CREATOR', deliverer, pubmed);

    expect(outcomes).toEqual([
      {
        subscriptionId: sub.id,
        slot: SLOT,
        status: 'paused',
        problem: 'forbidden',
        detail: 'Slack answered not_in_channel',
        creatorTold: true,
      },
    ]);
    expect(stored?.paused).toMatchObject({ by: 'delivery', problem: 'forbidden' });
    const [refused, notice] = slack.callsTo('chat.postMessage');
    expect(refused?.params.channel).toBe('C0TUMORBOARD');
    expect(notice?.params.channel).toBe('U0CREATOR');
    const text = JSON.stringify(notice?.params.blocks);
    expect(text).toContain(`Your PubMed digest #${sub.id} “phosphorylation cancer” is paused`);
    expect(text).toContain('no longer allowed to post in its channel');
    expect(text).toContain(`digest resume ${sub.id}`);
    expect(text).toContain('Channel: <#C0TUMORBOARD>');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a notice Slack refuses is logged; the run still ends with the subscription paused', async () => {
    slack.fail('chat.postMessage', [{ error: 'is_archived' }, { error: 'messages_tab_disabled' }]);
    const { outcomes, stored, logger } = await runOnce(channel, 'U0CREATOR', deliverer, pubmed);

    expect(outcomes[0]).toMatchObject({ status: 'paused', problem: 'archived', creatorTold: false });
    expect(stored?.paused).toMatchObject({ problem: 'archived' });
    expect(logger.warnings()).toContain('digest: could not tell the creator about the pause');
  });
});

describe('Teams', () => {
  let h: Harness;
  let pubmed: TestPubmed;

  beforeAll(async () => {
    h = await startHarness({ mount: 'direct' });
    pubmed = await startPubmed(h.eutils.url);
  });
  afterAll(async () => {
    await pubmed.close();
    await h.close();
  });

  function deliverer(): Deliverer {
    if (!h.teams) throw new Error('direct mount expected');
    return h.teams.deliverer;
  }

  // The digest's channel has no reference (the bot was removed from the team), so the post is not_found.
  const gone = { platform: 'teams' as const, channel: '19:removed@thread.tacv2' };

  it('a channel the bot was removed from → paused, and the creator is told in their chat with the bot', async () => {
    // The creator installed paperbot for themselves once (recorded conversationUpdate in a personal chat).
    await h.post(fixture('botbuilder_teams_SampleActivityConversationUpdateWithAADObjectId.json'));
    h.connector.reset();
    const { sub, outcomes } = await runOnce(gone, '29:uniqueId', deliverer(), pubmed);

    expect(outcomes[0]).toMatchObject({ status: 'paused', problem: 'not_found', creatorTold: true });
    const sent = h.connector.sent('message');
    expect(sent.map((r) => r.conversationId)).toEqual(['a:uniqueID']);
    const card = JSON.stringify(sent[0]?.activity.attachments);
    expect(card).toContain(`Your PubMed digest #${sub.id} “phosphorylation cancer” is paused`);
    expect(card).toContain('removed from its channel');
  });

  it('a creator without a chat with the bot is not told; the pause stands and is logged', async () => {
    h.connector.reset();
    const { outcomes, stored, logger } = await runOnce(gone, '29:neverChatted', deliverer(), pubmed);

    expect(outcomes[0]).toMatchObject({ status: 'paused', creatorTold: false });
    expect(stored?.paused).toMatchObject({ problem: 'not_found' });
    expect(h.connector.sent('message')).toEqual([]);
    expect(logger.warnings()).toContain('digest: could not tell the creator about the pause');
  });
});
