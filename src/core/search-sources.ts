// The article sources a search merges, each as the merge sees it: a page for a query, how far paging
// reaches, and what it says when it leads or adds to another's page. The merge itself is search.ts's.

import type { Article } from './article';
import type { CardOptions } from './cards';
import type { SearchQuery } from './query';
import type { ArticleSource, Library, SearchOptions } from './sources';
import { buildLibraryHint, libraryFallbackNotice, offlineNotice, partialMatchNotice } from './wording';

export interface SourcePage {
  total: number;
  /** The page's records in the source's own order. */
  articles: Article[];
  notices: string[];
  stale: boolean;
  /** False when no record had every word and these match only some of them. */
  matchedAll: boolean;
  /** With matchedAll false: the words the shown records lack (the library says, when it knows). */
  dropped?: string[];
}

export interface SearchSource {
  readonly name: CardOptions['source'];
  /** How far "Next" can page through this source's results. */
  readonly window: number;
  /** A page of the query; `everyWord` asks only for records with every word (all a follower may add). */
  search(query: SearchQuery, o: SearchOptions, everyWord: boolean): Promise<SourcePage>;
  /**
   * What the source says about a page it leads, in order. `problem`: why the sources before it could not
   * answer (undefined when it leads as the first); `shown`: records on the page, followers' included.
   */
  leadNotices(
    query: SearchQuery,
    page: SourcePage,
    lead: { problem?: string; shown: number },
  ): (string | undefined)[];
  /** How `count` records this source added to another's page are announced. */
  addedNotice(count: number): string;
}

/** PubMed serves only the first 10,000 hits of a query (PLATFORM-FACTS §1). */
const PUBMED_WINDOW = 10_000;

/** The network article source: the reference order, its own notices (query translation, warnings). */
export function articleSearchSource(source: ArticleSource): SearchSource {
  return {
    name: 'pubmed',
    window: PUBMED_WINDOW,
    async search(query, o) {
      const { total, articles, notices, stale } = await source.search(query, o);
      return { total, articles, notices, stale, matchedAll: true };
    },
    leadNotices(query, page, { shown }) {
      const filtered = query.types.length || query.since || query.until ? ' with these filters' : '';
      const empty =
        shown > 0
          ? undefined
          : query.start > 0
            ? 'No more results.'
            : `No PubMed records match “${query.terms}”${filtered}.`;
      return [...page.notices, empty];
    },
    addedNotice: (count) => `${count} more from PubMed.`,
  };
}

/** The local library: a complement to the network source, and its stand-in when that is absent or fails. */
export function librarySearchSource(library: Library): SearchSource {
  return {
    name: 'library',
    window: Number.MAX_SAFE_INTEGER,
    search(query, _o, everyWord) {
      const found = library.search({
        everyWord,
        terms: query.terms,
        types: query.types,
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.until !== undefined ? { until: query.until } : {}),
        sort: query.sort === 'date' ? 'date' : 'relevance',
        limit: query.pageSize,
        offset: query.start,
      });
      return Promise.resolve({ ...found, notices: [], stale: false });
    },
    leadNotices(query, page, { problem }) {
      // Records matching only some words say which words they lack; an empty answer says how to build a
      // library for the topic, rather than leaving the reader with nothing to do.
      const loose = !page.matchedAll
        ? partialMatchNotice(query.terms, page.dropped ?? [])
        : page.total === 0 && query.terms.trim() !== ''
          ? buildLibraryHint(query.terms)
          : undefined;
      return [
        problem === undefined ? offlineNotice(page.total) : libraryFallbackNotice(problem, page.total),
        loose,
      ];
    },
    addedNotice: (count) => `${count} more from the local library.`,
  };
}
