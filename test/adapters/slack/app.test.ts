// End to end over real HTTP: signed /paper commands and button presses built from recorded Slack payloads,
// the real core against the fake NCBI, answers captured at response_url and at the fake Slack Web API.

import fs from 'node:fs';
import path from 'node:path';
import type { KnownBlock } from '../../../adapters/slack/kit';
import { allTexts, checkBlocks } from './block-checker';
import { startHarness, type Harness } from './harness';
import { blockActionBody, paperCommand, slackFixtureJson, type ButtonPress } from './slack-requests';

const QUERY = 'immunotherapy liver metastases';
const PMIDS = ['22663011', '29768149', '27797938', '35649368', '28731372', '37167981', '38048813'];
// Titles as recorded in test/fixtures/ncbi (sub/sup as plain text, <i> as Slack italics).
const TITLES: Record<string, string> = {
  '22663011': 'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
  '29768149': 'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.',
  '27797938':
    'Leucocyte telomere length, genetic variants at the _TERT_ gene region and risk of pancreatic cancer.',
  '35649368':
    'Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.',
  '28731372':
    'Exploring the effect of vitamin D₃ supplementation on the anti-EBV antibody response in relapsing-remitting multiple sclerosis.',
  '38048813': '[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus].',
};
const recorded = slackFixtureJson<{ slashCommandWithArgs: Record<string, string> }>(
  'vercel_slash_command_and_view_submission.json',
).slashCommandWithArgs;
const recordedAction = slackFixtureJson<{
  action: { user: { id: string }; channel: { id: string; name: string } };
}>('vercel_block_actions_button_select_radio_reaction.json').action;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.eutils.setSearch(QUERY, PMIDS);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
});

type Captured = {
  replace_original?: boolean;
  delete_original?: boolean;
  response_type?: string;
  text?: string;
  blocks?: KnownBlock[];
};

async function answerAt(url: string): Promise<Captured> {
  return (await h.slack.waitFor(() => h.slack.responsesTo(url)[0])).body as Captured;
}

function textOf(message: Captured): string {
  return allTexts(message.blocks ?? []).join('\n');
}

function element(
  blocks: KnownBlock[] | undefined,
  actionId: string,
  card = 0,
): { blockId: string; value: string; options?: string[] } {
  const block = (blocks ?? []).filter((b) => b.type === 'actions')[card];
  if (block?.type !== 'actions') throw new Error(`no actions block ${card}`);
  const found = block.elements.find((e) => 'action_id' in e && e.action_id === actionId);
  if (!found) throw new Error(`no ${actionId} in card ${card}`);
  if (found.type === 'button') return { blockId: String(block.block_id), value: String(found.value) };
  if (found.type === 'static_select')
    return {
      blockId: String(block.block_id),
      value: '',
      options: (found.options ?? []).map((o) => String(o.value)),
    };
  throw new Error('unexpected element');
}

async function search(): Promise<{ url: string; message: Captured }> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(paperCommand(QUERY, url));
  expect(posted.status).toBe(200);
  return { url, message: await answerAt(url) };
}

async function press(p: Omit<ButtonPress, 'responseUrl'>): Promise<{ url: string; status: number }> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(blockActionBody({ ...p, responseUrl: url }));
  return { url, status: posted.status };
}

describe('/paper', () => {
  it('acks at once with a private "Searching PubMed for …", then replaces it with the cards', async () => {
    const url = h.slack.responseUrl();
    const posted = await h.poster.post(paperCommand(QUERY, url));
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.body)).toEqual({
      response_type: 'ephemeral',
      text: `:mag: Searching PubMed for “${QUERY}”…`,
    });
    const message = await answerAt(url);
    expect(message.replace_original).toBe(true);
    expect(message.response_type).toBe('ephemeral');
    expect(checkBlocks(message.blocks)).toEqual([]);
    const text = textOf(message);
    for (const pmid of PMIDS.slice(0, 5))
      expect(text).toContain(`*<https://pubmed.ncbi.nlm.nih.gov/${pmid}/|${TITLES[pmid] ?? ''}`);
    expect(text).not.toContain(TITLES['38048813']);
    expect(text).toContain('7 results');
    expect(message.text).toBe(TITLES['22663011']);
    // Only the asker saw anything: nothing was posted to the channel.
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('also answers the recorded botbuilder slash command body (help for empty text)', async () => {
    const url = h.slack.responseUrl();
    const body = new URLSearchParams(
      fs.readFileSync(path.join(__dirname, '../../fixtures/slack/slash_command_body.txt'), 'utf8'),
    );
    body.set('command', '/paper');
    body.set('response_url', url);
    const posted = await h.poster.post(body.toString());
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.body).text).toBe(':mag: Opening paperbot help…');
    const message = await answerAt(url);
    expect(message.blocks?.[0]).toMatchObject({ type: 'header' });
    expect(textOf(message)).toContain('pembrolizumab nsclc type:rct since:2020 sort:date');
  });

  it('share <pmid> posts exactly one public card, as the bot, shared by the user, and clears the ack', async () => {
    const url = h.slack.responseUrl();
    await h.poster.post(paperCommand('share 22663011', url));
    const answer = await answerAt(url);
    expect(answer).toEqual({ delete_original: true });
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.token).toBe(h.graph.config.slack?.botToken);
    expect(posts[0]?.params.channel).toBe(recorded.channel_id);
    expect(posts[0]?.params.unfurl_links).toBe('false');
    const blocks = posts[0]?.params.blocks as KnownBlock[];
    expect(checkBlocks(blocks)).toEqual([]);
    expect(allTexts(blocks)[0]).toBe(`:busts_in_silhouette: Shared by <@${recorded.user_id}>`);
    expect(allTexts(blocks).join('\n')).toContain(TITLES['22663011']);
  });
});

