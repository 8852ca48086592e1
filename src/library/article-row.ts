// One Article as the library stores it: its row's columns and its full-text document, built apart from
// the database so an import's parse worker can build them too. Writing rows is articles.ts's.

import zlib from 'node:zlib';
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
  /** The Article as stored: packArticle's bytes (every read unpacks them with unpackArticle). */
  json: Uint8Array;
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

/**
 * Raw deflate of the Article's JSON, at zlib's fastest level. The JSON averages ~2.4 KB on the baseline
 * mix and deflates to ~45%: rows of that size mostly fill a 4 KB page each, so packing them cut the whole
 * database from 4.2 to ~2 KB a record (bench/library.ts, 100,000 records) for ~20 µs a record.
 */
export function packArticle(article: Article): Uint8Array {
  const packed = zlib.deflateRawSync(JSON.stringify(article), { level: 1 });
  // zlib returns a view into its 16 KB output chunk, and a row crossing from the parse worker carries
  // the whole chunk: copy the bytes into a buffer of their own.
  return new Uint8Array(packed);
}

/** What packArticle stored; TEXT (plain JSON) is what libraries written before packing hold. */
export function unpackArticle(stored: string | Uint8Array): Article {
  // Only articles.ts writes the column, always packArticle's bytes or, earlier, JSON.stringify text.
  const json = typeof stored === 'string' ? stored : zlib.inflateRawSync(stored).toString('utf8');
  return JSON.parse(json) as Article;
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
    json: packArticle(article),
    document: documentOf(article),
  };
}
