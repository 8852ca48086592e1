// Which platform adapters `paperbot serve` mounts, decided by configuration alone.
// Each adapter stays in its own folder; this file only wires them to the shared server.

import type { Config } from '../src/config';
import type { Logger } from '../src/core/logger';
import type { Core } from '../src/main';
import type { Mount } from './server';
import { slackMount } from './slack';
import { teamsMount } from './teams';

export async function platformMounts(config: Config, core: Core, logger: Logger): Promise<Mount[]> {
  const mounts: Mount[] = [];
  if (config.slack) mounts.push(await slackMount(config, core, logger));
  if (config.teams) mounts.push(await teamsMount(config, core, logger));
  if (mounts.length === 0)
    logger.warn({}, 'no chat platform is configured: only /healthz, /readyz and /metrics are served');
  return mounts;
}
