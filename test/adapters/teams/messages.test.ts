// Recorded Teams activities POSTed to /api/messages on `paperbot serve`'s server (PAPERBOT_DEV=1, mounted
// through adapters/mounts.ts); replies checked where Teams would see them: at the fake Bot Connector.

import type { AdaptiveCard } from '../../../adapters/teams/adaptive';
import { helpCard } from '../../../src/core/help';
import type { ConnectorRequest } from '../../peers/connector';
import { fixture, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

beforeEach(() => {
  h.connector.reset();
  h.eutils.reset();
});

function cardOf(request: ConnectorRequest | undefined): AdaptiveCard {
  const attachments = request?.activity.attachments as
    { contentType: string; content: AdaptiveCard }[] | undefined;
  const first = attachments?.[0];
  if (!first) throw new Error('no attachment in the posted activity');
  expect(first.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return first.content;
}

const only = (): ConnectorRequest => {
  const sent = h.connector.sent('message');
  expect(sent).toHaveLength(1);
  return sent[0] as ConnectorRequest;
};

const json = (card: AdaptiveCard): string => JSON.stringify(card);

const DM = fixture('vercel_teams_dm.json', 'dmMessage');
const CHANNEL_MENTION = fixture('vercel_teams_card_action_and_reaction.json', 'mention');
const CHANNEL_ACTION = fixture('vercel_teams_card_action_and_reaction.json', 'action');

describe('messages', () => {
  it('answers bare text in a personal chat with result cards, as a reply to the message', async () => {
    h.eutils.setSearch('Hey', ['23657305', '34529508']);
    const r = await h.post(DM);
    expect(r.status).toBe(200);
    const sent = only();
    expect(sent.conversationId).toBe(DM.conversation && (DM.conversation as { id: string }).id);
    expect(sent.replyToActivityId).toBe('1767378504354');
    const card = json(cardOf(sent));
    expect(card).toContain('Hfe mutations and iron overload in patients with alcoholic liver disease.');
    expect(card).toContain('Public Health Responses to Pandemics in 1918 and 2020.');
    // A personal chat has no channel: no Share button there.
    expect(card).not.toContain('"share 23657305"');
    expect(card).toContain('"similar 23657305"');
    expect(h.connector.sent('typing').length).toBe(1);
  });

  it('strips the @mention in a channel and replies in the thread (recorded channel mention)', async () => {
    h.eutils.setSearch('Test', ['35649368']);
    await h.post(CHANNEL_MENTION);
    expect(h.eutils.requests.find((q) => q.utility === 'esearch')?.params.term).toBe('Test');
    const sent = only();
    expect(sent.conversationId).toBe(
      '19:d441d38c655c47a085215b2726e76927@thread.tacv2;messageid=1767326091220',
    );
    expect(sent.replyToActivityId).toBe('1767326091220');
    const card = json(cardOf(sent));
    expect(card).toContain(
      'Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.',
    );
    expect(card).toContain('📝 Erratum');
    expect(card).toContain('"share 35649368"');
  });

  it('reads the BOM-prefixed 2017 recording byte for byte and searches its text', async () => {
    h.eutils.setSearch('Test Message', ['23657305']);
    const r = await h.postFixture('botbuilder_teams_SampleActivityAtMention.json');
    expect(r.status).toBe(200);
    expect(h.eutils.requests.find((q) => q.utility === 'esearch')?.params.term).toBe('Test Message');
    expect(json(cardOf(only()))).toContain('Hfe mutations and iron overload');
  });

  it('drops a leading "paper" word', async () => {
    h.eutils.setSearch('immunotherapy liver metastases', ['34529508']);
    await h.post({ ...DM, text: 'paper immunotherapy liver metastases' });
    expect(h.eutils.requests.find((q) => q.utility === 'esearch')?.params.term).toBe(
      'immunotherapy liver metastases',
    );
    expect(json(cardOf(only()))).toContain('Public Health Responses to Pandemics in 1918 and 2020.');
  });

  it('does not answer a channel message that does not mention the bot', async () => {
    const r = await h.post(fixture('vercel_teams_mention_followup.json', 'followUp'));
    expect(r.status).toBe(200);
    expect(h.connector.requests).toHaveLength(0);
    expect(h.eutils.requests).toHaveLength(0);
  });

  it('runs a card button command (Action.Submit value) and shows the abstract', async () => {
    await h.post({ ...CHANNEL_ACTION, value: { command: 'show 23657305' } });
    const card = json(cardOf(only()));
    expect(card).toContain('Alcoholic liver disease (ALD) is generally associated with iron overload');
    expect(card).toContain('CONCLUSION');
  });

  it('answers trial commands from ClinicalTrials.gov', async () => {
    await h.post({ ...DM, text: 'trial NCT02576665' });
    const card = json(cardOf(only()));
    expect(card).toContain('NCT02576665');
    expect(card).toContain('A Study of Toca 511, a Retroviral Replicating Vector');
    expect(card).toContain('https://clinicaltrials.gov/study/NCT02576665');
  });

  it('answers help, and "paper" alone, with the help card', async () => {
    await h.post({ ...DM, text: 'help' });
    await h.post({ ...DM, text: 'paper' });
    const sent = h.connector.sent('message');
    expect(sent).toHaveLength(2);
    const example = helpCard().sections[0]?.lines[1] ?? '!';
    expect(example).toBe('pembrolizumab nsclc type:rct since:2020 sort:date');
    for (const s of sent) expect(json(cardOf(s))).toContain(example);
  });
});

describe('share', () => {
  it('posts a shared card as a new post in the channel, saying who shared it', async () => {
    await h.post({ ...CHANNEL_ACTION, value: { command: 'share 23657305' } });
    const sent = only();
    expect(sent.conversationId).toBe('19:d441d38c655c47a085215b2726e76927@thread.tacv2');
    expect(sent.replyToActivityId).toBeUndefined();
    const card = cardOf(sent);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: '👥 Shared by <at>Test User</at>' });
    expect(card.msteams?.entities?.[0]?.mentioned.id).toBe(
      '29:1xXxFakeUserBase64IdStringForTeamsPlatformAbcDeFgHiJkLmNoPqRsTuVwXyZ012345ABCDEF',
    );
    expect(json(card)).toContain('Hfe mutations and iron overload');
  });

  it('explains a refused share in the thread', async () => {
    h.connector.refuse([{ status: 403 }]);
    const r = await h.post({ ...CHANNEL_ACTION, value: { command: 'share 23657305' } });
    expect(r.status).toBe(200);
    const sent = h.connector.sent('message');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.status).toBe(403);
    expect(sent[1]?.replyToActivityId).toBe('f:975cac46-e795-f39b-0c0d-491c14495a9b');
    expect(json(cardOf(sent[1]))).toContain('is not a member of it');
  });
});

