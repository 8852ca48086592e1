// /paper answers that are at hand within the ack's wait travel in the ack itself: one private message, no
// "Searching…" above it, nothing at response_url. Slower lookups, and any while the loop is saturated, are
// acked at once and answered afterwards.

import type { KnownBlock } from '../../../adapters/slack/kit';
import { allTexts, checkBlocks } from './block-checker';
import { startHarness, type Harness } from './harness';
import { blockActionBody, paperCommand } from './slack-requests';

const QUERY = 'vemurafenib braf melanoma';
const PMIDS = ['22663011', '29768149', '27797938', '35649368', '28731372', '37167981'];
/** Long enough that a loaded CI machine still answers a cached search within it: the path under test is fixed. */
const WAIT_MS = 1000;

let h: Harness;
/** What the load gauge reports: the real one reads this process's event loop, which a test cannot steer. */
let saturated = false;

beforeAll(async () => {
  h = await startHarness({ app: { answerInAckMs: WAIT_MS, loadGauge: { busy: () => saturated } } });
  h.eutils.setSearch(QUERY, PMIDS);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
  h.eutils.delayMs = 0;
  saturated = false;
});

interface Message {
  response_type?: string;
  text?: string;
  blocks?: KnownBlock[];
  replace_original?: boolean;
}

async function command(text: string): Promise<{ status: number; ack: string; url: string }> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(paperCommand(text, url));
  return { status: posted.status, ack: posted.body, url };
}

/** A later button's answer at response_url (always sent there): what earlier commands sent has arrived. */
async function settle(): Promise<void> {
  const url = h.slack.responseUrl();
  await h.poster.post(
    blockActionBody({
      actionId: 'pb:cite',
      blockId: 'settle.0.a',
      value: 'cite 22663011 vancouver',
      kind: 'static_select',
      responseUrl: url,
    }),
  );
  await h.slack.nextResponse(url);
}

describe('an answer at hand', () => {
  it('is the ack itself: a private message with the cards, and nothing at response_url', async () => {
    const first = await command(QUERY);
    await h.slack.answerTo(first.url, first.ack);
    const again = await command(QUERY);
    expect(again.status).toBe(200);
    const message = JSON.parse(again.ack) as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(message.replace_original).toBeUndefined();
    expect(checkBlocks(message.blocks)).toEqual([]);
    const text = allTexts(message.blocks ?? []).join('\n');
    for (const pmid of PMIDS.slice(0, 5)) expect(text).toContain(`https://pubmed.ncbi.nlm.nih.gov/${pmid}/`);
    expect(message.text).toBe('Improved survival with MEK inhibition in BRAF-mutated melanoma.');
    await settle();
    expect(h.slack.responsesTo(again.url)).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('keeps its list for "Abstract", which expands that card in place', async () => {
    const { ack } = await command(QUERY);
    const blocks = (JSON.parse(ack) as Message).blocks ?? [];
    const actions = blocks.filter((b) => b.type === 'actions')[2];
    if (actions?.type !== 'actions') throw new Error('no third card');
    const button = actions.elements.find((e) => 'action_id' in e && e.action_id === 'pb:abstract');
    if (button?.type !== 'button') throw new Error('no Abstract button');
    const url = h.slack.responseUrl();
    await h.poster.post(
      blockActionBody({
        actionId: 'pb:abstract',
        blockId: String(actions.block_id),
        value: String(button.value),
        responseUrl: url,
      }),
    );
    const next = (await h.slack.nextResponse(url)).body as Message;
    expect(next.replace_original).toBe(true);
    const text = allTexts(next.blocks ?? []).join('\n');
    expect(text).toContain('Telomere shortening occurs as an early event in pancreatic tumorigenesis');
    expect(text).toContain('Improved survival with MEK inhibition in BRAF-mutated melanoma.');
  });

  it('answers bad input in the ack too, in words', async () => {
    const { ack } = await command('show 12ab');
    const message = JSON.parse(ack) as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(allTexts(message.blocks ?? []).join('\n')).toMatch(/PMID/);
  });

  it('never puts a share in the ack: the card goes to the channel as the bot, the ack shows nothing', async () => {
    const shared = await command('share 22663011');
    expect(shared.status).toBe(200);
    expect(shared.ack).toBe('');
    const posts = await h.slack.waitFor(() => {
      const calls = h.slack.callsTo('chat.postMessage');
      return calls.length > 0 ? calls : undefined;
    });
    expect(posts).toHaveLength(1);
    expect(allTexts(posts[0]?.params.blocks).join('\n')).toContain(
      'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
    );
    await settle();
    // Nothing to delete: no "Searching…" was shown.
    expect(h.slack.responsesTo(shared.url)).toEqual([]);
  });
});

describe('a saturated event loop', () => {
  it('acks at once even with the answer at hand, and answers through response_url', async () => {
    const first = await command(QUERY);
    await h.slack.answerTo(first.url, first.ack);
    saturated = true;
    const busy = await command(QUERY);
    expect(JSON.parse(busy.ack)).toEqual({
      response_type: 'ephemeral',
      text: `:mag: Searching PubMed for “${QUERY}”…`,
    });
    const answer = (await h.slack.nextResponse(busy.url)).body as Message;
    expect(answer.replace_original).toBe(true);
    expect(allTexts(answer.blocks ?? []).join('\n')).toContain('https://pubmed.ncbi.nlm.nih.gov/22663011/');
  });
});

describe('a lookup slower than the wait', () => {
  it('acks "Searching…" when the wait ends, then replaces it through response_url', async () => {
    h.eutils.setSearch('dabrafenib trametinib', PMIDS.slice(1));
    h.eutils.delayMs = WAIT_MS + 500;
    const slow = await command('dabrafenib trametinib');
    expect(JSON.parse(slow.ack)).toEqual({
      response_type: 'ephemeral',
      text: ':mag: Searching PubMed for “dabrafenib trametinib”…',
    });
    const answer = (await h.slack.nextResponse(slow.url, 10_000)).body as Message;
    expect(answer.replace_original).toBe(true);
    // PubMed outlasts the test graph's deadline too: the library answers, and says so.
    expect(allTexts(answer.blocks ?? []).join('\n')).toMatch(
      /did not answer in time[\s\S]*pubmed\.ncbi\.nlm\.nih\.gov\/\d+\//,
    );
  });
});
