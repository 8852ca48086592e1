// An article search as the user sees it: an ordered list of sources where the first that answers leads
// (PubMed's order), later ones add what it lacks, a "Next 5" cursor, and a notice whenever the answer is
// partial, offline, stale or empty. What each source says is search-sources.ts's.

import type { Article } from './article';
import { articleCard } from './cards';
import { encodeCursor } from './cursor';
import { isPaperbotError } from './errors';
import type { Logger } from './logger';
import type { SearchQuery } from './query';
import type { Card, Reply } from './reply';
import { articleRefs, byCitations, cardsWithSignals, signalRound } from './signal-round';
import type { Signals } from './signals';
import {
  articleSearchSource,
  librarySearchSource,
  type SearchSource,
  type SourcePage,
} from './search-sources';
import type { ArticleSource, CallOptions, Library, SearchOptions } from './sources';
import { CITED_SORT_NOTICE, CITED_SORT_UNAVAILABLE, STALE_NOTICE, sourceProblem } from './wording';

export interface SearchDeps {
  pubmed?: ArticleSource;
  library: Library;
  /** Citation counts, free copies and publisher notices for the page's cards; absent: cards without them. */
  signals?: Signals;
  logger: Logger;
}

function sameRecord(a: Article, b: Article): boolean {
  return a.pmid === b.pmid || (!!a.doi && !!b.doi && a.doi.toLowerCase() === b.doi.toLowerCase());
}

function nextCursor(query: SearchQuery, total: number, window: number): string | undefined {
  const next = query.start + query.pageSize;
  return next < Math.min(total, window)
    ? `more ${encodeCursor({ kind: 'search', query: { ...query, start: next } })}`
    : undefined;
}

function joinNotices(notices: (string | undefined)[]): string | undefined {
  const kept = notices.filter((n): n is string => !!n && n.length > 0);
  return kept.length > 0 ? kept.join('\n') : undefined;
}

/** A source understood the query and refused it (syntax): the others cannot do better, so say so. */
function refused(error: unknown): boolean {
  return isPaperbotError(error) && error.code === 'upstream_error' && !error.retryable;
}

/**
 * Records of later sources join the lead's only when its whole result set is on this page (otherwise a
 * record it ranks on a later page would show twice), and only those with every word: relaxed matches
 * would be thrown away, after costing several full-text queries on every narrow search.
 */
async function followersAdd(
  followers: readonly SearchSource[],
  query: SearchQuery,
  o: CallOptions,
  shown: Article[],
  cards: Card[],
): Promise<{ notices: string[]; stale: boolean }> {
  const notices: string[] = [];
  let stale = false;
  for (const follower of followers) {
    const page = await follower.search({ ...query, start: 0 }, o, true);
    let added = 0;
    for (const article of page.matchedAll ? page.articles : []) {
      if (shown.some((a) => sameRecord(a, article))) continue;
      shown.push(article);
      cards.push(articleCard(article, { detail: 'summary', source: follower.name, stale: page.stale }));
      added += 1;
    }
    if (added > 0) notices.push(follower.addedNotice(added));
    stale ||= added > 0 && page.stale;
  }
  return { notices, stale };
}

type Sources = readonly [SearchSource, ...SearchSource[]];

/**
 * The first source that answers leads and the ones after it follow. A failure hands the lead to the next
 * source, which names the problem (`problem`: why the sources tried before these failed); the last
 * source's failure is the caller's to word.
 */
export async function mergedSearch(
  sources: Sources,
  query: SearchQuery,
  o: SearchOptions,
  logger: Logger,
  problem?: string,
): Promise<Reply> {
  const [lead, ...followers] = sources;
  let page: SourcePage;
  try {
    page = await lead.search(query, o, false);
  } catch (error) {
    if (refused(error)) return { cards: [], notice: sourceProblem(error), visibility: 'private' };
    const [next, ...after] = followers;
    if (next === undefined) throw error;
    logger.warn({ err: error }, `${lead.name} search failed; answering from ${next.name}`);
    return mergedSearch([next, ...after], query, o, logger, sourceProblem(error));
  }
  const shown = [...page.articles];
  const cards: Card[] = page.articles.map((a) =>
    articleCard(a, { detail: 'summary', source: lead.name, stale: page.stale }),
  );
  const added =
    query.start + query.pageSize >= page.total
      ? await followersAdd(followers, query, o, shown, cards)
      : { notices: [], stale: false };
  const more = nextCursor(query, page.total, lead.window);
  return {
    cards,
    notice: joinNotices([
      ...lead.leadNotices(query, page, { ...(problem ? { problem } : {}), shown: cards.length }),
      ...added.notices,
      page.stale || added.stale ? STALE_NOTICE : undefined,
    ]),
    ...(more ? { more } : {}),
    ...(query.start > 0 ? { first: query.start + 1 } : {}),
    total: page.total,
    visibility: 'private',
  };
}

/**
 * PubMed leads when configured; the local library follows it, or stands in for it. Signals are asked for as
 * soon as PubMed names the page's PMIDs, alongside its fetch of the records, and join the cards at the end.
 */
export async function searchReply(deps: SearchDeps, query: SearchQuery, o: CallOptions): Promise<Reply> {
  const library = librarySearchSource(deps.library);
  const sources: Sources = deps.pubmed ? [articleSearchSource(deps.pubmed), library] : [library];
  const round = signalRound(deps.signals, o, deps.logger);
  const onPmids = (pmids: readonly string[]): void => round.start(pmids.map((pmid) => ({ pmid })));
  const reply = await mergedSearch(sources, query, { ...o, onPmids }, deps.logger);
  const cards = cardsWithSignals(reply.cards, await round.finish(articleRefs(reply.cards)));
  if (query.sort !== 'cited' || !cards.some((c) => c.type === 'article')) return { ...reply, cards };
  const counted = cards.some((c) => c.type === 'article' && c.signals?.citedBy !== undefined);
  return {
    ...reply,
    cards: counted ? byCitations(cards) : cards,
    notice: joinNotices([reply.notice, counted ? CITED_SORT_NOTICE : CITED_SORT_UNAVAILABLE]),
  };
}
