// Exact lookups: identifiers → PMIDs → Articles, from PubMed first and the local library when it cannot answer.
// Returns records plus what the user must be told (unknown ids, fallbacks); never throws for a source failure.

import type { Article } from './article';
import type { LookupId } from './ids';
import type { ArticleSource, CallOptions, Library } from './sources';
import { libraryFallbackNotice, notFound, sourceProblem } from './wording';
import type { Logger } from './logger';

export interface LookupDeps {
  pubmed?: ArticleSource;
  library: Library;
  logger: Logger;
}

export interface LookupResult {
  /** In the order asked; ids that resolved to nothing are listed in `missing`. */
  found: { id: LookupId; article: Article }[];
  missing: { id: LookupId; message: string }[];
  source: 'pubmed' | 'library';
  stale: boolean;
  notice?: string;
}

async function resolvePmid(deps: LookupDeps, id: LookupId, o: CallOptions): Promise<string | undefined> {
  if (id.type === 'pmid') return id.value;
  // The library answers instantly and offline; PubMed is asked only for ids it does not hold.
  const local = id.type === 'doi' ? deps.library.findByDoi(id.value) : deps.library.findByPmcid(id.value);
  if (local) return local.pmid;
  if (!deps.pubmed) return undefined;
  return id.type === 'doi' ? deps.pubmed.resolveDoi(id.value, o) : deps.pubmed.resolvePmcid(id.value, o);
}

function fromLibrary(deps: LookupDeps, ids: LookupId[], pmids: (string | undefined)[]): LookupResult {
  const result: LookupResult = { found: [], missing: [], source: 'library', stale: false };
  const byPmid = new Map(
    deps.library.getArticles(pmids.filter((p): p is string => !!p)).map((a) => [a.pmid, a]),
  );
  ids.forEach((id, i) => {
    const pmid = pmids[i];
    const article =
      (pmid ? byPmid.get(pmid) : undefined) ??
      (id.type === 'doi'
        ? deps.library.findByDoi(id.value)
        : id.type === 'pmcid'
          ? deps.library.findByPmcid(id.value)
          : undefined);
    if (article) result.found.push({ id, article });
    else
      result.missing.push({
        id,
        message: `The local library has no record for ${id.type === 'pmid' ? `PMID ${id.value}` : id.value}.`,
      });
  });
  return result;
}

export async function lookupArticles(
  deps: LookupDeps,
  ids: LookupId[],
  o: CallOptions,
): Promise<LookupResult> {
  if (!deps.pubmed)
    return fromLibrary(
      deps,
      ids,
      ids.map((id) => (id.type === 'pmid' ? id.value : undefined)),
    );
  let pmids: (string | undefined)[] = ids.map((id) => (id.type === 'pmid' ? id.value : undefined));
  try {
    pmids = await Promise.all(ids.map((id) => resolvePmid(deps, id, o)));
    const wanted = [...new Set(pmids.filter((p): p is string => !!p))];
    const fetched =
      wanted.length > 0
        ? await deps.pubmed.fetchArticles(wanted, o)
        : { articles: [], missing: [], stale: false };
    const byPmid = new Map(fetched.articles.map((a) => [a.pmid, a]));
    const result: LookupResult = { found: [], missing: [], source: 'pubmed', stale: fetched.stale };
    ids.forEach((id, i) => {
      const pmid = pmids[i];
      const article = pmid ? byPmid.get(pmid) : undefined;
      if (article) result.found.push({ id, article });
      else result.missing.push({ id, message: notFound(id) });
    });
    return result;
  } catch (error) {
    deps.logger.warn({ err: error }, 'pubmed lookup failed; answering from the library');
    const result = fromLibrary(deps, ids, pmids);
    result.notice = libraryFallbackNotice(sourceProblem(error), result.found.length);
    return result;
  }
}
