// What every format reader yields to the importer: records, deletions and per-record problems.
// Batching, storing and progress are import/index.ts's.

import type { Article } from '../../core/article';
import type { Trial } from '../../core/trial';
import type { ArticleRow } from '../article-row';

export interface RecordProblem {
  /** 0-based position of the record in its file. */
  index?: number;
  /** Line where the record starts (or where the problem is). */
  line?: number;
  /** The record's PMID or NCT id, when it could be read. */
  id?: string;
  message: string;
}

export type ImportItem =
  | { kind: 'article'; article: Article }
  | { kind: 'deleted'; pmids: string[] }
  | { kind: 'trial'; trial: Trial; raw: unknown }
  | { kind: 'problem'; problem: RecordProblem };

/** What the importer stores: each article already built into its row (in this thread or a worker). */
export type RowItem = { kind: 'row'; row: ArticleRow } | Exclude<ImportItem, { kind: 'article' }>;

/** The file as a whole is not what its reader expected (unknown format, not JSON, wrong root). */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}
