// The assistant through the real graph: PubMed order, library merging and fallback, paging, notices,
// similar/share/cite and DOI lookups — fake E-utilities on 127.0.0.1, real library and cache on disk.

import { ARTICLE_STATUS_CAVEAT } from '../../src/core/caveats';
import type { ArticleCard, Reply } from '../../src/core/reply';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startTestGraph, type TestGraph } from '../support/graph';

let eutils: FakeEutils;
let graph: TestGraph;

const ask = (text: string, user = { id: 'U1', name: 'dr.house' }): Promise<Reply> =>
  graph.assistant.handle({ text, user, place: { platform: 'slack', team: 'T1', channel: 'C1' } });
const articles = (reply: Reply): ArticleCard[] =>
  reply.cards.filter((c): c is ArticleCard => c.type === 'article');

beforeAll(async () => {
  eutils = await startFakeEutils();
  graph = await startTestGraph({ eutilsUrl: eutils.url });
});
afterAll(async () => {
  await graph.close();
  await eutils.close();
});

it('pages through PubMed results with more cursors, never repeating a record', async () => {
  const all = [...eutils.records.keys()].slice(0, 12);
  eutils.setSearch('paging probe', all);
  const seen: string[] = [];
  let reply = await ask('paging probe');
  expect(reply.total).toBe(12);
  for (let page = 0; page < 3; page++) {
    seen.push(
      ...articles(reply)
        .filter((c) => c.source === 'pubmed')
        .map((c) => c.pmid),
    );
    if (!reply.more) break;
    reply = await ask(reply.more);
  }
  expect(seen).toEqual(all);
  expect(reply.more).toBeUndefined();
});

it('shows PubMed’s own warnings as notices', async () => {
  eutils.setSearch('melanoma xyzzyq', ['22663011']);
  eutils.setSearchExtras('melanoma xyzzyq', { phrasesNotFound: ['xyzzyq'] });
  const reply = await ask('melanoma xyzzyq');
  expect(reply.notice).toContain('xyzzyq');
  expect(articles(reply)[0]?.pmid).toBe('22663011');
});

it('says why a reply is empty', async () => {
  const reply = await ask('nothing matches this at all');
  expect(reply.cards).toEqual([]);
  expect(reply.notice).toContain('No PubMed records match “nothing matches this at all”.');
});

it('refuses a query PubMed rejects, quoting PubMed', async () => {
  eutils.setSearchExtras('bad ((( syntax', { error: 'Unbalanced parentheses' });
  const reply = await ask('bad ((( syntax');
  expect(reply.cards).toEqual([]);
  expect(reply.notice).toMatch(/^PubMed could not run this request: .*Unbalanced parentheses/);
});

it('adds library-only records after PubMed’s complete result set, de-duplicated', async () => {
  // PubMed knows only the METRIC trial for this query; the bundled library also holds it (same PMID).
  eutils.setSearch('trametinib melanoma', ['22663011']);
  const reply = await ask('trametinib melanoma');
  const pmids = articles(reply).map((c) => c.pmid);
  expect(pmids[0]).toBe('22663011');
  expect(pmids.filter((p) => p === '22663011')).toHaveLength(1);
  expect(articles(reply)[0]?.source).toBe('pubmed');
});

it('says how many library-only records joined PubMed’s page', async () => {
  // PubMed answers with another record; the bundled METRIC trial has every word and joins after it.
  const other = [...eutils.records.keys()].find((p) => p !== '22663011') as string;
  eutils.setSearch('braf trametinib melanoma', [other]);
  const reply = await ask('braf trametinib melanoma');
  expect(articles(reply).map((c) => [c.pmid, c.source])).toContainEqual(['22663011', 'library']);
  expect(reply.notice).toMatch(/^\d+ more from the local library\.\n/);
  // Library records joined the page, so the reply says their retraction status may be stale (issue 14).
  expect(reply.notice?.split('\n')[1]).toBe(ARTICLE_STATUS_CAVEAT);
});

it('an answer wholly from PubMed carries no status caveat', async () => {
  eutils.setSearch('caveat probe', ['22663011']);
  const fresh = await ask('caveat probe');
  expect(articles(fresh).every((c) => c.source === 'pubmed')).toBe(true);
  expect(fresh.notice ?? '').not.toContain('out of date');
});

