// The articles table and its full-text index: upsert, delete, lookups by id, and ranked search.
// What goes into the index is article-index.ts's; opening the database and migrations are store.ts's.

import type BetterSqlite3 from 'better-sqlite3';
import type { Article } from '../core/article';
import type { Clock } from '../core/clock';
import type { LibrarySearch, LibrarySearchResult } from '../core/sources';
import { ARTICLE_QUERY, ARTICLE_WEIGHTS, MATCH_EVERYTHING, rowKeyRange, typeFilter } from './article-index';
import { articleRow, normalDoi, normalPmcid, packJson, unpackArticle, type ArticleRow } from './article-row';
import { anyOf, queryTerms, toFtsMatch, type FtsMatch } from './fts-query';

export type Origin = 'seed' | 'user';

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Records left alone: invalid ids, or bundled copies of records the user imported themselves. */
  skipped: number;
}

const PMID = /^[1-9]\d{0,9}$/;
const MAX_PAGE = 1000;
/**
 * Past this many matches, relevance ranks only the most recent ones (see page()). Besides reading each
 * phrase's doclist once, bm25 costs ~0.2–0.4 µs per ranked row and phrase: at 1M records, ranking 1,000
 * instead of 2,000 took search p50 from 5.1 to 4.3 ms (bench/library.ts, back to back).
 */
export const RANK_WINDOW = 1000;
/**
 * bm25 costs about the same for every phrase of the expression on every ranked row, so a long relaxed
 * expression ("any 4 of these 5 terms" spells out 20 phrases) ranks fewer rows to stay as fast.
 */
const RANK_BUDGET = 5_000;
const MIN_RANK_WINDOW = 200;

function rankWindow(match: string): number {
  const phrases = match.match(/"(?:[^"]|"")*"/g)?.length ?? 1;
  return Math.max(MIN_RANK_WINDOW, Math.min(RANK_WINDOW, Math.floor(RANK_BUDGET / phrases)));
}

/** The `json` column holds packed bytes (article-row.ts), or plain JSON text in older libraries. */
type Stored = string | Uint8Array;
const parseArticle = unpackArticle;

