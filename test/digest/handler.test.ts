// `digest …` commands as the assistant hands them over: text after "digest" plus the Request.

import { silentLogger } from '../../src/core/logger';
import type { ErrorCard, HelpCard, Reply, Request } from '../../src/core/reply';
import type { DigestReply } from '../../src/core/digest-cards';
import { createDigestHandler, type DigestHandler } from '../../src/digest/handler';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import {
  sqliteStore,
  startPubmed,
  wallClock,
  type TestPubmed,
  type TestStore,
  type WallClock,
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

const request = (text: string, place: Partial<Request['place']> = {}): Request => ({
  text: `digest ${text}`,
  user: { id: 'U1', name: 'Dr Ada' },
  place: { platform: 'slack', team: 'T0TEST', channel: 'C0TUMORBOARD', timeZone: 'Europe/Berlin', ...place },
});

const errorOf = (reply: Reply): ErrorCard => {
  const card = reply.cards[0];
  if (card?.type !== 'error') throw new Error(`expected an error card, got ${JSON.stringify(reply)}`);
  return card;
};

describe('digest commands', () => {
  let clock: WallClock;
  let t: TestStore;
  let handler: DigestHandler;
  const say = (text: string, place?: Partial<Request['place']>): Promise<Reply> =>
    handler.handle(text, request(text, place));

  beforeEach(async () => {
    clock = wallClock('2026-03-09T12:00:00Z'); // Monday, 13:00 in Berlin
    t = await sqliteStore(clock);
    handler = createDigestHandler({ store: t.store, pubmed: pubmed.service, clock, logger: silentLogger });
  });
  afterEach(() => t.close());

  it('add: daily at 08:00 in the asker’s zone by default, confirming the schedule and the next run', async () => {
    const reply = await say('add immunotherapy AND liver metastases');
    expect(reply.visibility).toBe('private');
    expect(reply.notice).toBe(
      'Digest #1 added: “immunotherapy AND liver metastases”, every day at 08:00 (Europe/Berlin).\n' +
        'First digest Tue 10 Mar 2026, 08:00 CET, with the papers added to PubMed in the past day; after that, only what is new since the previous one, and nothing when nothing is new.',
    );
    const [sub] = await t.store.listAll();
    expect(sub).toMatchObject({
      place: { platform: 'slack', team: 'T0TEST', channel: 'C0TUMORBOARD' },
      createdBy: { id: 'U1', name: 'Dr Ada' },
      schedule: { cadence: 'daily', time: '08:00', timeZone: 'Europe/Berlin' },
      query: { term: 'immunotherapy AND liver metastases' },
    });
  });

  it('add: the issue’s example, and UTC when the request has no zone', async () => {
    const reply = await say('add immunotherapy AND liver metastases at 07:30 tz America/New_York weekdays');
    expect(reply.notice).toMatch(/every weekday \(Mon–Fri\) at 07:30 \(America\/New_York\)/);
    expect(reply.notice).toMatch(/First digest Tue 10 Mar 2026, 07:30 EDT/);
    await say('add melanoma weekly', { timeZone: undefined });
    const subs = await t.store.listAll();
    expect(subs[1]?.schedule).toEqual({ cadence: 'weekly', time: '08:00', timeZone: 'UTC', weekday: 1 });
  });

  it('add: clear messages for invalid times, unknown zones and duplicates', async () => {
    expect(errorOf(await say('add x at 25:61')).message).toBe('“25:61” is not a time of day.');
    expect(errorOf(await say('add x tz Europe/Atlantis')).message).toBe(
      '“Europe/Atlantis” is not a time zone I know.',
    );
    await say('add pembrolizumab at 07:30');
    expect(errorOf(await say('add pembrolizumab at 7:30')).message).toBe(
      'This channel already has that digest: #1, every day at 07:30 (Europe/Berlin).',
    );
    expect(await t.store.listAll()).toHaveLength(1);
  });

  it('list: this channel’s digests with id, query, schedule, next run and last result', async () => {
    expect((await say('list')).notice).toMatch(/no PubMed digests yet/);
    await say('add nsclc type:rct at 07:30 weekdays');
    await say('add other channel', { channel: 'C0ELSEWHERE' });
    const card = (await say('list')).cards[0] as HelpCard;
    expect(card.type).toBe('help');
    expect(card.sections).toEqual([
      {
        heading: '#1 · nsclc type:rct',
        lines: ['every weekday (Mon–Fri) at 07:30 (Europe/Berlin).', 'Next: Tue 10 Mar 2026, 07:30 CET.'],
      },
    ]);
  });

  it('remove, pause and resume act only on this channel’s ids', async () => {
    await say('add cholangiocarcinoma');
    expect(errorOf(await say('remove 1', { channel: 'C0ELSEWHERE' })).message).toBe(
      'This channel has no digest #1.',
    );
    expect(errorOf(await say('pause 42')).message).toBe('This channel has no digest #42.');

    expect((await say('pause 1')).notice).toMatch(/^Digest #1 paused/);
    expect((await t.store.get('1'))?.paused).toMatchObject({ by: 'user', userId: 'U1', userName: 'Dr Ada' });
    const listed = (await say('list')).cards[0] as HelpCard;
    expect(listed.sections[0]?.lines).toContain('Next: none while paused.');
    expect(listed.sections[0]?.lines.at(-1)).toMatch(/^Paused since Mon 9 Mar 2026 by Dr Ada/);

    expect((await say('resume 1')).notice).toBe(
      'Digest #1 resumed (“cholangiocarcinoma”). Next: Tue 10 Mar 2026, 08:00 CET.',
    );
    expect((await say('remove #1')).notice).toMatch(/^Digest #1 removed/);
    expect(await t.store.listAll()).toHaveLength(0);
  });

  it('preview: what would be posted now, privately, recording nothing', async () => {
    clock.set(Date.parse('2017-04-19T12:00:00Z'));
    await say('add phosphorylation cancer');
    const reply = (await say('preview 1')) as DigestReply;
    expect(reply.visibility).toBe('private');
    // The fake answers the edat window 2017/04/18–2017/04/19 from the recorded Entrez dates.
    expect(reply.digest.entries.map((e) => e.pmid)).toEqual(['28415597', '28412963']);
    expect(await t.store.sentAmong('1', ['28415597'])).toEqual(new Set());
    const bare = (await say('preview egfr')) as DigestReply;
    expect(bare.digest.subscriptionId).toBeUndefined();
    expect(bare.digest.count).toBe(2);
    clock.set(Date.parse('2026-03-09T12:00:00Z'));
    await say('add melanoma');
    expect((await say('preview 2')).notice).toMatch(/^Nothing new in PubMed for “melanoma” since 8 Mar 2026/);
  });

  it('outside a channel, and when the store is down, it says so instead of failing', async () => {
    expect(errorOf(await say('list', { platform: 'cli', channel: undefined })).message).toMatch(
      /work in a Slack or Teams channel/,
    );
    expect((await say('help')).cards[0]).toMatchObject({ type: 'help', title: 'PubMed digests' });
    await t.store.close();
    expect(errorOf(await say('list')).message).toBe(
      'Digest settings could not be reached just now; please try again in a minute.',
    );
  });
});
