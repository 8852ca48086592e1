// The whole Teams path for tests: `paperbot serve`'s real server (startServer) with the Teams mount, the real
// core against a fake NCBI, and a fake Bot Connector the activities' serviceUrl is rewritten to.

import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../src/config';
import { loadConfig } from '../../../src/config';
import type { Clock } from '../../../src/core/clock';
import { silentLogger, type Logger } from '../../../src/core/logger';
import { startServer, type RunningServer } from '../../../adapters/server';
import { createTeamsMount, type TeamsMount } from '../../../adapters/teams';
import type { AuthOverrides } from '../../../adapters/teams/auth';
import { platformMounts } from '../../../adapters/mounts';
import { startFakeConnector, type FakeConnector } from '../../peers/connector';
import { startFakeCtgov, type FakeCtgov } from '../../peers/ctgov';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { tempDataDir, testEnv } from '../../support/graph';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'teams');

/** A recorded fixture file as text, byte-order mark included when the recording has one. */
export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A recorded fixture (or one activity inside a multi-activity recording), parsed. */
export function fixture(name: string, member?: string): Record<string, unknown> {
  const parsed = JSON.parse(fixtureText(name).replace(/^\uFEFF/, '')) as Record<string, unknown>;
  return member ? (parsed[member] as Record<string, unknown>) : parsed;
}

export interface Posted {
  status: number;
  text: string;
  json(): unknown;
}

export interface Harness {
  url: string;
  server: RunningServer;
  config: Config;
  connector: FakeConnector;
  eutils: FakeEutils;
  ctgov: FakeCtgov;
  /** The Teams mount (only when `mount: 'direct'`, which the auth tests need). */
  teams?: TeamsMount;
  /** POSTs an activity with its serviceUrl pointed at the fake connector; a string is sent byte for byte. */
  post(activity: Record<string, unknown> | string, headers?: Record<string, string>): Promise<Posted>;
  /** A recorded fixture file POSTed as recorded (BOM and all), only the serviceUrl rewritten. */
  postFixture(name: string): Promise<Posted>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** 'platform' goes through adapters/mounts.ts as `paperbot serve` does; 'direct' builds the mount here. */
  mount?: 'platform' | 'direct';
  auth?: AuthOverrides;
  eutilsDelayMs?: number;
  logger?: Logger;
  /** With `mount: 'direct'`: the Teams message deadline (adapters/teams/app.ts MESSAGE_DEADLINE_MS). */
  messageDeadlineMs?: number;
  /** The core's clock (the Teams mount keeps its own). */
  clock?: Clock;
}

export function withServiceUrl(
  activity: Record<string, unknown>,
  serviceUrl: string,
): Record<string, unknown> {
  return activity.serviceUrl === undefined ? activity : { ...activity, serviceUrl };
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const connector = await startFakeConnector();
  const eutils = await startFakeEutils({ delayMs: o.eutilsDelayMs ?? 0 });
  const ctgov = await startFakeCtgov();
  const dataDir = tempDataDir();
  const config: Config = {
    ...loadConfig(
      testEnv({ eutilsUrl: eutils.url, ctgovUrl: ctgov.url, env: { PAPERBOT_DEV: '1', ...o.env } }, dataDir),
    ),
    port: 0,
  };
  const logger = o.logger ?? silentLogger;
  let teams: TeamsMount | undefined;
  const server = await startServer(
    config,
    logger,
    async (core) => {
      if (o.mount !== 'direct') return platformMounts(config, core, logger);
      if (!config.teams) throw new Error('the harness needs TEAMS_APP_ID or PAPERBOT_DEV');
      teams = await createTeamsMount({
        teams: config.teams,
        assistant: core.assistant,
        logger,
        store: core.store,
        shares: core.watch.ledger,
        ...(o.auth ? { auth: o.auth } : {}),
        ...(o.messageDeadlineMs !== undefined ? { messageDeadlineMs: o.messageDeadlineMs } : {}),
      });
      return [teams];
    },
    o.clock ? { core: { clock: o.clock } } : {},
  );
  const url = `http://127.0.0.1:${server.port}`;
  const send = async (body: string, headers: Record<string, string> = {}): Promise<Posted> => {
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as unknown };
  };
  return {
    url,
    server,
    config,
    connector,
    eutils,
    ctgov,
    ...(teams ? { teams } : {}),
    post: (activity, headers) =>
      send(
        typeof activity === 'string'
          ? activity
          : JSON.stringify(withServiceUrl(activity, connector.serviceUrl)),
        headers,
      ),
    postFixture(name) {
      const raw = fixtureText(name);
      const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
      const activity = withServiceUrl(
        JSON.parse(raw.slice(bom.length)) as Record<string, unknown>,
        connector.serviceUrl,
      );
      return send(bom + JSON.stringify(activity, null, 2));
    },
    async close() {
      server.server.closeAllConnections();
      await server.close();
      await connector.close();
      await eutils.close();
      await ctgov.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
