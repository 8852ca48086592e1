// `library sync` for PubMed: a saved query pulled into the library through ESearch's history server and
// EFetch in batches of 500, resumable and incremental. HTTP is src/pubmed's; deadlines, retries and the budget the kit's.
//
// A run is a list of date windows (Entrez date, then modification date) kept in the library with the
// position reached in the first one. PubMed serves at most 9,999 records of one search, so a window
// holding more is halved by days until each half fits. Every batch is stored in one transaction with the
// new position, so a run stopped anywhere resumes at the first batch it had not stored.

import type { Article } from '../core/article';
import type { Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import type { EutilsClient } from '../pubmed/eutils';
import type { SourceCaller } from '../sources/caller';
import { entrezDay, halve } from './sync-dates';
import type { LibraryStore } from './store';

/** Records per EFetch: NCBI's advice for history-server batches. */
export const SYNC_BATCH = 500;
/** The most records one ESearch result set serves (retstart stops at 9998). */
export const MAX_WINDOW_RECORDS = 9999;
/** Before the first Entrez date PubMed has. */
const EARLIEST_DAY = '1800/01/01';
const CALL_DEADLINE_MS = 120_000;

interface SyncWindow {
  datetype: 'edat' | 'mdat';
  from: string;
  to: string;
}

/** What is kept between batches: the windows left, and where the first one stands. */
interface PubmedRun {
  to: string;
  windows: SyncWindow[];
  retstart: number;
  /** The first window's record count when its fetching began: a different count means the set changed. */
  count?: number;
  /** Records counted in the windows already finished. */
  done: number;
}

export interface SyncProgress {
  /** Records stored by this run so far. */
  stored: number;
  /** Records known to be left in the window being fetched. */
  remaining: number;
}

export interface SyncSummary {
  query: string;
  /** Records (new or revised) stored by this invocation. */
  stored: number;
  /** True when this invocation continued an interrupted run. */
  resumed: boolean;
  /** False when the signal stopped it; the next run continues. */
  finished: boolean;
  coveredTo: string;
}

export interface PubmedSyncDeps {
  library: LibraryStore;
  client: Pick<EutilsClient, 'esearch' | 'efetchHistory'>;
  /** PubMed's caller on the source kit: the shared NCBI budget, retries and deadlines. */
  caller: SourceCaller;
  clock: Clock;
  onProgress?(progress: SyncProgress): void;
  /** Stops after the batch in hand is stored. */
  signal?: AbortSignal;
  /** Records per EFetch; SYNC_BATCH unless a test needs many batches of few records. */
  batchSize?: number;
}

export interface PubmedSyncOptions {
  /** YYYY/MM/DD: the first run takes records that entered PubMed from this day; later runs start there. */
  since?: string;
}

function firstPlan(today: string, from: string | undefined, coveredTo: string | undefined): PubmedRun {
  const start = from ?? coveredTo;
  const windows: SyncWindow[] =
    coveredTo === undefined && from === undefined
      ? [{ datetype: 'edat', from: EARLIEST_DAY, to: today }]
      : coveredTo === undefined
        ? [{ datetype: 'edat', from: start as string, to: today }]
        : [
            { datetype: 'edat', from: start as string, to: today },
            { datetype: 'mdat', from: start as string, to: today },
          ];
  return { to: today, windows, retstart: 0, done: 0 };
}

/**
 * The ESearch term of a window. The modification-date window leaves out what entered PubMed in the same
 * days: the Entrez-date window has fetched those already.
 */
export function windowTerm(query: string, w: SyncWindow): string {
  return w.datetype === 'edat' ? query : `(${query}) NOT ("${w.from}"[EDAT] : "${w.to}"[EDAT])`;
}

function parseRun(text: string): PubmedRun {
  // Only this module writes the column, always JSON.stringify of a PubmedRun.
  return JSON.parse(text) as PubmedRun;
}

export async function syncPubmed(
  deps: PubmedSyncDeps,
  query: string,
  options: PubmedSyncOptions = {},
): Promise<SyncSummary> {
  const term = query.trim();
  if (term === '') throw new PaperbotError('bad_input', 'library sync: give a PubMed query');
  const { library, clock } = deps;
  const saved = library.openSync('pubmed', term);
  const resumed = saved.run !== undefined;
  let run = resumed
    ? parseRun(saved.run as string)
    : firstPlan(entrezDay(clock.now()), options.since, saved.coveredTo);
  const batch = deps.batchSize ?? SYNC_BATCH;
  let stored = 0;
  const save = (next: PubmedRun, articles: Article[] = [], deleted: string[] = []): void => {
    const result = library.storeSyncBatch({ syncId: saved.id, articles, deleted, run: JSON.stringify(next) });
    stored += result.inserted + result.updated;
    run = next;
  };

  const call = <T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    deps.caller.call(undefined, { priority: 'batch', deadlineMs: CALL_DEADLINE_MS }, (ctx) =>
      deps.caller.step(what, ctx, work),
    );

  while (run.windows.length > 0) {
    if (deps.signal?.aborted) return { query: term, stored, resumed, finished: false, coveredTo: run.to };
    const [window, ...rest] = run.windows as [SyncWindow, ...SyncWindow[]];
    const found = await call('esearch', (signal) =>
      deps.client.esearch(
        {
          term: windowTerm(term, window),
          sort: 'pub_date',
          retstart: 0,
          retmax: 0,
          datetype: window.datetype,
          mindate: window.from,
          maxdate: window.to,
          usehistory: true,
        },
        { signal },
      ),
    );
    if (found.count > MAX_WINDOW_RECORDS) {
      const halves = halve(window.from, window.to);
      if (halves === undefined) {
        throw new PaperbotError(
          'bad_input',
          `more than ${MAX_WINDOW_RECORDS.toLocaleString('en-US')} records of "${term}" have ${window.datetype} ${window.from}, ` +
            'more than PubMed serves to one search: import PubMed baseline files for this (docs/library.md)',
        );
      }
      const split = halves.map(([from, to]) => ({ datetype: window.datetype, from, to }));
      save({ ...run, windows: [...split, ...rest], retstart: 0, count: undefined });
      continue;
    }
    // A set that changed size since the run stopped may have shifted under the position: start it over.
    const retstart = run.count === found.count ? run.retstart : 0;
    save({ ...run, retstart, count: found.count });
    const history = found.history;
    for (let at = retstart; at < found.count && history !== undefined; at += batch) {
      if (deps.signal?.aborted) return { query: term, stored, resumed, finished: false, coveredTo: run.to };
      const set = await call('efetch', (signal) =>
        deps.client.efetchHistory({ ...history, retstart: at, retmax: batch }, { signal }),
      );
      save({ ...run, retstart: at + batch }, set.articles, set.deleted);
      deps.onProgress?.({ stored, remaining: Math.max(0, found.count - at - batch) });
    }
    save({ ...run, windows: rest, retstart: 0, count: undefined, done: run.done + found.count });
  }
  library.storeSyncBatch({ syncId: saved.id, run: null });
  library.finishSync(saved.id, run.to, run.done);
  library.settleIndex(run.done);
  return { query: term, stored, resumed, finished: true, coveredTo: run.to };
}
