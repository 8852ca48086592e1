// PubMed efetch XML (PubmedArticleSet) → Article records, from a whole string or a stream of chunks.
// Both run the same reader (xml-reader.ts); HTTP, retries and caching belong to the NCBI service.

import type { Article } from '../core/article';
import { ArticleSetReader, type RecordProblem } from './xml-reader';

export type { RecordProblem } from './xml-reader';

export interface ArticleSetResult {
  articles: Article[];
  /** PMIDs listed in DeleteCitation elements (baseline and update files). */
  deleted: string[];
  problems: RecordProblem[];
}

export type ArticleSetItem =
  | { kind: 'article'; article: Article; line: number }
  | { kind: 'deleted'; pmids: string[] }
  | { kind: 'problem'; problem: RecordProblem };

/**
 * Parses a whole efetch answer. Throws PaperbotError('bad_response') when the document is not a
 * PubmedArticleSet (not XML, an HTML error page, truncated, another root). An empty set is no error.
 */
export function parseArticleSet(xml: string | Buffer): ArticleSetResult {
  const result: ArticleSetResult = { articles: [], deleted: [], problems: [] };
  const reader = new ArticleSetReader({
    article: (article) => result.articles.push(article),
    deleted: (pmids) => result.deleted.push(...pmids),
    problem: (problem) => result.problems.push(problem),
  });
  reader.write(xml);
  reader.close();
  return result;
}

/**
 * Parses a PubmedArticleSet as it arrives (an HTTP body, a 100,000-record baseline file) and yields each
 * record as soon as it closes, so memory stays flat. Buffers are read as UTF-8 bytes (a character split
 * across chunks is decoded whole, since only complete text is decoded).
 * Errors are those of parseArticleSet, thrown when reached; records yielded before stay valid.
 */
export async function* streamArticleSet(
  source: AsyncIterable<string | Buffer>,
): AsyncGenerator<ArticleSetItem> {
  let pending: ArticleSetItem[] = [];
  const reader = new ArticleSetReader({
    article: (article, line) => pending.push({ kind: 'article', article, line }),
    deleted: (pmids) => pending.push({ kind: 'deleted', pmids }),
    problem: (problem) => pending.push({ kind: 'problem', problem }),
  });
  for await (const chunk of source) {
    reader.write(chunk);
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  reader.close();
  yield* pending;
}
