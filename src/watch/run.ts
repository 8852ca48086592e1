// `paperbot watch run` and every scheduled tick: load the shares inside the retention window, read their
// articles and trials fresh in batches, and tell each channel once about what changed (./notify.ts).

import type { Clock } from '../core/clock';
import type { Deliverer } from '../core/deliverer';
import { silentLogger, type Logger } from '../core/logger';
import type { Platform } from '../core/reply';
import { articleStatus, trialStatus, type ItemStatus } from '../core/shares';
import { storeKey, type DurableStore } from '../core/store';
import { mapLimit } from '../digest/concurrency';
import { changesBetween, sameStatus } from './compare';
import { fetchArticles, fetchTrials, type WatchPubmed, type WatchTrials } from './fetch';
import type { WatchLedger } from './ledger';
import type { Fresh } from './messages';
import { notifyChange } from './notify';
import type { WatchedShare, WatchOutcome, WatchRunReport } from './types';

const DAY = 24 * 3600_000;
export const DEFAULT_RETENTION_MS = 730 * DAY;
/** Longer than any run's posts take; a crashed run's claims free themselves after it. */
const CLAIM_TTL_MS = 10 * 60_000;
const NOTIFY_CONCURRENCY = 8;
/** A run started this soon after the last finished one is skipped unless --now (two replicas, one schedule). */
const MIN_RUN_GAP_MS = 60 * 60_000;

export interface WatchRunnerDeps {
  ledger: WatchLedger;
  /** Where the run marker lives (the process's durable store). */
  store: DurableStore;
  pubmed?: WatchPubmed;
  trials?: WatchTrials;
  deliverers: Partial<Record<Platform, Deliverer>>;
  clock: Clock;
  logger?: Logger;
  retentionMs?: number;
  claimTtlMs?: number;
}

export interface WatchRunOptions {
  /** Run even if another run finished within the hour. */
  now?: boolean;
  /** Look everything up and report what would be posted; post and write nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

const LAST_RUN_KEY = storeKey('watch', 'last-run');
/** One run at a time across replicas: the others skip (per-share claims still hold if this one expires). */
const RUN_CLAIM_KEY = storeKey('watch', 'run');

function freshFor(
  share: WatchedShare,
  articles: Map<string, Fresh & { kind: 'article' }>,
  trials: Map<string, Fresh & { kind: 'trial' }>,
): { fresh: Fresh; status: ItemStatus } | undefined {
  const fresh = share.item.kind === 'article' ? articles.get(share.item.id) : trials.get(share.item.id);
  if (!fresh) return undefined;
  return {
    fresh,
    status: fresh.kind === 'article' ? articleStatus(fresh.article) : trialStatus(fresh.trial),
  };
}

export async function runWatch(
  deps: WatchRunnerDeps,
  options: WatchRunOptions = {},
): Promise<WatchRunReport> {
  const logger = (deps.logger ?? silentLogger).child({ component: 'watch-run' });
  const at = deps.clock.now();
  const report: WatchRunReport = { at, watched: 0, checked: 0, unavailable: 0, outcomes: [] };
  if (!options.now && !options.dryRun) {
    const last = await deps.store.get<number>(LAST_RUN_KEY);
    if (last !== undefined && at - last < MIN_RUN_GAP_MS) return { ...report, skipped: 'ran_recently' };
  }
  const claimTtlMs = deps.claimTtlMs ?? CLAIM_TTL_MS;
  if (!options.dryRun && !(await deps.store.claim(RUN_CLAIM_KEY, claimTtlMs)))
    return { ...report, skipped: 'running_elsewhere' };
  try {
    return await watchOnce(deps, options, report, logger, claimTtlMs);
  } finally {
    if (!options.dryRun)
      await deps.store
        .delete(RUN_CLAIM_KEY)
        .catch((err: unknown) => logger.warn({ err }, 'watch: run claim not released; it expires'));
  }
}

async function watchOnce(
  deps: WatchRunnerDeps,
  options: WatchRunOptions,
  report: WatchRunReport,
  logger: Logger,
  claimTtlMs: number,
): Promise<WatchRunReport> {
  const { at } = report;
  const since = at - (deps.retentionMs ?? DEFAULT_RETENTION_MS);
  if (!options.dryRun) await deps.ledger.forgetBefore(since);
  const shares = (await deps.ledger.getMany(await deps.ledger.idsSince(since))).filter(
    (s) => !s.paused && !s.unwatched,
  );
  report.watched = shares.length;
  report.checked = shares.length;
  const batch = { priority: 'batch' as const, ...(options.signal ? { signal: options.signal } : {}) };
  const pmids = shares.flatMap((s) => (s.item.kind === 'article' ? [s.item.id] : []));
  const ncts = shares.flatMap((s) => (s.item.kind === 'trial' ? [s.item.id] : []));
  const [articles, trials] = await Promise.all([
    fetchArticles(deps.pubmed, pmids, batch),
    fetchTrials(deps.trials, ncts, batch),
  ]);
  for (const err of [...articles.errors, ...trials.errors])
    logger.warn({ err }, 'watch: a source batch failed');
  const freshArticles = new Map(
    [...articles.byId].map(([k, article]) => [k, { kind: 'article' as const, article }]),
  );
  const freshTrials = new Map([...trials.byId].map(([k, trial]) => [k, { kind: 'trial' as const, trial }]));

  const work: { share: WatchedShare; fresh: Fresh; status: ItemStatus }[] = [];
  for (const share of shares) {
    const found = freshFor(share, freshArticles, freshTrials);
    if (!found) {
      report.unavailable += 1;
      continue;
    }
    if (!sameStatus(share.status, found.status) || share.pending) work.push({ share, ...found });
  }

  const notify = { ledger: deps.ledger, clock: deps.clock, logger, claimTtlMs };
  await mapLimit(work, NOTIFY_CONCURRENCY, async ({ share, fresh, status }) => {
    const outcome = await (async (): Promise<WatchOutcome> => {
      if (options.dryRun)
        return { shareId: share.id, status: 'dry_run', changes: changesBetween(share.status, status) };
      const deliverer = deps.deliverers[share.platform];
      if (!deliverer) return { shareId: share.id, status: 'skipped', reason: 'no_deliverer' };
      if (options.signal?.aborted) return { shareId: share.id, status: 'failed', problem: 'stopped' };
      try {
        return await notifyChange(notify, deliverer, share.id, fresh, status);
      } catch (err) {
        logger.error({ err, share: share.id }, 'watch: notice failed');
        return { shareId: share.id, status: 'failed', problem: 'store_failure' };
      }
    })();
    report.outcomes.push(outcome);
  });
  if (!options.dryRun) await deps.store.set(LAST_RUN_KEY, at);
  const counts: Record<string, number> = {};
  for (const o of report.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  logger.info(
    {
      watched: report.watched,
      unavailable: report.unavailable,
      ...counts,
      ms: deps.clock.now() - at,
      dryRun: options.dryRun === true,
    },
    'watch run',
  );
  return report;
}
