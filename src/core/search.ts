// A PubMed search as the user sees it: PubMed's order first, the local library as a complement and a
// fallback, a "Next 5" cursor, and a notice whenever the answer is partial, offline, stale or empty.

import type { SearchQuery } from '../pubmed/query';
import type { Article } from './article';
import { articleCard } from './cards';
import { encodeCursor } from './cursor';
import { isPaperbotError } from './errors';
import type { Logger } from './logger';
import type { Reply } from './reply';
import type { CallOptions, LibraryPort, PubmedPort } from './sources';
import {
  buildLibraryHint,
  libraryFallbackNotice,
  offlineNotice,
  partialMatchNotice,
  STALE_NOTICE,
  sourceProblem,
} from './wording';

/** PubMed serves only the first 10,000 hits of a query (PLATFORM-FACTS §1). */
const PUBMED_WINDOW = 10_000;

export interface SearchDeps {
  pubmed?: PubmedPort;
  library: LibraryPort;
  logger: Logger;
}

function sameRecord(a: Article, b: Article): boolean {
  return a.pmid === b.pmid || (!!a.doi && !!b.doi && a.doi.toLowerCase() === b.doi.toLowerCase());
}

function librarySearch(
  deps: SearchDeps,
  query: SearchQuery,
  everyWord = false,
): ReturnType<LibraryPort['search']> {
  return deps.library.search({
    everyWord,
    terms: query.terms,
    types: query.types,
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.until !== undefined ? { until: query.until } : {}),
    sort: query.sort,
    limit: query.pageSize,
    offset: query.start,
  });
}

function nextCursor(query: SearchQuery, total: number, window: number): string | undefined {
  const next = query.start + query.pageSize;
  return next < Math.min(total, window)
    ? `more ${encodeCursor({ kind: 'search', query: { ...query, start: next } })}`
    : undefined;
}

function joinNotices(...notices: (string | undefined)[]): string | undefined {
  const kept = notices.filter((n): n is string => !!n && n.length > 0);
  return kept.length > 0 ? kept.join('\n') : undefined;
}

function libraryReply(query: SearchQuery, found: ReturnType<typeof librarySearch>, notice: string): Reply {
  const loose = !found.matchedAll
    ? partialMatchNotice(query.terms, found.dropped ?? [])
    : found.total === 0 && query.terms.trim() !== ''
      ? buildLibraryHint(query.terms)
      : undefined;
  const more = nextCursor(query, found.total, Number.MAX_SAFE_INTEGER);
  return {
    cards: found.articles.map((a) => articleCard(a, { detail: 'summary', source: 'library', stale: false })),
    notice: joinNotices(notice, loose),
    ...(more ? { more } : {}),
    total: found.total,
    visibility: 'private',
  };
}

export async function searchReply(deps: SearchDeps, query: SearchQuery, o: CallOptions): Promise<Reply> {
  if (!deps.pubmed) {
    const found = librarySearch(deps, query);
    return libraryReply(query, found, offlineNotice(found.total));
  }
  let result: Awaited<ReturnType<PubmedPort['search']>>;
  try {
    result = await deps.pubmed.search(query, o);
  } catch (error) {
    if (isPaperbotError(error) && error.code === 'upstream_error' && !error.retryable) {
      // PubMed understood us and refused the query (syntax): say so; the library cannot do better.
      return { cards: [], notice: sourceProblem(error), visibility: 'private' };
    }
    deps.logger.warn({ err: error }, 'pubmed search failed; answering from the library');
    const found = librarySearch(deps, query);
    return libraryReply(query, found, libraryFallbackNotice(sourceProblem(error), found.total));
  }

  const cards = result.articles.map((a) =>
    articleCard(a, { detail: 'summary', source: 'pubmed', stale: result.stale }),
  );
  // Library-only records join only when PubMed's whole result set is on this page: otherwise a record
  // PubMed ranks on a later page would show twice.
  let libraryExtras = 0;
  if (query.start + query.pageSize >= result.total) {
    // Only records with every word join PubMed's: the relaxed fallbacks would be thrown away (and cost
    // several full-text queries on every narrow search).
    const local = librarySearch(deps, { ...query, start: 0 }, true);
    for (const article of local.matchedAll ? local.articles : []) {
      if (result.articles.some((a) => sameRecord(a, article))) continue;
      cards.push(articleCard(article, { detail: 'summary', source: 'library', stale: false }));
      libraryExtras += 1;
    }
  }
  const empty =
    cards.length === 0
      ? query.start > 0
        ? 'No more results.'
        : `No PubMed records match “${query.terms}”${query.types.length || query.since || query.until ? ' with these filters' : ''}.`
      : undefined;
  const more = nextCursor(query, result.total, PUBMED_WINDOW);
  return {
    cards,
    notice: joinNotices(
      ...result.notices,
      empty,
      libraryExtras > 0 ? `${libraryExtras} more from the local library.` : undefined,
      result.stale ? STALE_NOTICE : undefined,
    ),
    ...(more ? { more } : {}),
    total: result.total,
    visibility: 'private',
  };
}
