// Events API: link_shared → chat.unfurl with compact reference cards; app_home_opened → views.publish.
// Envelopes come from the recorded event_callback (vercel/chat fixture) with the event swapped in.

import type { KnownBlock } from '../../../adapters/slack/kit';
import { allTexts, checkBlocks } from './block-checker';
import { startHarness, type Harness } from './harness';
import { paperCommand, slackFixtureJson } from './slack-requests';

type Envelope = { team_id: string; api_app_id: string; event: Record<string, unknown>; type: string };
const recordedEnvelope = slackFixtureJson<{ mention: Envelope }>('vercel_app_mention_channel.json').mention;

function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({ ...recordedEnvelope, event, event_id: 'Ev0PAPERBOT1', event_time: 1767326125 });
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.eutils.setSearch('PMC5771820[pmcid]', ['28775130']);
  h.eutils.setSearch('"10.1056/NEJMoa1203421"[aid]', ['22663011']);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
});

describe('link unfurls', () => {
  // The event's shape follows Slack's documented link_shared example (api.slack.com/events/link_shared).
  const links = [
    { domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/35649368/' },
    { domain: 'ncbi.nlm.nih.gov', url: 'https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5771820/' },
    { domain: 'doi.org', url: 'https://doi.org/10.1056/NEJMoa1203421' },
    { domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/?term=melanoma' },
    { domain: 'example.com', url: 'https://example.com/35649368' },
  ];

  it('turns PubMed, PMC and DOI links into compact cards in one chat.unfurl', async () => {
    const posted = await h.poster.post(
      eventBody({
        type: 'link_shared',
        channel: 'C00FAKECHAN1',
        is_bot_user_member: true,
        user: 'U00FAKEUSER1',
        message_ts: '1767326125.870439',
        unfurl_id: 'C00FAKECHAN1.1767326125.870439.1b90fa1278528ce6e2f6c5c2bfa1abc9',
        source: 'conversations_history',
        links,
        event_ts: '1767326125.870439',
      }),
      { json: true },
    );
    expect(posted.status).toBe(200);
    const call = await h.slack.waitFor(() => h.slack.callsTo('chat.unfurl')[0]);
    expect(call.token).toBe(h.graph.config.slack?.botToken);
    expect(call.params.unfurl_id).toBe('C00FAKECHAN1.1767326125.870439.1b90fa1278528ce6e2f6c5c2bfa1abc9');
    expect(call.params.source).toBe('conversations_history');
    const unfurls = call.params.unfurls as Record<string, { blocks: KnownBlock[] }>;
    expect(Object.keys(unfurls).sort()).toEqual([links[2]?.url, links[1]?.url, links[0]?.url].sort());
    const expected: Record<string, string> = {
      [links[0]?.url ?? '']: 'Fatty acid oxidation protects cancer cells from apoptosis',
      [links[1]?.url ?? '']: 'Occupational pesticide exposure and subclinical hypothyroidism',
      [links[2]?.url ?? '']: 'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
    };
    for (const [url, unfurl] of Object.entries(unfurls)) {
      expect(checkBlocks(unfurl.blocks)).toEqual([]);
      expect(unfurl.blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(allTexts(unfurl.blocks).join('\n')).toContain(expected[url]);
    }
    // The recorded 35649368 has an erratum: the unfurl says so.
    expect(allTexts(unfurls[links[0]?.url ?? '']?.blocks).join('\n')).toContain('*Erratum*');
  });

  it('leaves links it cannot resolve alone (no chat.unfurl at all)', async () => {
    const done = h.slack.responseUrl();
    await h.poster.post(
      eventBody({
        type: 'link_shared',
        channel: 'C00FAKECHAN1',
        user: 'U00FAKEUSER1',
        message_ts: '1767326125.870440',
        links: [links[3], links[4]],
        event_ts: '1767326125.870440',
      }),
      { json: true },
    );
    // A later command's answer shows the event has been processed.
    h.eutils.setSearch('melanoma', ['22663011']);
    await h.poster.post(paperCommand('melanoma', done));
    await h.slack.waitFor(() => h.slack.responsesTo(done)[0]);
    expect(h.slack.callsTo('chat.unfurl')).toEqual([]);
  });
});

describe('App Home', () => {
  it('publishes how to use paperbot, with the core help as examples', async () => {
    const posted = await h.poster.post(
      eventBody({
        type: 'app_home_opened',
        user: 'U00FAKEUSER1',
        channel: 'D00FAKEDM01',
        tab: 'home',
        event_ts: '1767326125.870441',
      }),
      { json: true },
    );
    expect(posted.status).toBe(200);
    const call = await h.slack.waitFor(() => h.slack.callsTo('views.publish')[0]);
    expect(call.params.user_id).toBe('U00FAKEUSER1');
    const view = call.params.view as { type: string; blocks: KnownBlock[] };
    expect(view.type).toBe('home');
    expect(checkBlocks(view.blocks, { maxBlocks: 100 })).toEqual([]);
    const text = allTexts(view.blocks).join('\n');
    expect(text).toContain('/paper immunotherapy liver metastases');
    expect(text).toContain('/invite @paperbot');
    expect(text).toContain('pembrolizumab nsclc type:rct since:2020 sort:date');
  });

  it('ignores the Messages tab', async () => {
    await h.poster.post(
      eventBody({
        type: 'app_home_opened',
        user: 'U00FAKEUSER1',
        channel: 'D00FAKEDM01',
        tab: 'messages',
        event_ts: '1767326125.870442',
      }),
      { json: true },
    );
    await h.poster.post(
      eventBody({
        type: 'app_home_opened',
        user: 'U00FAKEUSER2',
        channel: 'D00FAKEDM02',
        tab: 'home',
        event_ts: '1767326125.870443',
      }),
      { json: true },
    );
    const call = await h.slack.waitFor(() => h.slack.callsTo('views.publish')[0]);
    expect(call.params.user_id).toBe('U00FAKEUSER2');
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);
  });
});
