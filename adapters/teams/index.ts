// The Teams adapter as a Mount on the shared server (POST /api/messages), with its Deliverer for digests.
// Wiring only: the app is app.ts, HTTP is http.ts, state is references.ts.

import type http from 'node:http';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { Config, TeamsConfig } from '../../src/config';
import { systemClock, type Clock } from '../../src/core/clock';
import type { Deliverer } from '../../src/core/deliverer';
import type { Logger } from '../../src/core/logger';
import type { Assistant } from '../../src/core/reply';
import type { Core } from '../../src/main';
import type { Mount } from '../server';
import { createTeamsApp } from './app';
import type { AuthOverrides } from './auth';
import { createTeamsDeliverer } from './deliverer';
import { handleActivityRequest } from './http';
import { openReferenceStore, type ReferenceStore } from './references';

export const TEAMS_PATH = '/api/messages';

export interface TeamsMount extends Mount {
  /** Posts digests proactively; give it to the digest scheduler. */
  deliverer: Deliverer;
  references: ReferenceStore;
  adapter: CloudAdapter;
}

export interface TeamsMountOptions {
  teams: TeamsConfig;
  assistant: Assistant;
  logger: Logger;
  /** Where references live: a SQLite file here, unless `redisUrl` (or `references`) is given. */
  dataDir: string;
  redisUrl?: string;
  references?: ReferenceStore;
  clock?: Clock;
  /** Tests point token validation at a local OpenID/JWKS server. */
  auth?: AuthOverrides;
}

export async function createTeamsMount(o: TeamsMountOptions): Promise<TeamsMount> {
  const clock = o.clock ?? systemClock;
  const logger = o.logger.child({ adapter: 'teams' });
  const references =
    o.references ??
    (await openReferenceStore({
      dataDir: o.dataDir,
      clock,
      logger,
      ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
    }));
  const { app, adapter, identity } = createTeamsApp({
    teams: o.teams,
    assistant: o.assistant,
    references,
    clock,
    logger,
    ...(o.auth ? { auth: o.auth } : {}),
  });
  if (o.teams.mode === 'anonymous')
    logger.warn(
      { path: TEAMS_PATH },
      'PAPERBOT_DEV=1: the Teams endpoint accepts UNAUTHENTICATED requests (Bot Framework Emulator mode). Never expose this server to a network.',
    );
  else
    logger.info(
      { path: TEAMS_PATH, tenant: o.teams.tenantId ?? 'multi-tenant', references: references.kind },
      'teams adapter mounted',
    );
  const bridge = {
    adapter,
    logger,
    mode: o.teams.mode,
    logic: (context: Parameters<typeof app.run>[0]) => app.run(context),
  };
  return {
    name: 'teams',
    handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== TEAMS_PATH) return false;
      void handleActivityRequest(bridge, req, res);
      return true;
    },
    async stop() {
      await references.close();
    },
    deliverer: createTeamsDeliverer({ adapter, identity, references, clock, logger }),
    references,
    adapter,
  };
}

/** For adapters/mounts.ts: the Teams mount for this configuration (config.teams must be set). */
export function teamsMount(config: Config, core: Core, logger: Logger): Promise<TeamsMount> {
  if (!config.teams) throw new Error('teamsMount needs config.teams (TEAMS_APP_ID or PAPERBOT_DEV=1)');
  return createTeamsMount({
    teams: config.teams,
    assistant: core.assistant,
    logger,
    dataDir: config.dataDir,
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  });
}
