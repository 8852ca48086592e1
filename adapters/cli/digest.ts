// `paperbot digest run [--now] [--dry-run]`: one digest run for people who prefer an external cron to the
// scheduler inside `paperbot serve`. Same runner, same locks, same ledger: the two can share a data store.

import type { Config } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import { runDueDigests } from '../../src/digest';
import { buildCore } from '../../src/main';
import { platformMounts } from '../mounts';
import { deliverersOf } from '../platform';
import { countByStatus, parseRunArgs, type CliIo } from './io';
import { renderReply, type RenderOptions } from './render';

const USAGE = 'Usage: paperbot digest run [--now] [--dry-run]\n';

export async function runDigestCommand(
  config: Config,
  logger: Logger,
  args: string[],
  io: CliIo,
  render: RenderOptions,
): Promise<number> {
  const run = parseRunArgs(args);
  if (!run) {
    io.stderr.write(USAGE);
    return 2;
  }
  const core = await buildCore(config, logger);
  try {
    if (!core.digests.runner) {
      io.stderr.write('paperbot digest run: digests need PubMed; they cannot run offline.\n');
      return 1;
    }
    const mounts = await platformMounts(config, core, logger);
    const report = await runDueDigests(core.digests.runner(deliverersOf(mounts)), run);
    for (const outcome of report.outcomes)
      if (outcome.status === 'dry_run' && outcome.message)
        io.stdout.write(renderReply(outcome.message, render) + '\n');
    io.stdout.write(
      `Digest run: ${report.due} due, ${countByStatus(report.outcomes, 'nothing')}; ${report.searches} PubMed search${report.searches === 1 ? '' : 'es'}.\n`,
    );
    return report.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } finally {
    await core.close();
  }
}
