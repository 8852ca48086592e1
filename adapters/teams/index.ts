// The Teams adapter as a Mount on the shared server (POST /api/messages), with its Deliverer for digests.
// Wiring only: the app is app.ts, HTTP is http.ts, state is references.ts.

import type http from 'node:http';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { DEFAULT_HTTP_LIMITS, httpLimits, type Config, type TeamsConfig } from '../../src/config';
import { systemClock, type Clock } from '../../src/core/clock';
import type { Deliverer } from '../../src/core/deliverer';
import type { Logger } from '../../src/core/logger';
import type { Assistant } from '../../src/core/reply';
import type { ShareLedger } from '../../src/core/shares';
import type { DurableStore } from '../../src/core/store';
import type { Core } from '../../src/main';
import { createIntake, type Intake } from '../intake';
import type { Mount } from '../platform';
import { createTeamsApp } from './app';
import type { AuthOverrides } from './auth';
import { createTeamsDeliverer } from './deliverer';
import { handleActivityRequest } from './http';
import { createReferenceStore, type ReferenceStore } from './references';

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
  /** The process's durable store (the core's): conversation references are kept in it. */
  store: DurableStore;
  /** Replaces the references kept in `store`. */
  references?: ReferenceStore;
  clock?: Clock;
  /** Tests point token validation at a local OpenID/JWKS server. */
  auth?: AuthOverrides;
  /** Longest a message's lookup may take (app.ts MESSAGE_DEADLINE_MS by default). */
  messageDeadlineMs?: number;
  /** The replica's budget of unverified body bytes (its own, at the default limits, if absent). */
  intake?: Intake;
  /** The largest activity taken (413 above). */
  maxBodyBytes?: number;
  /** Where shares are recorded for the watcher. */
  shares?: ShareLedger;
}

export async function createTeamsMount(o: TeamsMountOptions): Promise<TeamsMount> {
  const clock = o.clock ?? systemClock;
  const logger = o.logger.child({ adapter: 'teams' });
  const references = o.references ?? createReferenceStore(o.store, clock);
  const { app, adapter, identity } = createTeamsApp({
    teams: o.teams,
    assistant: o.assistant,
    references,
    clock,
    logger,
    ...(o.auth ? { auth: o.auth } : {}),
    ...(o.messageDeadlineMs !== undefined ? { messageDeadlineMs: o.messageDeadlineMs } : {}),
    ...(o.shares ? { shares: o.shares } : {}),
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
    intake: o.intake ?? createIntake(DEFAULT_HTTP_LIMITS),
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_HTTP_LIMITS.teamsBodyBytes,
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
export function teamsMount(config: Config, core: Core, logger: Logger, intake?: Intake): Promise<TeamsMount> {
  if (!config.teams) throw new Error('teamsMount needs config.teams (TEAMS_APP_ID or PAPERBOT_DEV=1)');
  return createTeamsMount({
    teams: config.teams,
    assistant: core.assistant,
    logger,
    store: core.store,
    shares: core.watch.ledger,
    intake: intake ?? createIntake(httpLimits(config)),
    maxBodyBytes: httpLimits(config).teamsBodyBytes,
  });
}