it('resolves a DOI from the library without asking PubMed, and an unknown DOI through PubMed', async () => {
  const before = eutils.requests.filter((r) => r.utility === 'esearch').length;
  const local = await ask('https://doi.org/10.1056/NEJMoa1203421');
  expect(articles(local).map((c) => [c.pmid, c.detail])).toEqual([['22663011', 'full']]);
  expect(eutils.requests.filter((r) => r.utility === 'esearch').length).toBe(before);

  const unknown = await ask('10.9999/not-a-real-doi');
  expect(unknown.cards).toEqual([
    { type: 'error', message: 'PubMed has no record with DOI 10.9999/not-a-real-doi.' },
  ]);
});

it('similar lists PubMed’s neighbours by score, with paging', async () => {
  const ids = [...eutils.records.keys()].filter((p) => p !== '22663011').slice(0, 7);
  eutils.setLinks(
    '22663011',
    ids.map((id, i) => ({ id, score: 100 - i })),
  );
  const reply = await ask('similar 22663011');
  expect(articles(reply).map((c) => c.pmid)).toEqual(ids.slice(0, 5));
  expect(reply.notice).toBe('Similar to PMID 22663011.');
  const next = await ask(reply.more as string);
  expect(articles(next).map((c) => c.pmid)).toEqual(ids.slice(5, 7));
  // Numbering continues: page 2 starts at the 6th neighbour.
  expect(reply.first).toBeUndefined();
  expect(next.first).toBe(6);
});

it('similar whose neighbours PubMed cannot send says so, with no empty page and no More', async () => {
  // Neighbours ELink lists but EFetch does not hold (PMIDs absent from the fake's records). Each test asks
  // about a record of its own: ELink answers are cached per PMID.
  eutils.setLinks('11111101', [
    { id: '99999901', score: 9 },
    { id: '99999902', score: 8 },
  ]);
  const reply = await ask('similar 11111101');
  expect(reply.more).toBeUndefined();
  expect(reply.cards).toEqual([
    {
      type: 'error',
      message: 'PubMed lists 2 similar articles for PMID 11111101, but could not send these just now.',
      hint: 'Please try again in a minute.',
    },
  ]);
});

it('similar says how many of a page could not be loaded', async () => {
  const known = [...eutils.records.keys()].find((p) => p !== '22663011') as string;
  eutils.setLinks('11111102', [
    { id: known, score: 9 },
    { id: '99999903', score: 8 },
  ]);
  const reply = await ask('similar 11111102');
  expect(articles(reply).map((c) => c.pmid)).toEqual([known]);
  expect(reply.notice).toBe('Similar to PMID 11111102.\n1 of them could not be loaded from PubMed just now.');
});

it('a search page after the first numbers its cards on from the previous page', async () => {
  const ids = [...eutils.records.keys()].slice(0, 7);
  eutils.setSearch('numbering probe', ids);
  const first = await ask('numbering probe');
  expect(first.first).toBeUndefined();
  const second = await ask(first.more as string);
  expect(second.first).toBe(6);
});

it('share posts a summary card to the channel, naming who shared it', async () => {
  const reply = await ask('share 22663011');
  expect(reply.visibility).toBe('channel');
  expect(reply.sharedBy).toEqual({ id: 'U1', name: 'dr.house' });
  expect(articles(reply).map((c) => [c.pmid, c.detail])).toEqual([['22663011', 'summary']]);
});

it('cards carry their buttons as commands of the same grammar', async () => {
  const [card] = articles(await ask('share 22663011'));
  expect(card?.actions.map((a) => [a.id, a.command])).toEqual([
    ['abstract', 'show 22663011'],
    ['similar', 'similar 22663011'],
    ['cite', 'cite 22663011 ama'],
    ['trials', 'trial NCT01245062'],
    ['share', 'share 22663011'],
  ]);
  expect(card?.actions.find((a) => a.id === 'cite')?.options?.map((o) => o.command)).toEqual([
    'cite 22663011 ama',
    'cite 22663011 vancouver',
    'cite 22663011 apa',
    'cite 22663011 bibtex',
    'cite 22663011 ris',
  ]);
});

it('answers every bad input with a card, never an exception', async () => {
  for (const text of [
    'x'.repeat(1001),
    'type:bogus melanoma',
    'cite 22663011 harvard',
    'more garbage',
    'similar',
    'trial NCT1',
  ]) {
    const reply = await ask(text);
    expect(reply.cards[0]?.type).toBe('error');
  }
});
