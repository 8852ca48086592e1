// Signals in real answers: the core graph built from config, fake PubMed and fake Europe PMC, Unpaywall and
// Crossref on 127.0.0.1 serving recorded answers. Signals run alongside the PubMed fetch, a slow or failing
// service never delays or breaks a reply, sort:cited orders the page, and `off` means no traffic at all.

import { renderReply as renderCli } from '../../adapters/cli/render';
import { signalParts } from '../../src/core/present/signals';
import type { ArticleCard, Reply } from '../../src/core/reply';
import { CITED_SORT_NOTICE, CITED_SORT_UNAVAILABLE } from '../../src/core/wording';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startTestGraph, type TestGraph, type TestGraphOptions } from '../support/graph';
import { readSignalFixture } from '../peers/signal-fixtures';
import { startPeers, resetPeers, type Peers } from './harness';

let eutils: FakeEutils;
let peers: Peers;
const graphs: TestGraph[] = [];

// Two recorded PubMed records, each given a recorded Europe PMC result (39 and 4 citations), and the first
// one's DOI the recorded Unpaywall (hybrid) and Crossref (correction) answers.
const NEJM = '22663011';
const NEJM_DOI = '10.1056/NEJMoa1203421';
const OTHER = '35830032';
const OTHER_DOI = '10.1590/S0004-2803.202202000-40';
// A third record whose DOI Crossref says was retracted: the recorded correction with its type changed (no
// recorded Crossref retraction exists).
const RETRACTED = '37167981';
const RETRACTED_DOI = '10.1088/1361-6560/acd48e';

function retractionBody(): string {
  const body = JSON.parse(
    readSignalFixture('crossref', 'crossref-works-10.1371_journal.pone.0033693-updated-by-correction.json'),
  ) as { message: { 'updated-by': { type: string; label: string }[] } };
  for (const u of body.message['updated-by']) Object.assign(u, { type: 'retraction', label: 'Retraction' });
  return JSON.stringify(body);
}

beforeAll(async () => {
  eutils = await startFakeEutils();
  peers = await startPeers();
  peers.epmc.answerAs(NEJM, '32081490', { doi: NEJM_DOI });
  peers.epmc.answerAs(OTHER, '36457512', { doi: OTHER_DOI });
  peers.epmc.listAs(NEJM, 'references', '28815688');
  peers.unpaywall.serveAs(NEJM_DOI, '10.1016/j.addr.2015.01.008');
  peers.crossref.serveAs(NEJM_DOI, '10.1371/journal.pone.0033693');
  peers.crossref.serveAs(OTHER_DOI, '10.1371/journal.pone.0173707'); // registered its preprint
  peers.epmc.answerAs(RETRACTED, '19142183', { doi: RETRACTED_DOI });
  peers.crossref.serveBody(RETRACTED_DOI, retractionBody());
  eutils.setSearch('signals probe', [OTHER, NEJM]);
  eutils.setSearch('signals warm-up', ['37729413']);
});
// Each test's graphs close with it, so no background round of one test lands among the next one's requests.
afterEach(async () => {
  await Promise.all(graphs.splice(0).map((g) => g.close()));
});
afterAll(async () => {
  await peers.close();
  await eutils.close();
});
beforeEach(() => {
  resetPeers(peers);
  eutils.delayMs = 0;
});

async function graph(
  env: Record<string, string> = {},
  o: Partial<TestGraphOptions> = {},
): Promise<TestGraph> {
  const g = await startTestGraph({
    eutilsUrl: eutils.url,
    europepmcUrl: peers.epmc.url,
    unpaywallUrl: peers.unpaywall.url,
    crossrefUrl: peers.crossref.url,
    env,
    ...o,
  });
  graphs.push(g);
  return g;
}

const ask = (g: TestGraph, text: string): Promise<Reply> =>
  g.assistant.handle({ text, user: { id: 'U1' }, place: { platform: 'cli' } });
const articles = (reply: Reply): ArticleCard[] =>
  reply.cards.filter((c): c is ArticleCard => c.type === 'article');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function timed(work: Promise<Reply>): Promise<{ reply: Reply; ms: number }> {
  const started = performance.now();
  const reply = await work;
  return { reply, ms: performance.now() - started };
}

