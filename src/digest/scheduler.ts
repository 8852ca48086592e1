// The digest scheduler inside `paperbot serve`: a run just after every minute boundary (and one at start,
// which catches up after downtime). Which slots are due is croner's arithmetic in ./schedule.ts.

import { silentLogger } from '../core/logger';
import { runDueDigests, type DigestRunReport, type DigestRunnerDeps } from './run';

const MINUTE = 60_000;
/** Slots fall on whole minutes; ticking a little after lets clocks of several replicas disagree slightly. */
const TICK_OFFSET_MS = 500;

export interface DigestScheduler {
  /** Stops ticking; a run in progress starts no new posts, cuts its waits short, and is awaited. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  /** Called after every run (metrics, tests). */
  onRun?: (report: DigestRunReport) => void;
}

export function startDigestScheduler(
  deps: DigestRunnerDeps,
  options: SchedulerOptions = {},
): DigestScheduler {
  const logger = (deps.logger ?? silentLogger).child({ component: 'digest-scheduler' });
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const report = await runDueDigests(deps, { signal: stopping.signal });
        options.onRun?.(report);
      } catch (err) {
        // The store or a platform failed as a whole; the next tick tries again.
        logger.error({ err }, 'digest run failed');
      }
      const now = deps.clock.now();
      try {
        await deps.clock.sleep(MINUTE - (now % MINUTE) + TICK_OFFSET_MS, stopping.signal);
      } catch {
        break;
      }
    }
  })();
  logger.info({}, 'digest scheduler started');
  return {
    async stop() {
      stopping.abort();
      await loop;
      logger.info({}, 'digest scheduler stopped');
    },
  };
}
