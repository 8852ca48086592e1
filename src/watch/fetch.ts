// The source work of a watch run: every watched PMID in EFetch batches of 200, every NCT id in registry
// batches of 200, a few in flight; the shared rate budgets pace the requests. A failed batch is only unknown.

import type { Article } from '../core/article';
import type { CallOptions } from '../core/sources';
import type { Trial } from '../core/trial';
import { mapLimit } from '../digest/concurrency';

/** NCBI asks for POST above 200 ids; 200 keeps each EFetch one modest request. */
export const WATCH_BATCH = 200;
const IN_FLIGHT = 4;

/** What the watcher needs from PubMed (src/pubmed/service.ts satisfies it). */
export interface WatchPubmed {
  efetchFresh(pmids: string[], o?: CallOptions): Promise<{ articles: Article[]; missing: string[] }>;
}

/** What the watcher needs from ClinicalTrials.gov (src/clinicaltrials/service.ts satisfies it). */
export interface WatchTrials {
  studiesFresh(ncts: string[], o?: CallOptions): Promise<Trial[]>;
}

export interface Fetched<T> {
  byId: Map<string, T>;
  /** Ids whose batch failed (or whose source is off): unknown this run, not changed. */
  unknown: Set<string>;
  errors: unknown[];
}

function batches(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += WATCH_BATCH) out.push(ids.slice(i, i + WATCH_BATCH));
  return out;
}

async function fetchAll<T>(
  ids: readonly string[],
  load: ((batch: string[]) => Promise<T[]>) | undefined,
  idOf: (item: T) => string,
): Promise<Fetched<T>> {
  const unique = [...new Set(ids)];
  const out: Fetched<T> = { byId: new Map(), unknown: new Set(), errors: [] };
  if (!load) {
    for (const id of unique) out.unknown.add(id);
    return out;
  }
  await mapLimit(batches(unique), IN_FLIGHT, async (batch) => {
    try {
      for (const item of await load(batch)) out.byId.set(idOf(item), item);
    } catch (error) {
      out.errors.push(error);
      for (const id of batch) out.unknown.add(id);
    }
  });
  return out;
}

export function fetchArticles(pubmed: WatchPubmed | undefined, pmids: readonly string[], o: CallOptions) {
  return fetchAll(
    pmids,
    pubmed ? async (batch) => (await pubmed.efetchFresh(batch, o)).articles : undefined,
    (a: Article) => a.pmid,
  );
}

export function fetchTrials(trials: WatchTrials | undefined, ncts: readonly string[], o: CallOptions) {
  return fetchAll(ncts, trials ? (batch) => trials.studiesFresh(batch, o) : undefined, (t: Trial) => t.nct);
}