it('puts the signal line on the cards of a search, asked alongside the PubMed fetch', async () => {
  // An API key: NCBI's 10 requests a second, so the warm-up's two requests do not hold back the measured two.
  const g = await graph({ NCBI_API_KEY: 'signalstest0123456789' });
  // A first answer loads what a process loads once (parsers, connections): not what is measured here.
  await ask(g, 'signals warm-up');
  eutils.delayMs = 300;
  for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.delayMs = 300;
  const since = Date.now();
  const { reply, ms } = await timed(ask(g, 'signals probe'));
  // esearch, then efetch and Europe PMC side by side: two round trips, not three.
  expect(ms).toBeLessThan(3 * 300);
  const [other, nejm] = articles(reply);
  expect([other?.pmid, nejm?.pmid]).toEqual([OTHER, NEJM]);
  expect(nejm?.signals?.citedBy).toMatchObject({ service: 'europepmc', count: 39 });
  expect(signalParts(other ?? { signals: undefined })).toEqual([
    { text: 'Cited by 4', url: 'https://europepmc.org/search?query=CITES%3A35830032_MED' },
    { text: 'Open access (PMC)', url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC9706001/' },
  ]);
  const efetch = eutils.requests.find((r) => r.utility === 'efetch' && r.at >= since);
  // One Europe PMC request for the whole page, sent with the efetch (not after its answer).
  const searches = peers.epmc.requests.filter((r) => r.path === '/search' && r.at >= since);
  expect(searches).toHaveLength(1);
  expect(searches[0]?.at).toBeLessThan((efetch?.at ?? 0) + 100);
  expect(nejm?.actions.map((a) => a.id)).toContain('cited-by');
});

it('shows Unpaywall and Crossref on the next answer once their DOIs are known', async () => {
  const g = await graph();
  await ask(g, 'signals probe');
  await sleep(100);
  const nejm = articles(await ask(g, `show ${NEJM}`))[0];
  expect(signalParts(nejm ?? { signals: undefined }).map((p) => p.text)).toEqual([
    'Cited by 39',
    'Open access (hybrid)',
    'Publisher correction 2012',
  ]);
  expect(renderCli(await ask(g, `show ${NEJM}`), { color: false, width: 100 })).toContain(
    'Cited by 39 · Open access (hybrid) · Publisher correction 2012',
  );
});

it('links the preprint a publisher registered with Crossref', async () => {
  const g = await graph();
  await ask(g, 'signals probe');
  await sleep(100);
  const reply = await ask(g, `show ${OTHER}`);
  expect(signalParts(articles(reply)[0] ?? { signals: undefined })).toEqual([
    { text: 'Cited by 4', url: 'https://europepmc.org/search?query=CITES%3A35830032_MED' },
    { text: 'Open access (PMC)', url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC9706001/' },
    { text: 'Preprint version', url: 'https://doi.org/10.1101/074898' },
  ]);
  expect(renderCli(reply, { color: false, width: 100 })).toContain(
    'Cited by 4 · Open access (PMC) · Preprint version',
  );
  expect(peers.crossref.requests.map((r) => r.path)).toContain(`/works/${OTHER_DOI.toLowerCase()}`);
});

it('a publisher retraction found by Crossref heads the card and travels into the citation', async () => {
  const g = await graph();
  const card = articles(await ask(g, `show ${RETRACTED}`))[0];
  expect(card?.retracted).toBe(true);
  const text = renderCli(await ask(g, `show ${RETRACTED}`), { color: false, width: 200 });
  expect(text).toContain(
    'RETRACTED — this article has been retracted. Retraction notice: Publisher notice via Crossref, 2012',
  );
  const cite = await ask(g, `cite ${RETRACTED} vancouver`);
  expect(cite.cards[0]).toMatchObject({
    type: 'citation',
    text: expect.stringContaining(
      'Retraction in: Publisher notice via Crossref, 2012, doi:10.1371/annotation/',
    ),
  });
});

it('sort:cited orders the page by citation count and says so', async () => {
  const g = await graph();
  const reply = await ask(g, 'signals probe sort:cited');
  expect(articles(reply).map((c) => c.pmid)).toEqual([NEJM, OTHER]);
  expect(reply.notice).toContain(CITED_SORT_NOTICE);
});

it('sort:cited without signals keeps the relevance order and says why', async () => {
  const g = await graph({}, { europepmcUrl: 'off', unpaywallUrl: 'off', crossrefUrl: 'off' });
  const reply = await ask(g, 'signals probe sort:cited');
  expect(articles(reply).map((c) => c.pmid)).toEqual([OTHER, NEJM]);
  expect(reply.notice).toContain(CITED_SORT_UNAVAILABLE);
});

it('a signal service slower than the deadline never delays the reply past it', async () => {
  const g = await graph({ PAPERBOT_SIGNALS_DEADLINE_MS: '200' });
  eutils.delayMs = 50;
  for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.delayMs = 3000;
  const { reply, ms } = await timed(ask(g, 'signals probe'));
  expect(ms).toBeLessThan(50 + 200 + 150);
  expect(articles(reply)).toHaveLength(2);
  expect(articles(reply).every((c) => c.signals === undefined)).toBe(true);
  const text = renderCli(reply, { color: false, width: 100 });
  expect(text).toContain(`PMID ${NEJM}`);
  expect(text).not.toContain('Cited by');
});

it.each([
  ['HTTP 500', { kind: 'status', status: 500 } as const],
  ['garbage', { kind: 'garbage' } as const],
  ['a reset', { kind: 'reset' } as const],
])('a signal service answering %s leaves the cards without its signals', async (_name, failure) => {
  const g = await graph();
  for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.always(failure);
  const reply = await ask(g, 'signals probe');
  expect(articles(reply).map((c) => c.pmid)).toEqual([OTHER, NEJM]);
  expect(articles(reply).every((c) => c.signals === undefined)).toBe(true);
  expect(renderCli(reply, { color: false, width: 100 })).not.toContain('Cited by');
});

/** Until the background rounds of earlier tests have stopped reaching the peers, then a clean log. */
async function quiet(): Promise<void> {
  const count = (): number =>
    peers.epmc.requests.length + peers.unpaywall.requests.length + peers.crossref.requests.length;
  for (let last = -1; count() !== last;) {
    last = count();
    await sleep(500);
  }
  resetPeers(peers);
}

it('off means no request at all, and no budget', async () => {
  const g = await graph({}, { europepmcUrl: 'off', unpaywallUrl: 'off', crossrefUrl: 'off' });
  expect(g.budgets.map((b) => b.name)).toEqual(['ncbi', 'ctgov']);
  await quiet();
  await ask(g, 'signals probe');
  await ask(g, `show ${NEJM}`);
  await ask(g, `cite ${NEJM} ama`);
  await sleep(50);
  expect([peers.epmc, peers.unpaywall, peers.crossref].map((p) => p.requests.length)).toEqual([0, 0, 0]);
});

it('Unpaywall is off without a contact e-mail; the others still answer', async () => {
  const g = await graph({ NCBI_EMAIL: '' });
  await quiet();
  await ask(g, `show ${NEJM}`);
  await sleep(100);
  expect(peers.unpaywall.requests).toHaveLength(0);
  expect(peers.epmc.requests.length).toBeGreaterThan(0);
  expect(peers.crossref.requests.length).toBeGreaterThan(0);
  expect(peers.crossref.requests.every((r) => r.params.mailto === undefined)).toBe(true);
});

it('cited-by lists the works citing an article from Europe PMC, paged', async () => {
  const g = await graph();
  const reply = await ask(g, 'cited-by 24073682');
  expect(reply.notice).toContain('1,257 works cite PMID 24073682 (Europe PMC).');
  expect(reply.more).toMatch(/^more /);
  // Earlier tests' background rounds may still arrive, so the requests are found, not taken by position.
  expect(peers.epmc.requests.map((r) => r.path)).toContain('/MED/24073682/citations');
  // The citing works are asked of PubMed by their PMIDs (the fake has no record for them).
  const efetches = eutils.requests.filter((r) => r.utility === 'efetch');
  expect(efetches.some((r) => String(r.params.id).includes('42601793'))).toBe(true);
});

it('the References button on a card opens the reference list Europe PMC holds', async () => {
  const g = await graph();
  await ask(g, `show ${NEJM}`);
  await sleep(100);
  const nejm = articles(await ask(g, `show ${NEJM}`))[0];
  expect(nejm?.signals?.references).toEqual({ service: 'europepmc' });
  const press = nejm?.actions.find((a) => a.id === 'references');
  expect(press).toEqual({ id: 'references', label: 'References', command: `references ${NEJM}` });
  // A press sends the button's command, as a Slack or Teams button does.
  const reply = await ask(g, press?.command ?? '');
  expect(reply.notice).toContain(`PMID ${NEJM} cites 40 works (Europe PMC).`);
  expect(peers.epmc.requests.map((r) => r.path)).toContain(`/MED/${NEJM}/references`);
});

it('cited-by without Europe PMC says it is not available', async () => {
  const g = await graph({}, { europepmcUrl: 'off' });
  const reply = await ask(g, 'cited-by 24073682');
  expect(reply.cards[0]).toMatchObject({ type: 'error' });
});
