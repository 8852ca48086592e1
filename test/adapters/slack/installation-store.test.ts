// Durable Slack installations: SQLite in the data directory (owner-only file) and Redis (real server on
// the test run's own Redis, a unique key prefix per test, cleaned up), both through the InstallationStore contract.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { createClient } from 'redis';
import {
  createInstallationStore,
  type ClosableInstallationStore,
} from '../../../adapters/slack/installation-store';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { openStore, type StoreOptions } from '../../../src/store';
import { testRedisUrl } from '../../support/redis';

const deps = { clock: systemClock, logger: silentLogger };

/** An installation store on a DurableStore of its own; closing it closes that store. */
async function installations(options: StoreOptions): Promise<ClosableInstallationStore> {
  const store = await openStore(options, deps);
  return { ...createInstallationStore(store, silentLogger), close: () => store.close() };
}

const REDIS_URL = testRedisUrl();

const workspaceInstall: Installation<'v2', false> = {
  team: { id: 'T00FAKE00BB', name: 'Acme Oncology' },
  enterprise: undefined,
  user: { token: undefined, scopes: undefined, id: 'U00FAKEUSER2' },
  bot: { token: 'xoxb-one', scopes: ['commands', 'chat:write'], id: 'B01', userId: 'U00FAKEBOT03' },
  tokenType: 'bot',
  isEnterpriseInstall: false,
  appId: 'A00FAKEAPP03',
  authVersion: 'v2',
};
const orgInstall: Installation<'v2', true> = {
  team: undefined,
  enterprise: { id: 'E00FAKEORG1', name: 'Acme Health' },
  user: { token: undefined, scopes: undefined, id: 'U00FAKEUSER2' },
  bot: { token: 'xoxb-org', scopes: ['commands'], id: 'B02', userId: 'U00FAKEBOT04' },
  tokenType: 'bot',
  isEnterpriseInstall: true,
  appId: 'A00FAKEAPP03',
  authVersion: 'v2',
};

async function roundTrip(store: ClosableInstallationStore): Promise<void> {
  const team = { teamId: 'T00FAKE00BB', enterpriseId: undefined, isEnterpriseInstall: false } as const;
  const org = { teamId: undefined, enterpriseId: 'E00FAKEORG1', isEnterpriseInstall: true } as const;
  await expect(store.fetchInstallation(team)).rejects.toThrow(/no Slack installation/);
  await store.storeInstallation(workspaceInstall);
  await store.storeInstallation(orgInstall);
  expect((await store.fetchInstallation(team)).bot?.token).toBe('xoxb-one');
  expect((await store.fetchInstallation(org)).bot?.token).toBe('xoxb-org');
  // Reinstalling replaces the token.
  await store.storeInstallation({
    ...workspaceInstall,
    bot: { ...workspaceInstall.bot!, token: 'xoxb-two' },
  });
  expect((await store.fetchInstallation(team)).bot?.token).toBe('xoxb-two');
  await store.deleteInstallation?.(team);
  await expect(store.fetchInstallation(team)).rejects.toThrow(/no Slack installation/);
  expect((await store.fetchInstallation(org)).bot?.token).toBe('xoxb-org');
}

describe('SQLite installation store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-slack-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores, replaces, fetches and deletes; survives reopening; file is owner-only', async () => {
    const file = path.join(dir, 'slack-installations.sqlite');
    const store = await installations({ kind: 'sqlite', path: file });
    await roundTrip(store);
    await store.close();
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const reopened = await installations({ kind: 'sqlite', path: file });
    const org = await reopened.fetchInstallation({
      teamId: undefined,
      enterpriseId: 'E00FAKEORG1',
      isEnterpriseInstall: true,
    });
    expect(org.enterprise?.id).toBe('E00FAKEORG1');
    await reopened.close();
  });
});

describe('Redis installation store', () => {
  const prefix = `paperbot:test:${process.pid}:${Date.now()}:slack:installation:`;
  afterAll(async () => {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(keys);
    await client.close();
  });

  it('stores, replaces, fetches and deletes under its prefix', async () => {
    const store = await installations({ kind: 'redis', url: REDIS_URL, prefix });
    expect(store.kind).toBe('redis');
    await roundTrip(store);
    await store.close();
  });
});
