// `map <query>` through the whole core graph (real config, cache, budget and client) to the fake
// E-utilities: one map card whose numbers are PubMed's, a failed count shown as unknown and named, offline
// and total failure answered in words.

import type { MapCard, Reply } from '../../src/core/reply';
import { unavailableSourceIn } from '../../src/core/wording';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startTestGraph, type TestGraph } from '../support/graph';
import { countFor, LEVEL_COUNTS, TOTAL_COUNT } from './terms';

let eutils: FakeEutils;
let graph: TestGraph;

beforeAll(async () => {
  eutils = await startFakeEutils();
  graph = await startTestGraph({ eutilsUrl: eutils.url, env: { NCBI_API_KEY: 'testkey0123456789' } });
});
afterAll(async () => {
  await graph.close();
  await eutils.close();
});
beforeEach(() => {
  eutils.reset();
  eutils.setCounts(countFor);
});

const ask = (text: string): Promise<Reply> =>
  graph.assistant.handle({ text, user: { id: 'u1' }, place: { platform: 'cli' } });

function mapOf(reply: Reply): MapCard {
  const [card] = reply.cards;
  if (card?.type !== 'map') throw new Error(`expected a map card, got ${JSON.stringify(reply.cards)}`);
  return card;
}

it('answers one map card with PubMed’s counts and the search behind each', async () => {
  const card = mapOf(await ask('map braf melanoma since:2024'));
  expect(card.total).toMatchObject({ count: TOTAL_COUNT, countText: '23,456' });
  expect(card.levels.map((l) => l.count)).toEqual(Object.values(LEVEL_COUNTS));
  const thisYear = new Date().getUTCFullYear();
  expect(card.years.map((y) => y.year)).toEqual(
    Array.from({ length: thisYear - 2024 + 1 }, (_, i) => 2024 + i),
  );
  for (const c of [card.total, ...card.levels, ...card.years])
    expect(c.url).toBe(`https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent(c.search)}`);
  expect(card.notes).toContain(`${thisYear} is the year so far.`);
});

it('shows a count PubMed did not give as unknown, names it, and never says 0', async () => {
  eutils.setSearchExtras(/systematic\[sb\]/, { error: 'Search Backend failed' });
  const card = mapOf(await ask('map braf melanoma since:2025'));
  const sr = card.levels.find((l) => l.level === 'systematic-review');
  expect(sr).toMatchObject({ countText: 'unknown' });
  expect(sr?.count).toBeUndefined();
  expect(card.notes.join(' ')).toContain('Systematic reviews');
  expect(card.chartAlt).not.toContain('Systematic reviews');
});

it('says PubMed is unavailable when no count came back', async () => {
  eutils.fail(
    'esearch',
    Array.from({ length: 60 }, () => ({ status: 400 })),
  );
  const reply = await ask('map nras melanoma since:2026');
  expect(reply.cards).toHaveLength(1);
  const [error] = reply.cards;
  expect(error?.type).toBe('error');
  expect(unavailableSourceIn(error?.type === 'error' ? error.message : '')).toBe(true);
});

it('says a map needs PubMed when offline', async () => {
  const offline = await startTestGraph({ offline: true });
  try {
    const reply = await offline.assistant.handle({
      text: 'map braf melanoma',
      user: { id: 'u1' },
      place: { platform: 'cli' },
    });
    expect(reply.cards[0]).toMatchObject({ type: 'error' });
    expect(JSON.stringify(reply)).toContain('offline');
  } finally {
    await offline.close();
  }
});
