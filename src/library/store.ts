// The local library: one SQLite file (better-sqlite3, WAL) holding articles and trials with FTS5 indexes.
// Opens, migrates and composes articles.ts and trials.ts; importing files is import/'s, seeding is seed.ts's.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../core/article';
import { systemClock, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { Trial } from '../core/trial';
import type { LibrarySearch, LibrarySearchResult, LibraryTrialSearch } from '../core/sources';
import { createArticles, type Origin, type UpsertResult } from './articles';
import type { ArticleRow } from './article-row';
import { migrate } from './schema';
import { createSyncStates, type SavedSync, type SyncSource } from './sync-state';
import { createTrials } from './trials';
import type { TrialPlan } from './trial-search';

export type { Origin, UpsertResult } from './articles';
export type { SavedSync, SyncSource } from './sync-state';
export type { TrialPlan } from './trial-search';
/** What one batch of a sync stores, and where the sync stands once it is stored. */
export interface SyncBatch {
  syncId: number;
  articles?: readonly Article[];
  trials?: readonly { trial: Trial; raw: unknown }[];
  /** PubMed's DeleteCitation PMIDs met in the batch. */
  deleted?: readonly string[];
  /** The run's position after this batch (opaque to the store); null ends the run's row state. */
  run: string | null;
}

export interface LibraryOptions {
  /** The database file (created with its directory when missing), or ':memory:'. */
  path: string;
  clock?: Clock;
  logger?: Logger;
}

export interface UpsertOptions {
  /** 'user' (default) for imports; 'seed' for the bundled dataset, which never overwrites a user's record. */
  origin?: Origin;
}

export interface LibraryStore {
  readonly path: string;
  /** One transaction; a PMID already present is updated in place, never duplicated. */
  upsertArticles(articles: readonly Article[], options?: UpsertOptions): UpsertResult;
  /** The same for rows already built by articleRow (an import's parse worker builds them). */
  upsertArticleRows(rows: readonly ArticleRow[], options?: UpsertOptions): UpsertResult;
  /** Removes records (PubMed DeleteCitation); returns how many were present. */
  deleteArticles(pmids: readonly string[]): number;
  /** In the order asked; PMIDs the library lacks are skipped. */
  getArticles(pmids: readonly string[]): Article[];
  findByDoi(doi: string): Article | undefined;
  findByPmcid(pmcid: string): Article | undefined;
  search(q: LibrarySearch): LibrarySearchResult;
  upsertTrials(trials: readonly { trial: Trial; raw: unknown }[], options?: UpsertOptions): UpsertResult;
  getTrial(nct: string): Trial | undefined;
  findTrialsByAcronym(acronym: string): Trial[];
  /** `plan` forces which side drives a radius search (tests compare them); by default it is chosen per query. */
  searchTrials(q: LibraryTrialSearch, plan?: TrialPlan): { total: number; trials: Trial[] };
  counts(): { articles: number; trials: number };
  /** Saved syncs, by source and query. */
  listSyncs(): SavedSync[];
  openSync(source: SyncSource, query: string): SavedSync;
  /**
   * One transaction: the batch's records and the sync's new position, so a run stopped at any point
   * neither loses a batch nor fetches one twice when it resumes.
   */
  storeSyncBatch(batch: SyncBatch): UpsertResult;
  finishSync(id: number, coveredTo: string, count: number): void;
  /** Bytes of the database file and its write-ahead log (0 in memory). */
  sizeBytes(): number;
  /**
   * Before a bulk write that settleIndex will end: index segments stay unmerged until then (see
   * DEFERRED_MERGES). A process that dies in between leaves them so until the next import or sync settles.
   */
  deferMerges(): void;
  /**
   * After a bulk write of `changed` records: puts back the usual merge policy, and merges the indexes into
   * one segment when the records are a large share of the library (see OPTIMIZE_SHARE). Returns whether it
   * merged.
   */
  settleIndex(changed: number): boolean;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}

/**
 * FTS5's 'optimize' merges every segment into one: searches got faster (100k records, back to back:
 * p50 1.9 → 1.5 ms, p99 17–28 → 9.5 ms; 1M: p50 13 → 8 ms, p99 178 → 91 ms under load) for 1.2 s at
 * 100k and 22 s at 1M. It rewrites the whole index, so only a write that changed at least this share of
 * the library (a first import, a big sync) pays for it; daily updates leave merging to automerge.
 */
const OPTIMIZE_SHARE = 0.1;
const OPTIMIZE_MIN_RECORDS = 10_000;

/**
 * How FTS5 merges segments as they pile up: automerge 8 (the first migration's), crisismerge 16 (FTS5's).
 * A bulk import that ends in one 'optimize' gains nothing from merging on the way (each posting was
 * rewritten two or three times before the final merge), so it writes with automerge off and a level may
 * hold up to 64 segments (FTS5 allows 2,000 in all): 300,000 records stored in 14.4 instead of 16.5 s of
 * CPU, the final merge no longer. Searches still work meanwhile, on more segments.
 */
const USUAL_MERGES = { automerge: 8, crisismerge: 16 } as const;
const DEFERRED_MERGES = { automerge: 0, crisismerge: 64 } as const;
const FTS_TABLES = ['articles_fts', 'trials_fts'] as const;
/**
 * WAL pages between checkpoints: SQLite's 1,000 (4 MB) normally; 10,000 during a bulk write, so its
 * checkpoints (each an fsync) come ten times less often for the same bytes. 300,000 records: store CPU
 * 14.0 → 13.3 s, wall 16.9 → 15.6 s. Each commit stays as durable (WAL, synchronous NORMAL).
 */
const USUAL_CHECKPOINT = 1000;
const BULK_CHECKPOINT = 10_000;
/**
 * SQLite's page cache (KiB): 32 MB for searches; 16 MB during a bulk write, which appends rows and index
 * segments and touches few old pages (100,000 records: peak RSS −17 MB, no slower).
 */
const USUAL_CACHE_KIB = 32_000;
const BULK_CACHE_KIB = 16_000;

function storeFailure(what: string, error: unknown): PaperbotError {
  if (error instanceof PaperbotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PaperbotError('store_failure', `library ${what}: ${message}`, {
    cause: error,
    retryable: false,
  });
}

function guard<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storeFailure(what, error);
  }
}

