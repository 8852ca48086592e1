// The article merge over any ordered list of sources: who leads, who follows, what is added and said.
// Sources here are in-memory (the merge does no I/O); assistant.test.ts runs PubMed + library end to end.

import type { Article } from '../../src/core/article';
import { PaperbotError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import type { SearchQuery } from '../../src/core/query';
import type { ArticleCard, Reply } from '../../src/core/reply';
import { mergedSearch } from '../../src/core/search';
import type { SearchSource, SourcePage } from '../../src/core/search-sources';
import { STALE_NOTICE } from '../../src/core/wording';

const query: SearchQuery = { terms: 'melanoma', types: [], sort: 'relevance', start: 0, pageSize: 5 };

const article = (pmid: string, doi?: string): Article => ({
  kind: 'article',
  pmid,
  ...(doi ? { doi } : {}),
  title: [{ text: `Record ${pmid}` }],
  abstract: [],
  authors: [],
  publicationTypes: [],
  evidence: 'other',
  retracted: false,
  notices: [],
  mesh: [],
  trials: [],
});

interface FakeSource extends SearchSource {
  calls: { start: number; everyWord: boolean }[];
}

function source(
  name: SearchSource['name'],
  answer: Partial<SourcePage> | Error,
  window = Number.MAX_SAFE_INTEGER,
): FakeSource {
  const calls: FakeSource['calls'] = [];
  return {
    name,
    window,
    calls,
    search(q, _o, everyWord) {
      calls.push({ start: q.start, everyWord });
      if (answer instanceof Error) return Promise.reject(answer);
      const articles = answer.articles ?? [];
      return Promise.resolve({
        total: articles.length,
        notices: [],
        stale: false,
        matchedAll: true,
        articles,
        ...answer,
      });
    },
    leadNotices: (_q, page, { problem, shown }) => [`${name} leads ${shown}/${page.total}`, problem],
    addedNotice: (count) => `${count} more from ${name}`,
  };
}

const cards = (reply: Reply): [string, string][] =>
  reply.cards.filter((c): c is ArticleCard => c.type === 'article').map((c) => [c.pmid, c.source]);

it('hands the lead to the next source when one fails, and later ones follow, de-duplicated by PMID or DOI', async () => {
  const down = source(
    'pubmed',
    new PaperbotError('upstream_unavailable', 'down', { source: 'pubmed', retryable: true }),
  );
  const lead = source('library', { articles: [article('1', '10.1/A'), article('2')] });
  const follower = source('pubmed', { articles: [article('9', '10.1/a'), article('2'), article('3')] });
  const reply = await mergedSearch([down, lead, follower], query, {}, silentLogger);
  expect(cards(reply)).toEqual([
    ['1', 'library'],
    ['2', 'library'],
    ['3', 'pubmed'],
  ]);
  expect(reply.notice).toBe('library leads 3/2\nPubMed is not reachable right now.\n1 more from pubmed');
  expect(reply.total).toBe(2);
  expect(follower.calls).toEqual([{ start: 0, everyWord: true }]);
  expect(lead.calls).toEqual([{ start: 0, everyWord: false }]);
});

it('stops at a source that refuses the query: the others cannot do better', async () => {
  const refusing = source(
    'pubmed',
    new PaperbotError('upstream_error', 'Unbalanced parentheses', {
      source: 'pubmed',
      retryable: false,
      quotable: 'Unbalanced parentheses',
    }),
  );
  const library = source('library', { articles: [article('1')] });
  const reply = await mergedSearch([refusing, library], query, {}, silentLogger);
  expect(reply).toEqual({
    cards: [],
    notice: 'PubMed could not run this request: Unbalanced parentheses',
    visibility: 'private',
  });
  expect(library.calls).toEqual([]);
});

it('leaves the last source’s failure to the caller', async () => {
  await expect(
    mergedSearch([source('library', new Error('disk gone'))], query, {}, silentLogger),
  ).rejects.toThrow('disk gone');
});

it('adds followers only when the lead’s whole result set is on the page, and only records with every word', async () => {
  const partial = source('pubmed', { articles: [article('1')], total: 40 }, 10_000);
  const follower = source('library', { articles: [article('7')] });
  const first = await mergedSearch([partial, follower], query, {}, silentLogger);
  expect(cards(first)).toEqual([['1', 'pubmed']]);
  expect(follower.calls).toEqual([]);
  expect(first.more).toMatch(/^more /);

  const lead = source('pubmed', { articles: [article('1')] });
  const loose = source('library', { articles: [article('7')], matchedAll: false });
  const second = await mergedSearch([lead, loose], query, {}, silentLogger);
  expect(cards(second)).toEqual([['1', 'pubmed']]);
  expect(second.notice).toBe('pubmed leads 1/1');
});

it('pages no further than the lead’s window, and says when its page is stale', async () => {
  const lead = source('pubmed', { articles: [article('1')], total: 50, stale: true }, 5);
  const reply = await mergedSearch([lead], query, {}, silentLogger);
  expect(reply.more).toBeUndefined();
  expect(reply.cards[0]).toMatchObject({ stale: true });
  expect(reply.notice).toMatch(/^pubmed leads 1\/50\n.*cached/i);
});

it('marks a follower’s records from a cached copy as stale, and says so once', async () => {
  const lead = source('pubmed', { articles: [article('1')] });
  const cachedFollower = source('library', { articles: [article('2')], stale: true });
  const reply = await mergedSearch([lead, cachedFollower], query, {}, silentLogger);
  expect(reply.cards.map((c) => (c as ArticleCard).stale)).toEqual([false, true]);
  expect(reply.notice?.split('\n')).toEqual(['pubmed leads 2/1', '1 more from library', STALE_NOTICE]);
});
