// The References button end to end in Slack: a signed /paper command, the card's button built from the
// Europe PMC signal, its press (the recorded block_actions payload) reaching the list at the fake Europe PMC.

import type { KnownBlock } from '../../adapters/slack/kit';
import { startFakeEuropePmc, type FakeEuropePmc } from '../peers/europepmc';
import { startHarness, type Harness } from '../adapters/slack/harness';
import { blockActionBody, paperCommand } from '../adapters/slack/slack-requests';

// A recorded PubMed record, given a recorded Europe PMC result (hasReferences "Y") and its recorded
// reference page (40 references): the recorded PubMed and Europe PMC fixtures share no article.
const PMID = '22663011';

let h: Harness;
let epmc: FakeEuropePmc;

beforeAll(async () => {
  epmc = await startFakeEuropePmc();
  epmc.answerAs(PMID, '32081490');
  epmc.listAs(PMID, 'references', '28815688');
  h = await startHarness({
    graph: { europepmcUrl: epmc.url, unpaywallUrl: 'off', crossrefUrl: 'off' },
  });
});
afterAll(async () => {
  await h.close();
  await epmc.close();
});

type Captured = { blocks?: KnownBlock[]; text?: string };

async function answerAt(url: string): Promise<Captured> {
  return (await h.slack.waitFor(() => h.slack.responsesTo(url)[0])).body as Captured;
}

function button(blocks: KnownBlock[] | undefined, actionId: string): { blockId: string; value: string } {
  for (const block of blocks ?? []) {
    if (block.type !== 'actions') continue;
    const found = block.elements.find((e) => 'action_id' in e && e.action_id === actionId);
    if (found?.type === 'button') return { blockId: String(block.block_id), value: String(found.value) };
  }
  throw new Error(`no ${actionId} button`);
}

it('a card Europe PMC holds references for has a References button whose press lists them', async () => {
  const url = h.slack.responseUrl();
  await h.poster.post(paperCommand(`show ${PMID}`, url));
  const card = await answerAt(url);
  const references = button(card.blocks, 'pb:references');
  expect(references.value).toBe(`references ${PMID}`);
  // "Cited by" (39 recorded citations) comes first, as on every platform.
  const ids = (card.blocks ?? []).flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [],
  );
  expect(ids.indexOf('pb:references')).toBe(ids.indexOf('pb:cited-by') + 1);

  const pressedAt = h.slack.responseUrl();
  const pressed = await h.poster.post(
    blockActionBody({ actionId: 'pb:references', ...references, responseUrl: pressedAt }),
  );
  expect(pressed.status).toBe(200);
  const list = await answerAt(pressedAt);
  expect(JSON.stringify(list)).toContain(`PMID ${PMID} cites 40 works (Europe PMC).`);
  expect(epmc.requests.map((r) => r.path)).toContain(`/MED/${PMID}/references`);
});
