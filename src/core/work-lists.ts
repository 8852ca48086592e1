// "Cited by" and "References" of one article, paged like "similar": a page of the list as the citation-list
// service gives it, the works it names in PubMed as cards (with their signals), and a count of the others.

import { articleCard } from './cards';
import { encodeCursor, type WorkListKind } from './cursor';
import type { Logger } from './logger';
import type { Reply } from './reply';
import { cardsWithSignals, refOf, signalRound } from './signal-round';
import type { CitationLists, Signals, WorkList } from './signals';
import type { ArticleSource, CallOptions } from './sources';
import { sourceProblem, STALE_NOTICE } from './wording';

export interface WorkListDeps {
  pubmed?: ArticleSource;
  citationLists?: CitationLists;
  signals?: Signals;
  logger: Logger;
}

export const WORK_LIST_PAGE = 5;

const errorReply = (message: string, hint?: string): Reply => ({
  cards: [hint ? { type: 'error', message, hint } : { type: 'error', message }],
  visibility: 'private',
});

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function heading(list: WorkListKind, pmid: string, total: number): string {
  return list === 'cited-by'
    ? `${plural(total, 'work cites', 'works cite')} PMID ${pmid} (Europe PMC).`
    : `PMID ${pmid} cites ${plural(total, 'work', 'works')} (Europe PMC).`;
}

export async function workListReply(
  deps: WorkListDeps,
  list: WorkListKind,
  pmid: string,
  start: number,
  o: CallOptions,
): Promise<Reply> {
  const lists = deps.citationLists;
  if (!lists || !deps.pubmed)
    return errorReply('"Cited by" and "References" lists are not available on this paperbot server.');
  let page: WorkList;
  try {
    page = await (list === 'cited-by'
      ? lists.citedBy(pmid, start, WORK_LIST_PAGE, o)
      : lists.references(pmid, start, WORK_LIST_PAGE, o));
  } catch (error) {
    deps.logger.warn({ err: error, list }, 'citation list failed');
    return errorReply(`${sourceProblem(error, 'europepmc')} Please try again in a minute.`);
  }
  if (page.works.length === 0)
    return {
      cards: [],
      notice:
        start > 0
          ? 'No more works in this list.'
          : list === 'cited-by'
            ? `Europe PMC lists no works citing PMID ${pmid}.`
            : `Europe PMC lists no references for PMID ${pmid}.`,
      visibility: 'private',
    };
  const pmids = [...new Set(page.works.flatMap((w) => (w.pmid ? [w.pmid] : [])))];
  const round = signalRound(deps.signals, o, deps.logger);
  round.start(pmids.map((p) => ({ pmid: p })));
  let fetched: Awaited<ReturnType<ArticleSource['fetchArticles']>> = {
    articles: [],
    missing: [],
    stale: false,
  };
  try {
    if (pmids.length > 0)
      fetched = await deps.pubmed.fetchArticles(pmids, { ...o, priority: 'continuation' });
  } catch (error) {
    deps.logger.warn({ err: error, list }, 'citation list records failed');
    return errorReply(
      `${sourceProblem(error)} The records of this list could not be loaded; please try again.`,
    );
  }
  const signals = await round.finish(fetched.articles.map(refOf));
  const elsewhere = page.works.length - fetched.articles.length;
  const next = start + WORK_LIST_PAGE;
  const more =
    next < page.total ? `more ${encodeCursor({ kind: 'works', list, pmid, start: next })}` : undefined;
  return {
    cards: cardsWithSignals(
      fetched.articles.map((a) =>
        articleCard(a, { detail: 'summary', source: 'pubmed', stale: fetched.stale }),
      ),
      signals,
    ),
    notice: [
      start === 0 ? heading(list, pmid, page.total) : undefined,
      elsewhere > 0
        ? `${plural(elsewhere, 'work', 'works')} on this page not in PubMed or not loaded.`
        : undefined,
      fetched.stale ? STALE_NOTICE : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
    ...(more ? { more } : {}),
    ...(start > 0 ? { first: start + 1 } : {}),
    total: page.total,
    visibility: 'private',
  };
}
