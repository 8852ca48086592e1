// Proactive posts: references kept when the bot is added (recorded conversationUpdate activities), digests and
// private notices posted through continueConversation to the fake Bot Connector, refusals as port problems.

import fs from 'node:fs';
import path from 'node:path';
import type { AdaptiveCard } from '../../../adapters/teams/adaptive';
import { personalKey } from '../../../adapters/teams/references';
import { digestCard, digestReply } from '../../../src/core/digest-cards';
import type { DeliveryMessage } from '../../../src/core/deliverer';
import { parseArticleSet } from '../../../src/pubmed/xml';
import type { ConnectorRequest } from '../../peers/connector';
import { fixture, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mount: 'direct' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.connector.reset();
});

const PERSONAL_ADD = fixture('botbuilder_teams_SampleActivityConversationUpdateWithAADObjectId.json');
const TEAM_MEMBER_ADD = fixture('botbuilder_teams_SampleActivityMembersAdded.json');

function teams() {
  if (!h.teams) throw new Error('direct mount expected');
  return h.teams;
}

function digest(): DeliveryMessage {
  const xml = fs.readFileSync(
    path.join(__dirname, '..', '..', 'fixtures', 'ncbi', 'efetch_pubmed_2records_2013.xml'),
    'utf8',
  );
  const card = digestCard({
    subscriptionId: '7',
    query: 'iron overload',
    window: { from: '2026/11/25', to: '2026/11/26' },
    count: 14,
    articles: parseArticleSet(xml).articles,
    searchUrl: 'https://pubmed.ncbi.nlm.nih.gov/?term=iron+overload',
    stale: false,
  });
  return digestReply(card, 'channel');
}

function cardOf(request: ConnectorRequest | undefined): AdaptiveCard {
  const content = (request?.activity.attachments as { content: AdaptiveCard }[] | undefined)?.[0]?.content;
  if (!content) throw new Error('no card');
  return content;
}

it('keeps the reference when the bot is added to a personal chat, and posts a digest there', async () => {
  expect((PERSONAL_ADD.membersAdded as { id: string }[]).map((m) => m.id)).toContain('28:uniqueId');
  expect((await h.post(PERSONAL_ADD)).status).toBe(200);
  const stored = await teams().references.get('a:uniqueID');
  expect(stored?.serviceUrl).toBe(h.connector.serviceUrl);
  expect(stored?.conversation.conversationType).toBe('personal');

  const result = await teams().deliverer.deliver({ channel: 'a:uniqueID' }, digest(), {
    idempotencyKey: 'digest-7-2026-11-26',
  });
  const [sent] = h.connector.sent('message');
  expect(result).toEqual({ ok: true, messageId: sent?.answeredId });
  expect(sent?.conversationId).toBe('a:uniqueID');
  expect(sent?.replyToActivityId).toBeUndefined();
  const card = JSON.stringify(cardOf(sent));
  expect(card).toContain('📬 PubMed digest #7: ');
  expect(card).toContain('Added to PubMed 25–26 Nov 2026: 14 new papers, newest first');
  expect(card).toContain(
    '"title":"12 more on PubMed","url":"https://pubmed.ncbi.nlm.nih.gov/?term=iron+overload"',
  );
  expect(card).toContain('Sequencing and analysis of chromosome 1 of Eimeria tenella');
  expect(sent?.activity.summary).toContain('PubMed digest (digest #7): “iron overload”');
  expect(await teams().deliverer.recentKeys?.({ channel: 'a:uniqueID' }, 0)).toEqual(['digest-7-2026-11-26']);
});

it('keys a team conversation by its channel, so the digest is a new channel post', async () => {
  await h.post(TEAM_MEMBER_ADD);
  expect(await teams().references.get('19:ThreadID@thread.skype;messageid=1400900100700')).toBeUndefined();
  const result = await teams().deliverer.deliver({ channel: '19:ThreadID@thread.skype' }, digest(), {
    idempotencyKey: 'k-team',
  });
  expect(result.ok).toBe(true);
  const [sent] = h.connector.sent('message');
  expect(sent?.conversationId).toBe('19:ThreadID@thread.skype');
  expect(sent?.replyToActivityId).toBeUndefined();
  // A digest entry offers no Share (it is already in the channel).
  expect(JSON.stringify(cardOf(sent))).not.toContain('"share ');
});