describe('buttons', () => {
  it('Abstract expands that card in place, keeping the rest of the list', async () => {
    const { message } = await search();
    const abstract = element(message.blocks, 'pb:abstract', 2);
    expect(abstract.value).toBe('show 27797938');
    const pressed = await press({ actionId: 'pb:abstract', ...abstract });
    expect(pressed.status).toBe(200);
    const next = await answerAt(pressed.url);
    expect(next.replace_original).toBe(true);
    const text = textOf(next);
    // From the recorded abstract of 27797938 (OBJECTIVE section).
    expect(text).toContain(
      '*OBJECTIVE*  Telomere shortening occurs as an early event in pancreatic tumorigenesis',
    );
    expect(text).toContain(TITLES['22663011']);
    expect(text).toContain(TITLES['28731372']);
    expect(checkBlocks(next.blocks)).toEqual([]);
  });

  it('Abstract on a list it no longer knows opens the card below instead', async () => {
    const pressed = await press({ actionId: 'pb:abstract', blockId: 'gone1234.0.a', value: 'show 35649368' });
    const next = await answerAt(pressed.url);
    expect(next.replace_original).toBe(false);
    expect(textOf(next)).toContain('Overcoming resistance to chemotherapies remains a major unmet need');
  });

  it('Next 5 replaces the page with the next one', async () => {
    const { message } = await search();
    const more = element(message.blocks, 'pb:more', 5);
    expect(more.value).toMatch(/^more /);
    const next = await answerAt((await press({ actionId: 'pb:more', ...more })).url);
    expect(next.replace_original).toBe(true);
    const text = textOf(next);
    expect(text).toContain(TITLES['38048813']);
    expect(text).not.toContain(TITLES['22663011']);
  });

  it('Cite posts the chosen format privately as a new message', async () => {
    const { message } = await search();
    const cite = element(message.blocks, 'pb:cite', 0);
    expect(cite.options).toContain('cite 22663011 vancouver');
    const pressed = await press({
      actionId: 'pb:cite',
      blockId: cite.blockId,
      value: 'cite 22663011 vancouver',
      kind: 'static_select',
    });
    const next = await answerAt(pressed.url);
    expect(next.replace_original).toBe(false);
    expect(next.response_type).toBe('ephemeral');
    const text = textOf(next);
    expect(text).toContain(
      'Vancouver citation for <https://pubmed.ncbi.nlm.nih.gov/22663011/|PMID 22663011>',
    );
    expect(text).toMatch(/```.*Improved survival with MEK inhibition in BRAF-mutated melanoma/s);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('Similar adds a private list of PubMed neighbours', async () => {
    h.eutils.setLinks('22663011', [
      { id: '35649368', score: 90 },
      { id: '27797938', score: 80 },
    ]);
    const { message } = await search();
    const similar = element(message.blocks, 'pb:similar', 0);
    const next = await answerAt((await press({ actionId: 'pb:similar', ...similar })).url);
    expect(next.replace_original).toBe(false);
    const text = textOf(next);
    expect(text).toContain('Similar to PMID 22663011');
    expect(text).toContain(TITLES['35649368']);
  });

  it('Trials opens the linked ClinicalTrials.gov record', async () => {
    const study = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '../../fixtures/clinicaltrials/v2_study_NCT02576665_fields.json'),
        'utf8',
      ),
    ) as {
      protocolSection: { identificationModule: { nctId: string; briefTitle: string } };
    };
    // 22663011's DataBankList links NCT01245062; serve a recorded study under that id.
    study.protocolSection.identificationModule.nctId = 'NCT01245062';
    h.ctgov.addStudy(study);
    const { message } = await search();
    const trials = element(message.blocks, 'pb:trials', 0);
    expect(trials.value).toBe('trial NCT01245062');
    const next = await answerAt((await press({ actionId: 'pb:trials', ...trials })).url);
    expect(next.replace_original).toBe(false);
    expect(textOf(next)).toContain('NCT01245062 — A Study of Toca 511, a Retroviral Replicating Vector');
  });

  it('Share to channel posts one public card and nothing to response_url', async () => {
    const { message } = await search();
    const share = element(message.blocks, 'pb:share', 1);
    expect(share.value).toBe('share 29768149');
    const pressed = await press({ actionId: 'pb:share', ...share });
    const post = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.channel).toBe(recordedAction.channel.id);
    expect(allTexts(post.params.blocks)[0]).toBe(
      `:busts_in_silhouette: Shared by <@${recordedAction.user.id}>`,
    );
    expect(allTexts(post.params.blocks).join('\n')).toContain(TITLES['29768149']);
    // Let any stray answer arrive: a later command's answer comes after it, on the same server.
    await search();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.slack.responsesTo(pressed.url)).toEqual([]);
  });

  it('a follow-up from a shared (public) card is a new private message, never a replacement', async () => {
    const pressed = await press({
      actionId: 'pb:more',
      blockId: 'm.more',
      value: 'similar 22663011',
      ephemeral: false,
    });
    const next = await answerAt(pressed.url);
    expect(next.replace_original).toBe(false);
    expect(next.response_type).toBe('ephemeral');
  });
});
