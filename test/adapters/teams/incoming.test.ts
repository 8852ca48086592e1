// Reading recorded Teams activities: mention stripping, the "paper" word, card buttons, who and where.

import {
  conversationKey,
  conversationKind,
  coreRequest,
  readIncoming,
  stripMentions,
  type IncomingActivity,
} from '../../../adapters/teams/incoming';
import { fixture, fixtureText } from './harness';

const activity = (name: string, member?: string): IncomingActivity =>
  fixture(name, member) as IncomingActivity;

describe('mentions', () => {
  it('strips the bot mention whose entity carries the <at> text (channel recording)', () => {
    const a = activity('vercel_teams_card_action_and_reaction.json', 'mention');
    expect(a.text).toBe('<at>Chat SDK Demo</at> Test');
    expect(stripMentions(a)).toBe('Test');
    expect(readIncoming(a)).toEqual({ text: 'Test', addressed: true, fromButton: false });
  });

  it('strips the bot mention when the entity has only the mentioned name (no text)', () => {
    const a = activity('vercel_teams_mention_followup.json', 'mention');
    const entity = a.entities?.[0] as unknown as { text?: string; mentioned: { name: string } };
    expect(entity.text).toBeUndefined();
    expect(entity.mentioned.name).toBe('Chat SDK Demo');
    expect(readIncoming(a).text).toBe('Hey');
  });

  it('reads a BOM-prefixed 2017 recording whose text already lacks the tag', () => {
    expect(fixtureText('botbuilder_teams_SampleActivityAtMention.json').charCodeAt(0)).toBe(0xfeff);
    const a = activity('botbuilder_teams_SampleActivityAtMention.json');
    expect(readIncoming(a)).toEqual({ text: 'Test Message', addressed: true, fromButton: false });
  });

  it('keeps other people mentioned, by name, and decodes the entities Teams puts in text', () => {
    const a: IncomingActivity = {
      ...activity('vercel_teams_card_action_and_reaction.json', 'mention'),
      text: '<at>Chat SDK Demo</at> paper&nbsp;<at>Ana Lima</at> trastuzumab &amp; HER2 <p>low</p>',
    };
    expect(readIncoming(a).text).toBe('Ana Lima trastuzumab & HER2 low');
  });
});

describe('addressing', () => {
  it('ignores a channel follow-up that does not mention the bot', () => {
    const a = activity('vercel_teams_mention_followup.json', 'followUp');
    expect(conversationKind(a)).toBe('channel');
    expect(readIncoming(a).addressed).toBe(false);
  });

  it('answers bare text in a personal chat', () => {
    const a = activity('vercel_teams_dm.json', 'dmMessage');
    expect(conversationKind(a)).toBe('personal');
    expect(readIncoming(a)).toEqual({ text: 'Hey', addressed: true, fromButton: false });
  });

  it('treats a conversation without type or group flag as personal (2017 recording)', () => {
    const a = activity('botbuilder_teams_SampleActivityNoMentions.json');
    expect(conversationKind(a)).toBe('personal');
    expect(readIncoming(a).text).toBe('Test');
  });

  it('takes a card button command as is, and a foreign card submit as an empty (help) request', () => {
    const a = activity('vercel_teams_card_action_and_reaction.json', 'action');
    expect(a.value).toEqual({ actionId: 'info' });
    expect(readIncoming(a)).toEqual({ text: '', addressed: true, fromButton: true });
    expect(readIncoming({ ...a, value: { command: 'paper cite 29658856 apa' } }).text).toBe(
      'paper cite 29658856 apa',
    );
  });
});

describe('the paper word', () => {
  const dm = activity('vercel_teams_dm.json', 'dmMessage');
  it.each([
    ['paper pembrolizumab nsclc', 'pembrolizumab nsclc'],
    ['Paper   29658856', '29658856'],
    ['/paper immunotherapy', 'immunotherapy'],
    ['paper', ''],
    ['papers on sepsis', 'papers on sepsis'],
    ['/trial NCT02578680', 'trial NCT02578680'],
    ['help', 'help'],
  ])('%j → %j', (text, expected) => {
    expect(readIncoming({ ...dm, text }).text).toBe(expected);
  });
});

describe('where', () => {
  it('keys a channel thread by its channel, and a chat by its id', () => {
    const channel = activity('vercel_teams_card_action_and_reaction.json', 'mention');
    expect(channel.conversation?.id).toBe(
      '19:d441d38c655c47a085215b2726e76927@thread.tacv2;messageid=1767326091220',
    );
    expect(conversationKey(channel)).toBe('19:d441d38c655c47a085215b2726e76927@thread.tacv2');
    const dm = activity('vercel_teams_dm.json', 'dmMessage');
    expect(conversationKey(dm)).toBe(dm.conversation?.id);
  });

  it('builds the core Request with the Teams user, the tenant and the conversation key', () => {
    const a = activity('vercel_teams_card_action_and_reaction.json', 'mention');
    expect(coreRequest(a, 'Test')).toEqual({
      text: 'Test',
      user: {
        id: '29:1xXxFakeUserBase64IdStringForTeamsPlatformAbcDeFgHiJkLmNoPqRsTuVwXyZ012345ABCDEF',
        name: 'Test User',
      },
      place: {
        platform: 'teams',
        team: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
        channel: '19:d441d38c655c47a085215b2726e76927@thread.tacv2',
      },
    });
  });

  it('passes a time zone only when the client sent a plausible one', () => {
    const a = activity('botbuilder_teams_SampleActivityAtMention.json');
    expect(coreRequest(a, 'x').place.timeZone).toBeUndefined();
    const withZone = {
      ...a,
      entities: [{ type: 'clientInfo', locale: 'en-US', timezone: 'America/New_York' }],
    };
    expect(coreRequest(withZone, 'x').place.timeZone).toBe('America/New_York');
    const bogus = { ...a, entities: [{ type: 'clientInfo', timezone: '../../etc/passwd' }] };
    expect(coreRequest(bogus, 'x').place.timeZone).toBeUndefined();
  });
});