it.each([
  [
    { status: 429, headers: { 'retry-after': '7' } },
    { ok: false, problem: 'rate_limited', retryAfterSeconds: 7 },
  ],
  [{ status: 403 }, { ok: false, problem: 'forbidden' }],
  [{ status: 404 }, { ok: false, problem: 'not_found' }],
  [{ status: 502 }, { ok: false, problem: 'failed' }],
])('reports a connector refusal (%j) as %j', async (refusal, expected) => {
  await h.post(PERSONAL_ADD);
  h.connector.refuse([refusal]);
  const result = await teams().deliverer.deliver({ channel: 'a:uniqueID' }, digest(), {
    idempotencyKey: `k-${refusal.status}`,
  });
  expect(result).toMatchObject(expected);
  expect(h.connector.sent('message')[0]?.status).toBe(refusal.status);
  expect(await teams().deliverer.recentKeys?.({ channel: 'a:uniqueID' }, 0)).not.toContain(
    `k-${refusal.status}`,
  );
});

it('forgets the conversation when the app is uninstalled, and then reports not_found', async () => {
  await h.post(PERSONAL_ADD);
  const uninstall = {
    ...PERSONAL_ADD,
    type: 'installationUpdate',
    action: 'remove',
    membersAdded: undefined,
  };
  expect((await h.post(uninstall)).status).toBe(200);
  expect(await teams().references.get('a:uniqueID')).toBeUndefined();
  const result = await teams().deliverer.deliver({ channel: 'a:uniqueID' }, digest(), {
    idempotencyKey: 'k-gone',
  });
  expect(result).toMatchObject({ ok: false, problem: 'not_found' });
  expect(h.connector.requests).toHaveLength(0);
});

it('forgets the conversation when the bot is removed from it', async () => {
  await h.post(PERSONAL_ADD);
  const removed = { ...PERSONAL_ADD, membersAdded: undefined, membersRemoved: [{ id: '28:uniqueId' }] };
  await h.post(removed);
  expect(await teams().references.get('a:uniqueID')).toBeUndefined();
});

it('keeps the reference from an ordinary message too, and delivers a plain reply', async () => {
  const dm = fixture('vercel_teams_dm.json', 'dmMessage');
  h.eutils.setSearch('Hey', ['23657305']);
  await h.post(dm);
  const key = (dm.conversation as { id: string }).id;
  h.connector.reset();
  const result = await teams().deliverer.deliver(
    { channel: key },
    { cards: [{ type: 'error', message: 'A plain reply.' }], visibility: 'channel' },
    { idempotencyKey: 'k-plain' },
  );
  expect(result.ok).toBe(true);
  expect(JSON.stringify(cardOf(h.connector.sent('message')[0]))).toContain('A plain reply.');
});

describe('private notices (notifyUser)', () => {
  const notice = {
    cards: [{ type: 'error' as const, message: 'Your PubMed digest #7 is paused.', hint: 'Resume it.' }],
    visibility: 'private' as const,
  };
  const person = { id: '29:uniqueId' };

  it('go to the person’s own chat with the bot, kept when the bot was added there', async () => {
    await h.post(PERSONAL_ADD);
    expect((await teams().references.get(personalKey(person.id)))?.conversation.id).toBe('a:uniqueID');
    const result = await teams().deliverer.notifyUser?.(person, notice);
    const [sent] = h.connector.sent('message');
    expect(result).toEqual({ ok: true, messageId: sent?.answeredId });
    expect(sent?.conversationId).toBe('a:uniqueID');
    const card = JSON.stringify(cardOf(sent));
    expect(card).toContain('Your PubMed digest #7 is paused.');
    expect(card).toContain('Resume it.');
  });

  it('are not_found when the person has no chat with the bot; nothing is sent', async () => {
    // Someone who added the bot to a team channel, but never chatted with it.
    await h.post(TEAM_MEMBER_ADD);
    expect(await teams().references.get(personalKey('29:SAMPLEID'))).toBeUndefined();
    expect(await teams().deliverer.notifyUser?.({ id: '29:SAMPLEID' }, notice)).toMatchObject({
      ok: false,
      problem: 'not_found',
    });
    expect(h.connector.requests).toHaveLength(0);
  });

  it('stop once the person uninstalls the app', async () => {
    await h.post(PERSONAL_ADD);
    await h.post({ ...PERSONAL_ADD, type: 'installationUpdate', action: 'remove', membersAdded: undefined });
    expect(await teams().references.get(personalKey(person.id))).toBeUndefined();
    expect(await teams().deliverer.notifyUser?.(person, notice)).toMatchObject({ problem: 'not_found' });
  });

  it('report a connector refusal as the port’s problem, without throwing', async () => {
    await h.post(PERSONAL_ADD);
    h.connector.refuse([{ status: 403 }]);
    expect(await teams().deliverer.notifyUser?.(person, notice)).toMatchObject({
      ok: false,
      problem: 'forbidden',
    });
  });
});