function clampInt(value: number | undefined, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

export function createArticles(db: BetterSqlite3.Database, clock: Clock) {
  const existing = db.prepare<[number], { fts_id: number; origin: Origin }>(
    'SELECT fts_id, origin FROM articles WHERE pmid = ?',
  );
  // Positional parameters: binding by name costs a property lookup per column on every row of an import.
  type RowValues = [
    number,
    number,
    string | null,
    string | null,
    number | null,
    string,
    string | null,
    Stored,
  ];
  const insertRow = db.prepare<[...RowValues, Origin, number]>(
    `INSERT INTO articles (pmid, fts_id, doi, pmcid, year, pubtypes, entrez_date, json, origin, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateRow = db.prepare<[...RowValues, Origin, number, number]>(
    `UPDATE articles SET pmid = ?, fts_id = ?, doi = ?, pmcid = ?, year = ?, pubtypes = ?, entrez_date = ?,
       json = ?, origin = ?, updated_at = ? WHERE pmid = ?`,
  );
  const deleteRow = db.prepare<[number]>('DELETE FROM articles WHERE pmid = ?');
  const insertFts = db.prepare<[number, string, string, string, string, string, string]>(
    `INSERT INTO articles_fts (rowid, title, mesh, abstract, authors, journal, facets)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const deleteFts = db.prepare<[number]>('DELETE FROM articles_fts WHERE rowid = ?');
  const byPmid = db.prepare<[number], Stored>('SELECT json FROM articles WHERE pmid = ?').pluck();
  const byFtsId = db.prepare<[number], Stored>('SELECT json FROM articles WHERE fts_id = ?').pluck();
  const byDoi = db
    .prepare<[string], Stored>(
      'SELECT json FROM articles WHERE doi = ? COLLATE NOCASE ORDER BY updated_at DESC LIMIT 1',
    )
    .pluck();
  const byPmcid = db
    .prepare<[string], Stored>('SELECT json FROM articles WHERE pmcid = ? ORDER BY updated_at DESC LIMIT 1')
    .pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM articles').pluck();
  const anyMatch = db
    .prepare<[string], number>('SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1')
    .pluck();
  const countAmong = db
    .prepare<[string, string], number>(
      `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN
         (SELECT fts_id FROM articles WHERE pmid IN (SELECT value FROM json_each(?)))`,
    )
    .pluck();

  /** The terms of `terms` that not every one of `articles` contains: what a relaxed search dropped. */
  function droppedTerms(terms: string, articles: readonly Article[]): string[] {
    const pmids = JSON.stringify(articles.map((a) => Number(a.pmid)));
    return queryTerms(terms).filter((term) => {
      const match = toFtsMatch(term, ARTICLE_QUERY)?.all;
      return match !== undefined && (countAmong.get(match, pmids) ?? 0) < articles.length;
    });
  }

  // One prepared statement per query shape; a rowid range is only added when a year bound was asked,
  // because the constraint slows every match down even when it excludes nothing.
  const shapes = new Map<string, BetterSqlite3.Statement<unknown[], number>>();
  const BM25 = `bm25(articles_fts, ${ARTICLE_WEIGHTS.join(', ')})`;
  function statement(kind: 'count' | 'date' | 'ranked' | 'windowed', ranged: boolean) {
    const key = `${kind}|${ranged}`;
    let prepared = shapes.get(key);
    if (prepared === undefined) {
      const where = `articles_fts MATCH ?${ranged ? ' AND rowid BETWEEN ? AND ?' : ''}`;
      const sql = {
        count: `SELECT count(*) FROM articles_fts WHERE ${where}`,
        date: `SELECT rowid FROM articles_fts WHERE ${where} ORDER BY rowid DESC LIMIT ? OFFSET ?`,
        ranked: `SELECT rowid FROM articles_fts WHERE ${where} ORDER BY ${BM25}, rowid DESC LIMIT ? OFFSET ?`,
        windowed:
          `SELECT rowid FROM (SELECT rowid, ${BM25} AS score FROM articles_fts WHERE ${where}` +
          ' ORDER BY rowid DESC LIMIT ?) ORDER BY score, rowid DESC LIMIT ? OFFSET ?',
      }[kind];
      prepared = db.prepare<unknown[], number>(sql).pluck();
      shapes.set(key, prepared);
    }
    return prepared;
  }

  /**
   * FTS5 buffers a transaction's postings and writes them as one index segment, but only while rowids
   * arrive in ascending order: a smaller rowid flushes what is buffered. Rows come in file order and the
   * row key starts with the year, so the index rows are written at the end, sorted (half the cost).
   */
  const upsert = db.transaction((rows: readonly ArticleRow[], origin: Origin): UpsertResult => {
    const result: UpsertResult = { inserted: 0, updated: 0, skipped: 0 };
    const updatedAt = clock.now();
    const documents = new Map<number, ArticleRow['document']>();
    for (const row of rows) {
      if (!PMID.test(row.pmid)) {
        result.skipped += 1;
        continue;
      }
      const pmid = Number(row.pmid);
      const before = existing.get(pmid);
      // A bundled copy never overwrites what the user imported: theirs may carry a newer retraction.
      if (before !== undefined && origin === 'seed' && before.origin === 'user') {
        result.skipped += 1;
        continue;
      }
      const values: RowValues = [
        pmid,
        row.ftsId,
        row.doi,
        row.pmcid,
        row.year,
        row.pubtypes,
        row.entrezDate,
        packJson(row.json),
      ];
      if (before === undefined) {
        insertRow.run(...values, origin, updatedAt);
        result.inserted += 1;
      } else {
        // The same PMID earlier in this batch is still only in `documents`.
        if (!documents.delete(before.fts_id)) deleteFts.run(before.fts_id);
        updateRow.run(...values, origin, updatedAt, pmid);
        result.updated += 1;
      }
      documents.set(row.ftsId, row.document);
    }
    for (const ftsId of [...documents.keys()].sort((a, b) => a - b)) {
      const doc = documents.get(ftsId) as ArticleRow['document'];
      insertFts.run(ftsId, doc.title, doc.mesh, doc.abstract, doc.authors, doc.journal, doc.facets);
    }
    return result;
  });

  const remove = db.transaction((pmids: readonly string[]): number => {
    let removed = 0;
    for (const id of pmids) {
      if (!PMID.test(id)) continue;
      const before = existing.get(Number(id));
      if (before === undefined) continue;
      deleteFts.run(before.fts_id);
      deleteRow.run(Number(id));
      removed += 1;
    }
    return removed;
  });

  /**
   * What to try when every word together matches nothing: "any n-1 of the n", then fewer. A word that no
   * record holds at all is left out first (the same records, in the same order, since it adds nothing to
   * any record's bm25): each "k of n" spells out every subset, and bm25 reads the whole doclist of every
   * phrase of the expression once per search (1M records, "pembrolizumab non-small cell lung cancer"
   * without any pembrolizumab: 20 phrases, 46 ms of bm25; 4 phrases, ~11 ms).
   */
  function loosened(translated: FtsMatch): string[] {
    const parts = translated.parts;
    if (parts === undefined) return translated.relaxed;
    const held = parts.filter((part) => anyMatch.get(part) !== undefined);
    if (held.length === parts.length) return translated.relaxed;
    const out: string[] = [];
    for (let size = held.length; size >= 1; size -= 1) out.push(anyOf(held, size));
    return out;
  }

  interface Scope {
    sort: 'relevance' | 'date';
    range: [number, number] | undefined;
    limit: number;
    offset: number;
  }

  function countMatches(match: string, scope: Scope): number {
    const params: unknown[] = scope.range === undefined ? [match] : [match, ...scope.range];
    return statement('count', scope.range !== undefined).get(...params) ?? 0;
  }

  /**
   * One page of rows. Relevance ranks every match with bm25 while they fit the rank window; beyond that
   * it ranks the window's worth of most recent matches (bm25 over all would cost ~0.6 µs per match and
   * phrase), and pages past the window continue in date order, so paging never repeats or skips a record.
   */
  function page(match: string, total: number, scope: Scope): Article[] {
    const { sort, range, limit, offset } = scope;
    if (total === 0 || limit === 0 || offset >= total) return [];
    const window = rankWindow(match);
    const kind =
      sort === 'date' ? 'date' : total <= window ? 'ranked' : offset < window ? 'windowed' : 'date';
    const take = kind === 'windowed' ? Math.min(limit, window - offset) : limit;
    const params: unknown[] = range === undefined ? [match] : [match, ...range];
    if (kind === 'windowed') params.push(window);
    const ids = statement(kind, range !== undefined).all(...params, take, offset);
    const articles: Article[] = [];
    for (const id of ids) {
      const json = byFtsId.get(id);
      if (json !== undefined) articles.push(parseArticle(json));
    }
    if (kind === 'windowed' && take < limit && offset + take < total) {
      articles.push(...page(match, total, { ...scope, sort: 'date', limit: limit - take, offset: window }));
    }
    return articles;
  }

  return {
    upsert(articles: readonly Article[], origin: Origin = 'user'): UpsertResult {
      return upsert.immediate(articles.map(articleRow), origin);
    },
    /** Rows built by articleRow (in an import's parse worker, say): one transaction. */
    upsertRows(rows: readonly ArticleRow[], origin: Origin = 'user'): UpsertResult {
      return upsert.immediate(rows, origin);
    },
    remove(pmids: readonly string[]): number {
      return remove.immediate(pmids);
    },
    get(pmids: readonly string[]): Article[] {
      const found: Article[] = [];
      for (const id of pmids) {
        const json = PMID.test(id.trim()) ? byPmid.get(Number(id.trim())) : undefined;
        if (json !== undefined) found.push(parseArticle(json));
      }
      return found;
    },
    findByDoi(doi: string): Article | undefined {
      const json = byDoi.get(normalDoi(doi));
      return json === undefined ? undefined : parseArticle(json);
    },
    findByPmcid(pmcid: string): Article | undefined {
      const normal = normalPmcid(pmcid);
      const json = normal === undefined ? undefined : byPmcid.get(normal);
      return json === undefined ? undefined : parseArticle(json);
    },
    count(): number {
      return countAll.get() ?? 0;
    },
    search(q: LibrarySearch): LibrarySearchResult {
      const scope: Scope = {
        sort: q.sort ?? 'relevance',
        range: q.since === undefined && q.until === undefined ? undefined : rowKeyRange(q.since, q.until),
        limit: clampInt(q.limit, 0, MAX_PAGE),
        offset: clampInt(q.offset, 0, Number.MAX_SAFE_INTEGER),
      };
      const filter = typeFilter(q.types ?? []);
      if (q.terms.trim() === '') {
        // Filters alone ("type:rct since:2023"): newest first, since nothing can rank them.
        const match = filter ?? MATCH_EVERYTHING;
        const total = countMatches(match, scope);
        return { total, articles: page(match, total, { ...scope, sort: 'date' }), matchedAll: true };
      }
      const translated = toFtsMatch(q.terms, ARTICLE_QUERY);
      if (translated === undefined) return { total: 0, articles: [], matchedAll: true };
      const candidates = [translated.all];
      for (let i = 0; i < candidates.length; i += 1) {
        const match = filter === undefined ? (candidates[i] as string) : `(${candidates[i]}) AND ${filter}`;
        const total = countMatches(match, scope);
        if (i === 0 && total === 0 && !q.everyWord) candidates.push(...loosened(translated));
        if (total === 0) continue;
        const articles = page(match, total, scope);
        if (i === 0) return { total, articles, matchedAll: true };
        return { total, articles, matchedAll: false, dropped: droppedTerms(q.terms, articles) };
      }
      return { total: 0, articles: [], matchedAll: true };
    },
  };
}

export type Articles = ReturnType<typeof createArticles>;
