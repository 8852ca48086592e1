// What finishing a run writes (run record, watermark, slot, retry, ledger), computed once for both store
// backends so SQLite and Redis cannot drift apart, and the error both raise. Applying it is each backend's.

import { PaperbotError } from '../core/errors';
import type { LastResult, PauseInfo, RunOutcome, RunRecord } from './types';

const DAY = 24 * 3_600_000;
/**
 * A window starts on its watermark's Entrez day, never earlier, so a PMID sent more than a couple of days
 * before the latest watermark can never be queried again: older ledger entries are dropped.
 */
export const LEDGER_KEEP_MS = 3 * DAY;
/** Run records are kept for inspection and reconciliation, then dropped. */
export const RUN_KEEP_MS = 14 * DAY;

/** What finishing a run writes, computed once for both backends. */
export interface RunEffects {
  run: RunRecord;
  ledger?: { pmids: string[]; sentAt: number; pruneBefore: number };
  /** Raised to at least this (never lowered). */
  watermark?: number;
  lastSlot?: number;
  /** null clears a pending retry. */
  retryAt: number | null;
  lastResult: LastResult;
  pause?: PauseInfo;
  /** Leave `openRun` pointing at this run: its post may exist (a failure that may have posted). */
  keepOpen: boolean;
}

export function runEffects(outcome: RunOutcome): RunEffects {
  const { run, at } = outcome;
  const base = { slot: run.slot, at };
  switch (outcome.status) {
    case 'delivered':
      return {
        run: { ...run, status: 'delivered', finishedAt: at },
        ledger: { pmids: run.pmids, sentAt: run.windowEnd, pruneBefore: run.windowEnd - LEDGER_KEEP_MS },
        watermark: run.windowEnd,
        lastSlot: run.slot,
        retryAt: null,
        lastResult: { ...base, status: 'delivered', count: run.count },
        keepOpen: false,
      };
    case 'empty':
      return {
        run: { ...run, status: 'empty', finishedAt: at },
        watermark: run.windowEnd,
        lastSlot: run.slot,
        retryAt: null,
        lastResult: { ...base, status: 'empty', count: 0 },
        keepOpen: false,
      };
    case 'failed':
      return {
        run: { ...run, status: 'failed', finishedAt: at },
        ...(outcome.giveUp ? { lastSlot: run.slot } : {}),
        retryAt: outcome.giveUp ? null : (outcome.retryAt ?? null),
        lastResult: { ...base, status: 'failed', ...(run.problem ? { problem: run.problem } : {}) },
        keepOpen: run.maybePosted === true,
      };
    case 'paused':
      return {
        run: { ...run, status: 'paused', finishedAt: at },
        lastSlot: run.slot,
        retryAt: null,
        lastResult: {
          ...base,
          status: 'paused',
          ...(outcome.pause.problem ? { problem: outcome.pause.problem } : {}),
        },
        pause: outcome.pause,
        keepOpen: false,
      };
  }
}

/** Any backend failure, as the stable error the runner and the handler act on (retry later). */
export function storeFailure(error: unknown): PaperbotError {
  if (error instanceof PaperbotError) return error;
  return new PaperbotError(
    'store_failure',
    `digest store: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, retryable: true },
  );
}
