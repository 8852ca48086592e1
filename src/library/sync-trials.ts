// `library sync-trials`: a saved ClinicalTrials.gov query pulled into the library, 1,000 studies a page by
// pageToken, resumable and incremental. HTTP is src/clinicaltrials's; retries and the 2 req/s budget the kit's.
//
// A later run asks only for studies whose record was updated since the last run reached
// (AREA[LastUpdatePostDate]RANGE[day,MAX]). Each page is stored in one transaction with the token of the
// next, so a stopped run resumes at the first page it had not stored; a token the API no longer accepts
// restarts that run from its first page (pages are idempotent upserts).

import type { Clock } from '../core/clock';
import { isPaperbotError, PaperbotError } from '../core/errors';
import type { CtgovClient } from '../clinicaltrials/client';
import type { SourceCaller } from '../sources/caller';
import { entrezDay } from './sync-dates';
import type { LibraryStore } from './store';
import type { SyncProgress, SyncSummary } from './sync-pubmed';

/** The most the v2 API serves on a page. */
export const TRIALS_PAGE_SIZE = 1000;
const CALL_DEADLINE_MS = 120_000;

interface TrialsRun {
  to: string;
  term: string;
  pageToken?: string;
  total?: number;
  fetched: number;
}

export interface TrialsSyncDeps {
  library: LibraryStore;
  client: Pick<CtgovClient, 'searchStudies'>;
  /** ClinicalTrials.gov's caller on the source kit: the shared budget, retries and deadlines. */
  caller: SourceCaller;
  clock: Clock;
  onProgress?(progress: SyncProgress): void;
  signal?: AbortSignal;
  /** Studies per page; TRIALS_PAGE_SIZE unless a test needs many pages of few studies. */
  pageSize?: number;
}

/** The query, narrowed to studies updated from `since` (YYYY/MM/DD) when a previous run covered that far. */
export function trialsTerm(query: string, since: string | undefined): string {
  if (since === undefined) return query;
  return `(${query}) AND AREA[LastUpdatePostDate]RANGE[${since.replace(/\//g, '-')},MAX]`;
}

function parseRun(text: string): TrialsRun {
  // Only this module writes the column, always JSON.stringify of a TrialsRun.
  return JSON.parse(text) as TrialsRun;
}

const staleToken = (error: unknown): boolean =>
  isPaperbotError(error) && error.code === 'upstream_error' && /token/i.test(error.message);

export async function syncTrials(deps: TrialsSyncDeps, query: string): Promise<SyncSummary> {
  const wanted = query.trim();
  if (wanted === '')
    throw new PaperbotError('bad_input', 'library sync-trials: give a ClinicalTrials.gov query');
  const { library, clock } = deps;
  const pageSize = deps.pageSize ?? TRIALS_PAGE_SIZE;
  const saved = library.openSync('clinicaltrials', wanted);
  const resumed = saved.run !== undefined;
  let run: TrialsRun = resumed
    ? parseRun(saved.run as string)
    : { to: entrezDay(clock.now()), term: trialsTerm(wanted, saved.coveredTo), fetched: 0 };
  let stored = 0;

  for (;;) {
    if (deps.signal?.aborted) return { query: wanted, stored, resumed, finished: false, coveredTo: run.to };
    const token = run.pageToken;
    let page;
    try {
      page = await deps.caller.call(undefined, { priority: 'batch', deadlineMs: CALL_DEADLINE_MS }, (ctx) =>
        deps.caller.step('searchStudies', ctx, (signal) =>
          deps.client.searchStudies(
            { term: run.term, pageSize, ...(token ? { pageToken: token } : { countTotal: true }) },
            signal,
          ),
        ),
      );
    } catch (error) {
      if (token === undefined || !staleToken(error)) throw error;
      run = { to: run.to, term: run.term, fetched: 0 };
      continue;
    }
    const next: TrialsRun = {
      ...run,
      fetched: run.fetched + page.studies.length,
      ...(page.totalCount !== undefined ? { total: page.totalCount } : {}),
    };
    delete next.pageToken;
    if (page.nextPageToken) next.pageToken = page.nextPageToken;
    const result = library.storeSyncBatch({
      syncId: saved.id,
      trials: page.studies.map((trial) => ({ trial, raw: undefined })),
      run: JSON.stringify(next),
    });
    stored += result.inserted + result.updated;
    run = next;
    deps.onProgress?.({ stored, remaining: Math.max(0, (run.total ?? run.fetched) - run.fetched) });
    if (!page.nextPageToken) break;
  }
  library.storeSyncBatch({ syncId: saved.id, run: null });
  library.finishSync(saved.id, run.to, run.fetched);
  return { query: wanted, stored, resumed, finished: true, coveredTo: run.to };
}
