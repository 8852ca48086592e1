// Records by PMID for the service: one cache entry per PMID, one efetch per batch of the uncached ones.
// Deadlines, coalescing and the public API are service.ts's; one HTTP attempt is eutils.ts's.

import { cacheKey, cachedMany, type CachedDeps, type CachePolicy } from '../cache/cached';
import type { Article } from '../core/article';
import type { Logger } from '../core/logger';
import type { EutilsClient } from './eutils';
import type { SourceCaller } from '../sources/caller';
import type { CallContext } from '../sources/retry';

const DAY = 24 * 3_600_000;

/** Records change rarely (corrections, retractions); a week fresh, a month as outage fallback. */
export const ARTICLE_CACHE: CachePolicy = { freshMs: 7 * DAY, staleMs: 30 * DAY };
/** PMIDs per efetch: one POST each (NCBI asks for POST above 200), a few MB of XML at most. */
export const EFETCH_BATCH = 500;

export interface Fetched {
  /** In the order asked, each PMID once. */
  articles: Article[];
  /** PMIDs PubMed answered without (unknown or deleted); never ones we failed to ask about. */
  missing: string[];
  stale: boolean;
}

export interface ArticleLoaderDeps {
  client: EutilsClient;
  cache: CachedDeps;
  caller: Pick<SourceCaller, 'step'>;
  logger: Logger;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createArticleLoader(
  deps: ArticleLoaderDeps,
): (pmids: string[], call: CallContext) => Promise<Fetched> {
  /** PMID → record for `pmids`, in batches fetched side by side (the budget spaces them), each with retries. */
  async function efetchAll(pmids: string[], call: CallContext): Promise<Map<string, Article>> {
    const sets = await Promise.all(
      chunks(pmids, EFETCH_BATCH).map((batch) =>
        deps.caller.step('efetch', call, (signal) => deps.client.efetch(batch, { signal })),
      ),
    );
    const byPmid = new Map<string, Article>();
    for (const set of sets) {
      for (const article of set.articles) byPmid.set(article.pmid, article);
      for (const p of set.problems) {
        // The record exists but could not be read: it is reported missing, and logged for us to fix.
        deps.logger.warn(
          { pmid: p.pmid, index: p.index, line: p.line, problem: p.message },
          'pubmed: record skipped',
        );
      }
    }
    return byPmid;
  }

  /**
   * If the source fails, cached copies (even expired) still answer; a PMID left with no answer at all
   * then fails the whole call, because callers tell users that a missing PMID does not exist.
   */
  return async (pmids, call) => {
    const unique = [...new Set(pmids)];
    if (unique.length === 0) return { articles: [], missing: [], stale: false };
    const keys = unique.map((pmid) => cacheKey('pubmed-article', pmid));
    const result = await cachedMany<Article>(deps.cache, keys, ARTICLE_CACHE, async (missingIndexes) => {
      const wanted = missingIndexes.map((i) => unique[i] ?? '');
      const byPmid = await efetchAll(wanted, call);
      return wanted.map((pmid) => byPmid.get(pmid));
    });
    if (result.error !== undefined && result.values.some((v) => v === undefined)) throw result.error;
    const articles: Article[] = [];
    const missing: string[] = [];
    result.values.forEach((article, i) => {
      if (article) articles.push(article);
      else missing.push(unique[i] ?? '');
    });
    return { articles, missing, stale: result.stale.some(Boolean) };
  };
}
