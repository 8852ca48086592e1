// `paperbot watch run [--now] [--dry-run]`: one watcher run for people who prefer an external cron to the
// schedule inside `paperbot serve`. Same runner, same claims, same ledger: the two can share a data store.

import type { Config } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import { buildCore } from '../../src/main';
import { runWatch } from '../../src/watch';
import { platformMounts } from '../mounts';
import { deliverersOf } from '../platform';
import { countByStatus, parseRunArgs, type CliIo } from './io';

const USAGE = 'Usage: paperbot watch run [--now] [--dry-run]\n';

/** Exit codes: 0 done (or skipped, another run is recent or in progress); 1 a notice failed; 2 usage; 3 offline. */
export async function runWatchCommand(
  config: Config,
  logger: Logger,
  args: string[],
  io: CliIo,
): Promise<number> {
  const run = parseRunArgs(args);
  if (!run) {
    io.stderr.write(USAGE);
    return 2;
  }
  const core = await buildCore(config, logger);
  try {
    if (!core.watch.runner) {
      io.stderr.write(
        'paperbot watch run: the watcher needs PubMed and ClinicalTrials.gov; it cannot run offline.\n',
      );
      return 3;
    }
    const mounts = run.dryRun ? [] : await platformMounts(config, core, logger);
    const report = await runWatch(core.watch.runner(deliverersOf(mounts)), run);
    if (report.skipped) {
      io.stdout.write(
        report.skipped === 'ran_recently'
          ? 'Watch run skipped: a run finished less than an hour ago (use --now to run anyway).\n'
          : 'Watch run skipped: another paperbot is running the watcher now.\n',
      );
      return 0;
    }
    for (const o of report.outcomes)
      if (o.status === 'dry_run' && o.changes.length > 0)
        io.stdout.write(`would post: ${o.shareId} ${JSON.stringify(o.changes)}\n`);
    io.stdout.write(
      `Watch run: ${report.watched} watched, ${report.unavailable} not checkable now; ${countByStatus(report.outcomes, 'no changes')}.\n`,
    );
    return report.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } finally {
    await core.close();
  }
}