describe('malformed and unexpected activities', () => {
  it('answers a message without text with help', async () => {
    const { text: _dropped, ...noText } = DM;
    const r = await h.post(noText);
    expect(r.status).toBe(200);
    expect(json(cardOf(only()))).toContain('Search PubMed');
  });

  it('answers a foreign card submit (no command) with help', async () => {
    await h.post(CHANNEL_ACTION);
    expect(json(cardOf(only()))).toContain('Search PubMed');
  });

  it('answers huge text politely, without a lookup', async () => {
    const r = await h.post({ ...DM, text: 'pembrolizumab '.repeat(20_000) });
    expect(r.status).toBe(200);
    const card = json(cardOf(only()));
    expect(card).toContain('That is 279,999 characters; I take at most 1,000.');
    expect(h.eutils.requests).toHaveLength(0);
  });

  it('takes reactions and conversation updates quietly', async () => {
    for (const a of [
      fixture('vercel_teams_card_action_and_reaction.json', 'reaction'),
      fixture('botbuilder_teams_SampleActivityChannelCreated.json'),
    ]) {
      const r = await h.post(a);
      expect(r.status).toBe(200);
    }
    expect(h.connector.requests).toHaveLength(0);
  });

  it.each([
    ['not JSON', 400, '{"type": "message", '],
    ['a JSON array', 400, '[]'],
    [
      'no conversation',
      400,
      JSON.stringify({
        type: 'message',
        channelId: 'msteams',
        from: { id: '29:x' },
        recipient: { id: '28:y' },
        text: 'hi',
      }),
    ],
    [
      'no type',
      400,
      JSON.stringify({
        channelId: 'msteams',
        conversation: { id: 'a:1' },
        from: { id: '29:x' },
        recipient: { id: '28:y' },
      }),
    ],
    ['a wrongly typed field', 400, JSON.stringify({ ...DM, serviceUrl: undefined, text: 42 })],
  ])('refuses %s with %i', async (_name, status, body) => {
    const r = await h.post(body);
    expect(r.status).toBe(status);
    expect(h.connector.requests).toHaveLength(0);
  });

  it('refuses GET with 405 and a body over 1 MB with 413', async () => {
    const get = await fetch(`${h.url}/api/messages`);
    expect(get.status).toBe(405);
    const big = await h.post({ ...DM, text: 'x'.repeat(1100 * 1024) });
    expect(big.status).toBe(413);
    expect(h.connector.requests).toHaveLength(0);
  });

  it('answers an invoke without a name with 400 and an unknown invoke with 501', async () => {
    const base = fixture('botbuilder_teams_SampleActivityComposeExtension.json');
    const { name: _n, ...nameless } = base;
    expect((await h.post(nameless)).status).toBe(400);
    expect((await h.post({ ...base, name: 'task/fetch' })).status).toBe(501);
    expect(h.connector.requests).toHaveLength(0);
  });

  it('answers a messaging-extension query with a malformed value with 400', async () => {
    const base = fixture('botbuilder_teams_SampleActivityComposeExtension.json');
    const r = await h.post({ ...base, value: { commandId: 'paper', parameters: 'not a list' } });
    expect(r.status).toBe(400);
    expect(h.connector.requests).toHaveLength(0);
  });

  it('stays up after all of that', async () => {
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
