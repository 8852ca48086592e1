// `importFiles`: streams PubMed XML (.xml, .xml.gz), MEDLINE text (.nbib, .txt) and ClinicalTrials.gov JSON
// into the library in batched transactions, reporting progress and every broken record; never crashes on input.
// Reading a file is source.ts's (this thread) or worker-source.ts's (a parse worker, for big files).

import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../../core/clock';
import { isPaperbotError } from '../../core/errors';
import type { Trial } from '../../core/trial';
import type { ArticleRow } from '../article-row';
import type { LibraryStore, Origin } from '../store';
import { UnreadableFileError } from './items';
import { describeUnknown, sniff, type Format } from './sniff';
import { openLocal, type FileSource } from './source';
import { openInWorker } from './worker-source';

export interface ImportProgress {
  file: string;
  /** Records stored so far from this file. */
  records: number;
  /** Bytes of the file read so far (compressed bytes for .gz) and its size. */
  bytes: number;
  totalBytes: number;
}

export interface ImportProblem {
  file: string;
  line?: number;
  /** 0-based position of the record in the file. */
  index?: number;
  /** PMID or NCT id of the broken record, when it could be read. */
  id?: string;
  message: string;
}

export interface ImportOptions {
  onProgress?(progress: ImportProgress): void;
  onProblem?(problem: ImportProblem): void;
  /** 'user' (default); the bundled dataset imports as 'seed'. */
  origin?: Origin;
  clock?: Clock;
  /** Records per transaction. */
  batchSize?: number;
  /**
   * Parse in a worker thread while this one stores (two cores). Undefined: for files big enough to repay
   * the worker's start-up (see WORKER_MIN_BYTES).
   */
  parseInWorker?: boolean;
}

export interface ImportSummary {
  files: number;
  records: number;
  inserted: number;
  updated: number;
  problems: number;
  seconds: number;
}

/**
 * Records per transaction. FTS5 writes a transaction's postings as one index segment and merges segments
 * as they pile up, so small transactions cost index work: storing 20,000 large records took 160 µs of CPU
 * a record at 100, 141 at 250, 111 at 1,000 and 101 at 5,000. Past 1,000, peak RSS grows faster than
 * speed: on 100,000 records, 4,000 a transaction cut store CPU by 9% and raised peak RSS 287 → 370 MB.
 */
const DEFAULT_BATCH_SIZE = 1000;

/**
 * From this size (on disk; a gzip file holds about 8× its size) a parse worker repays its start-up, for
 * the formats whose records it builds into rows. ClinicalTrials.gov studies cross as whole objects, which
 * costs more than it saves (a 115 MB page: 25% more CPU and 80 MB more RSS in a worker, no faster).
 */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;
const GZIP_RATIO = 8;
const WORKER_FORMATS: ReadonlySet<Format> = new Set(['pubmed-xml', 'medline']);

function openSource(
  file: string,
  size: number,
  kind: { gzip: boolean; format: Format },
  worker?: boolean,
): FileSource {
  const big = WORKER_FORMATS.has(kind.format) && size * (kind.gzip ? GZIP_RATIO : 1) >= WORKER_MIN_BYTES;
  return (worker ?? big)
    ? openInWorker(file, kind.format, kind.gzip)
    : openLocal(file, kind.format, kind.gzip);
}

/** PubMed's own files: pubmed26n0001.xml.gz (baseline) … pubmed26n1400.xml.gz (daily updates), numbered in order. */
const PUBMED_FILE = /^pubmed(\d{2})n(\d{4})\.xml(?:\.gz)?$/;
const LAST_PUBMED_FILE = 'pubmed_file_last';

/** The file's place in PubMed's sequence (year of the baseline, then number), comparable as a number. */
export function pubmedFileOrder(file: string): number | undefined {
  const m = PUBMED_FILE.exec(path.basename(file));
  return m ? Number(m[1]) * 10_000 + Number(m[2]) : undefined;
}

/**
 * Records and deletions apply in the order files are imported, as PubMed publishes them. A PubMed file
 * older than one already imported would put older copies back: it is imported (a rebuild may want it)
 * but reported, so the later files can be imported again after it.
 */
function checkFileOrder(store: LibraryStore, file: string, report: (p: ImportProblem) => void): void {
  const order = pubmedFileOrder(file);
  if (order === undefined) return;
  const last = Number(store.getMeta(LAST_PUBMED_FILE) ?? '0');
  if (order < last) {
    report({
      file,
      message:
        `older than a PubMed file imported before (${String(last).padStart(6, '0')}): its records replace ` +
        'newer copies; import the later update files again after it',
    });
  } else store.setMeta(LAST_PUBMED_FILE, String(order));
}

export async function importFiles(
  store: LibraryStore,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const origin = options.origin ?? 'user';
  const summary: ImportSummary = { files: 0, records: 0, inserted: 0, updated: 0, problems: 0, seconds: 0 };
  const report = (problem: ImportProblem): void => {
    summary.problems += 1;
    options.onProblem?.(problem);
  };

  store.deferMerges();
  for (const file of paths) {
    let records = 0;
    let totalBytes = 0;
    let source: FileSource | undefined;
    let articles: ArticleRow[] = [];
    let trials: { trial: Trial; raw: unknown }[] = [];
    const progress = (): void =>
      options.onProgress?.({ file, records, bytes: source?.bytesRead() ?? 0, totalBytes });
    const flush = (): void => {
      for (const result of [
        articles.length > 0 ? store.upsertArticleRows(articles, { origin }) : undefined,
        trials.length > 0 ? store.upsertTrials(trials, { origin }) : undefined,
      ]) {
        if (result === undefined) continue;
        summary.inserted += result.inserted;
        summary.updated += result.updated;
      }
      records += articles.length + trials.length;
      articles = [];
      trials = [];
      progress();
    };

    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile()) throw new UnreadableFileError('not a regular file');
      totalBytes = stat.size;
      const kind = await sniff(file);
      if (kind.format === undefined) throw new UnreadableFileError(describeUnknown(file, kind.empty));
      summary.files += 1;
      if (kind.format === 'pubmed-xml') checkFileOrder(store, file, report);
      source = openSource(file, stat.size, { gzip: kind.gzip, format: kind.format }, options.parseInWorker);
      for await (const item of source.items) {
        if (item.kind === 'row') {
          articles.push(item.row);
          if (articles.length >= batchSize) flush();
        } else if (item.kind === 'trial') {
          trials.push({ trial: item.trial, raw: item.raw });
          if (trials.length >= batchSize) flush();
        } else if (item.kind === 'deleted') {
          flush(); // a deletion applies to what came before it in the file
          store.deleteArticles(item.pmids);
        } else {
          report({ file, ...item.problem });
        }
      }
      flush();
    } catch (error) {
      // A failing database is not a problem with one file: stop the whole import.
      if (isPaperbotError(error) && error.code === 'store_failure') throw error;
      // What was read before the failure is kept; the file is reported with the reason.
      if (articles.length + trials.length > 0) flush();
      report({ file, message: error instanceof Error ? error.message : String(error) });
    } finally {
      await source?.close();
    }
    summary.records += records;
  }
  store.settleIndex(summary.inserted + summary.updated);
  summary.seconds = (clock.now() - started) / 1000;
  return summary;
}
