// One Article as the library stores it: its row's columns and its full-text document, built apart from
// the database so an import's parse worker can build them too. Writing rows is articles.ts's.

import type { Article } from '../core/article';
import { documentOf, rowKey, publicationYear, type ArticleDocument } from './article-index';

/** Plain strings and numbers only: rows cross from the parse worker by structured clone. */
export interface ArticleRow {
  /** As the record spells it; articles.ts skips a row whose PMID is not a valid number. */
  pmid: string;
  ftsId: number;
  doi: string | null;
  pmcid: string | null;
  year: number | null;
  pubtypes: string;
  entrezDate: string | null;
  /** JSON.stringify of the Article: what every read returns. */
  json: string;
  document: ArticleDocument;
}

export function normalDoi(doi: string): string {
  return doi
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '')
    .trim();
}

export function normalPmcid(pmcid: string): string | undefined {
  const match = /^(?:PMC)?(\d+)$/i.exec(pmcid.trim());
  return match === null ? undefined : `PMC${match[1]}`;
}

export function articleRow(article: Article): ArticleRow {
  const year = publicationYear(article);
  return {
    pmid: article.pmid,
    ftsId: rowKey(article.pmid, year),
    doi: article.doi === undefined ? null : normalDoi(article.doi),
    pmcid: article.pmcid === undefined ? null : (normalPmcid(article.pmcid) ?? article.pmcid),
    year: year ?? null,
    pubtypes: JSON.stringify(article.publicationTypes),
    entrezDate: article.entrezDate ?? null,
    json: JSON.stringify(article),
    document: documentOf(article),
  };
}
