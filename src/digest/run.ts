// `paperbot digest run` and every scheduler tick: find the due (subscription, slot) pairs, claim them, settle
// crashed posts, look PubMed up once per distinct query and window, and post each digest exactly once.

import { silentLogger } from '../core/logger';
import { dueSlot } from './due';
import { claimJobs, type Job } from './run-claims';
import {
  DEFAULT_TUNING,
  type DigestRunnerDeps,
  type DigestRunReport,
  type RunContext,
  type RunOptions,
} from './run-context';
import { processJobs } from './run-process';

export {
  DEFAULT_TUNING,
  type DigestOutcome,
  type DigestRunReport,
  type DigestRunnerDeps,
  type RunOptions,
  type RunTuning,
} from './run-context';

export async function runDueDigests(
  deps: DigestRunnerDeps,
  options: RunOptions = {},
): Promise<DigestRunReport> {
  const ctx: RunContext = {
    deps,
    tuning: { ...DEFAULT_TUNING, ...deps.tuning },
    logger: (deps.logger ?? silentLogger).child({ component: 'digest-run' }),
    at: deps.clock.now(),
    dryRun: options.dryRun === true,
    ...(options.signal ? { signal: options.signal } : {}),
    outcomes: [],
    held: new Set(),
    searches: 0,
  };
  const subscriptions = await deps.store.listAll();
  const due = subscriptions.flatMap((sub) => {
    const slot = dueSlot(sub, ctx.at, options.now === true);
    return slot === undefined ? [] : [{ sub, slot }];
  });
  if (due.length > 0) {
    try {
      const jobs: Job[] = ctx.dryRun ? due.map((d) => ({ ...d, attempts: 0 })) : await claimJobs(ctx, due);
      await processJobs(ctx, jobs);
    } finally {
      await Promise.all(
        [...ctx.held].map((claim) =>
          deps.store
            .releaseClaim(claim)
            .catch((err: unknown) =>
              ctx.logger.warn(
                { err, subscription: claim.subscriptionId },
                'digest: claim not released; it expires',
              ),
            ),
        ),
      );
    }
  }
  const report: DigestRunReport = {
    at: ctx.at,
    due: due.length,
    outcomes: ctx.outcomes,
    searches: ctx.searches,
  };
  if (due.length > 0) {
    const counts: Record<string, number> = {};
    for (const o of ctx.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
    ctx.logger.info(
      {
        due: due.length,
        searches: ctx.searches,
        ...counts,
        ms: deps.clock.now() - ctx.at,
        dryRun: ctx.dryRun,
      },
      'digest run',
    );
  }
  return report;
}
