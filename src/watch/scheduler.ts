// The watcher inside `paperbot serve`: one run at each slot of WATCH_SCHEDULE (a cron expression in UTC,
// daily by default), croner doing the calendar arithmetic. A run in progress is awaited on stop.

import { Cron } from 'croner';
import { silentLogger } from '../core/logger';
import { runWatch, type WatchRunnerDeps } from './run';
import type { WatchRunReport } from './types';

export interface WatchScheduler {
  stop(): Promise<void>;
}

/** Throws on an expression croner refuses (config.ts checks it at start-up with the same call). */
export function nextWatchRun(pattern: string, afterMs: number): number {
  const next = new Cron(pattern, { timezone: 'UTC' }).nextRun(new Date(afterMs));
  if (!next) throw new Error(`watch schedule ${pattern} has no next run`);
  return next.getTime();
}

export function startWatchScheduler(
  deps: WatchRunnerDeps,
  o: { schedule: string; onRun?: (report: WatchRunReport) => void },
): WatchScheduler {
  const logger = (deps.logger ?? silentLogger).child({ component: 'watch-scheduler' });
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const now = deps.clock.now();
      try {
        await deps.clock.sleep(nextWatchRun(o.schedule, now) - now, stopping.signal);
      } catch {
        break;
      }
      try {
        o.onRun?.(await runWatch(deps, { signal: stopping.signal }));
      } catch (err) {
        // The store or a source failed as a whole; the next slot tries again.
        logger.error({ err }, 'watch run failed');
      }
    }
  })();
  logger.info({ schedule: o.schedule }, 'watch scheduler started');
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