function openDatabase(file: string, logger: Logger): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a crash may lose the last commits, never corrupt the file; imports can be re-run.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${USUAL_CACHE_KIB}`);
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  logger.debug({ file }, 'library opened');
  return db;
}

export function openLibrary(options: LibraryOptions): LibraryStore {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const db = guard(`cannot open ${options.path}`, () => openDatabase(options.path, logger));
  const articles = createArticles(db, clock);
  const trials = createTrials(db, clock);
  const syncs = createSyncStates(db, clock);
  // Nested inside this transaction, the upserts' own transactions become savepoints.
  const syncBatch = db.transaction((batch: SyncBatch): UpsertResult => {
    const result: UpsertResult = { inserted: 0, updated: 0, skipped: 0 };
    for (const part of [
      batch.articles?.length ? articles.upsert(batch.articles) : undefined,
      batch.trials?.length ? trials.upsert(batch.trials) : undefined,
    ]) {
      if (part === undefined) continue;
      result.inserted += part.inserted;
      result.updated += part.updated;
      result.skipped += part.skipped;
    }
    if (batch.deleted?.length) articles.remove(batch.deleted);
    syncs.advance(batch.syncId, batch.run, result.inserted + result.updated);
    return result;
  });
  const getMeta = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const automerge = db.prepare<[], number>(`SELECT v FROM articles_fts_config WHERE k = 'automerge'`).pluck();
  const setMerges = (policy: { automerge: number; crisismerge: number }): void => {
    // Numbers in the SQL text: FTS5 wants these values as integers, and a bound JS number is a REAL.
    for (const table of FTS_TABLES) {
      db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('automerge', ${policy.automerge})`);
      db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('crisismerge', ${policy.crisismerge})`);
    }
  };
  const setMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  let closed = false;

  return {
    path: options.path,
    upsertArticles: (list, o) => guard('upsert failed', () => articles.upsert(list, o?.origin)),
    upsertArticleRows: (rows, o) => guard('upsert failed', () => articles.upsertRows(rows, o?.origin)),
    deleteArticles: (pmids) => guard('delete failed', () => articles.remove(pmids)),
    getArticles: (pmids) => guard('read failed', () => articles.get(pmids)),
    findByDoi: (doi) => guard('read failed', () => articles.findByDoi(doi)),
    findByPmcid: (pmcid) => guard('read failed', () => articles.findByPmcid(pmcid)),
    search(q) {
      logger.debug(
        { terms: q.terms, types: q.types, since: q.since, until: q.until, sort: q.sort },
        'library search',
      );
      return guard('search failed', () => articles.search(q));
    },
    upsertTrials: (list, o) => guard('upsert failed', () => trials.upsert(list, o?.origin)),
    getTrial: (nct) => guard('read failed', () => trials.get(nct)),
    findTrialsByAcronym: (acronym) => guard('read failed', () => trials.findByAcronym(acronym)),
    searchTrials(q, plan) {
      logger.debug({ terms: q.terms, status: q.status, phase: q.phase }, 'library trial search');
      return guard('search failed', () => trials.search(q, plan));
    },
    counts: () => guard('read failed', () => ({ articles: articles.count(), trials: trials.count() })),
    listSyncs: () => guard('read failed', () => syncs.list()),
    openSync: (source, query) => guard('write failed', () => syncs.open(source, query)),
    storeSyncBatch: (batch) => guard('upsert failed', () => syncBatch.immediate(batch)),
    finishSync: (id, coveredTo, count) => guard('write failed', () => syncs.finish(id, coveredTo, count)),
    sizeBytes() {
      if (options.path === ':memory:') return 0;
      let total = 0;
      for (const file of [options.path, `${options.path}-wal`]) {
        try {
          total += fs.statSync(file).size;
        } catch {
          // No WAL file between checkpoints is normal.
        }
      }
      return total;
    },
    deferMerges: () =>
      guard('write failed', () => {
        setMerges(DEFERRED_MERGES);
        db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT}`);
        db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
      }),
    settleIndex(changed) {
      guard('write failed', () => {
        if (automerge.get() !== USUAL_MERGES.automerge) setMerges(USUAL_MERGES);
        db.pragma(`wal_autocheckpoint = ${USUAL_CHECKPOINT}`);
        db.pragma(`cache_size = -${USUAL_CACHE_KIB}`);
      });
      // Articles and trials are counted together: an import or sync may bring either.
      const total = guard('read failed', () => articles.count() + trials.count());
      if (changed < OPTIMIZE_MIN_RECORDS || changed < total * OPTIMIZE_SHARE) return false;
      guard('optimize failed', () => {
        db.exec(`INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`);
        db.exec(`INSERT INTO trials_fts (trials_fts) VALUES ('optimize')`);
      });
      logger.debug({ changed, total }, 'library indexes optimized');
      return true;
    },
    getMeta: (key) => guard('read failed', () => getMeta.get(key)),
    setMeta: (key, value) => guard('write failed', () => void setMeta.run(key, value)),
    close() {
      if (closed) return;
      closed = true;
      try {
        db.pragma('optimize');
      } finally {
        db.close();
      }
    },
  };
}
