// Which platform adapters `paperbot serve` mounts, decided by configuration alone.
// Each adapter stays in its own folder; this file only wires them to the shared server.

import type { Config } from '../src/config';
import type { Logger } from '../src/core/logger';
import type { Core } from '../src/main';
import type { Intake } from './intake';
import type { Mount } from './server';

/**
 * Each SDK is loaded only when its platform is configured: the Agents SDK alone (with MSAL, Express and
 * OpenTelemetry) adds about 30 MB to a process that serves Slack only.
 */
export async function platformMounts(
  config: Config,
  core: Core,
  logger: Logger,
  /** The server's one budget of unverified body bytes; each platform makes its own when absent. */
  intake?: Intake,
): Promise<Mount[]> {
  const mounts: Mount[] = [];
  if (config.slack) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- on demand, see above
    const { slackMount } = require('./slack') as typeof import('./slack');
    mounts.push(await slackMount(config, core, logger, intake));
  }
  if (config.teams) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- on demand, see above
    const { teamsMount } = require('./teams') as typeof import('./teams');
    mounts.push(await teamsMount(config, core, logger, intake));
  }
  if (mounts.length === 0)
    logger.warn({}, 'no chat platform is configured: only /healthz, /readyz and /metrics are served');
  return mounts;
}
