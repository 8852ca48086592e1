// The mount list: which chat platforms `paperbot serve` can carry, each mounted when its configuration is set.
// Adding a platform adds one row here; the contract it fulfils is platform.ts's.

import type { Config } from '../src/config';
import type { Logger } from '../src/core/logger';
import type { Core } from '../src/main';
import type { Intake } from './intake';
import type { Mount, MountFactory } from './platform';

interface PlatformEntry {
  name: string;
  configured(config: Config): boolean;
  /** Loaded only when configured: the Agents SDK alone (MSAL, Express, OpenTelemetry) adds ~30 MB. */
  load(): MountFactory;
}

/* eslint-disable @typescript-eslint/no-require-imports -- each SDK on demand, see `load` */
const PLATFORMS: readonly PlatformEntry[] = [
  {
    name: 'slack',
    configured: (config) => config.slack !== undefined,
    load: () => (require('./slack') as typeof import('./slack')).slackMount,
  },
  {
    name: 'teams',
    configured: (config) => config.teams !== undefined,
    load: () => (require('./teams') as typeof import('./teams')).teamsMount,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export async function platformMounts(
  config: Config,
  core: Core,
  logger: Logger,
  /** The server's one budget of unverified body bytes; each platform makes its own when absent. */
  intake?: Intake,
): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const platform of PLATFORMS)
    if (platform.configured(config)) mounts.push(await platform.load()(config, core, logger, intake));
  if (mounts.length === 0)
    logger.warn({}, 'no chat platform is configured: only /healthz, /readyz and /metrics are served');
  return mounts;
}
