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
  /**
   * The Article's JSON text, or the row's stored bytes already packed (packJson). articles.ts packs text as
   * it stores the row; the parse worker packs a batch only while it would otherwise wait for the importer
   * (see withPackedRows), so the packing goes to whichever thread has time: at 100,000 records the worker
   * was the slower one, at 1,000,000 the importer's growing B-trees make it the slower.
   */
  json: string | Uint8Array;
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
 * The Article's JSON as Brotli at quality 0, after a marker byte (BROTLI). The JSON averages ~2.4 KB on the
 * baseline mix: unpacked, rows of that size mostly fill a 4 KB page each (4.2 KB a record in all at 100,000
 * records). Raw deflate at zlib's fastest level packed it to ~1,090 bytes for ~36 µs of CPU a record, the
 * largest single cost of parsing an import; Brotli's quality 0 packs it to ~1,230 bytes in ~19 µs and
 * unpacks as fast (~13 µs). Rows written by earlier versions, raw deflate or JSON text, still read.
 */
const BROTLI = 0xff;
const BROTLI_OPTIONS: zlib.BrotliOptions = {
  // zlib's default 16 KB output chunk is allocated per call and freed only when V8 collects it: on the
  // importer's main thread that added ~20 MB of resident memory. Rows pack to ~1.2 KB.
  chunkSize: 1024,
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 0, [zlib.constants.BROTLI_PARAM_LGWIN]: 16 },
};

export function packJson(json: string | Uint8Array): Uint8Array {
  if (typeof json !== 'string') return json;
  const packed = zlib.brotliCompressSync(json, BROTLI_OPTIONS);
  // zlib returns a view into its output chunk: the bytes go into a buffer of their own, after the marker.
  const row = new Uint8Array(packed.length + 1);
  row[0] = BROTLI;
  row.set(packed, 1);
  return row;
}

/**
 * What packJson stored. A raw deflate stream never starts with 0xff (its first block type would be 3,
 * which deflate reserves), so the marker tells the two apart; TEXT is the plain JSON of the first libraries.
 */
export function unpackArticle(stored: string | Uint8Array): Article {
  // Only articles.ts writes the column: packJson's bytes, earlier raw deflate, or JSON.stringify text.
  if (typeof stored === 'string') return JSON.parse(stored) as Article;
  const json =
    stored[0] === BROTLI ? zlib.brotliDecompressSync(stored.subarray(1)) : zlib.inflateRawSync(stored);
  return JSON.parse(json.toString('utf8')) as Article;
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
