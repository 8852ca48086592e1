// Data written by the earlier per-feature stores (exact schemas and key layouts of the SQLite files and Redis
// keys before the DurableStore) is found after a start on the new store: subscriptions, the sent ledger,
// run records, Slack installations, Teams references and their sent log. Old files are kept as *.migrated.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { createReferenceStore } from '../../adapters/teams/references';
import { createInstallationStore } from '../../adapters/slack/installation-store';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import type { DurableStore } from '../../src/core/store';
import { createDigestStore } from '../../src/digest';
import type { SubscriptionDefinition } from '../../src/digest/types';
import { openDataStore } from '../../src/store/data-store';
import { tempDataDir, testEnv } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';

/** digests.sqlite as src/digest/store-sqlite-schema.ts (schema 1) created it. */
const DIGEST_SCHEMA = `
CREATE TABLE IF NOT EXISTS digest_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  platform TEXT NOT NULL,
  team TEXT NOT NULL,
  channel TEXT NOT NULL,
  definition TEXT NOT NULL,
  paused TEXT,
  watermark INTEGER,
  last_slot INTEGER,
  retry_at INTEGER,
  open_run INTEGER,
  last_result TEXT
);
CREATE INDEX IF NOT EXISTS digest_subscriptions_channel ON digest_subscriptions (platform, team, channel);
CREATE TABLE IF NOT EXISTS digest_ledger (
  subscription_id INTEGER NOT NULL,
  pmid TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, pmid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digest_runs (
  subscription_id INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (subscription_id, slot)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digest_claims (
  subscription_id INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, slot)
) WITHOUT ROWID;
`;

const definition = (channel: string): SubscriptionDefinition => ({
  place: { platform: 'slack', team: 'T00FAKE00AA', channel },
  createdBy: { id: 'U00FAKEUSER1' },
  createdAt: 1_764_000_000_000,
  query: { text: 'immunotherapy', terms: 'immunotherapy', types: [], term: 'immunotherapy' },
  schedule: { cadence: 'daily', time: '08:00', timeZone: 'UTC' },
  notifyEmpty: false,
});
const run = { subscriptionId: '7', slot: 1_764_576_000_000, status: 'posting', key: 'digest:7:1' };
const lastResult = { slot: 1_764_489_600_000, at: 1_764_489_700_000, status: 'delivered', count: 2 };
const installation = { team: { id: 'T00FAKE00BB' }, bot: { token: 'xoxb-old' }, isEnterpriseInstall: false };
const reference = {
  reference: {
    conversation: { id: 'a:uniqueID' },
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    channelId: 'msteams',
  },
  savedAt: 1_764_000_000_000,
};

function writeOldSqlite(dir: string): void {
  const digests = new Database(path.join(dir, 'digests.sqlite'));
  digests.exec(DIGEST_SCHEMA);
  digests.pragma('user_version = 1');
  const insert = digests.prepare(
    'INSERT INTO digest_subscriptions (id, platform, team, channel, definition, watermark, last_slot, open_run, last_result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run(
    7,
    'slack',
    'T00FAKE00AA',
    'C0TUMOR',
    JSON.stringify(definition('C0TUMOR')),
    1_764_500_000_000,
    lastResult.slot,
    run.slot,
    JSON.stringify(lastResult),
  );
  insert.run(
    9,
    'slack',
    'T00FAKE00AA',
    'C0LIVER',
    JSON.stringify(definition('C0LIVER')),
    null,
    null,
    null,
    null,
  );
  digests
    .prepare('INSERT INTO digest_ledger (subscription_id, pmid, sent_at) VALUES (?, ?, ?)')
    .run(7, '23657305', 1_764_500_000_000);
  digests
    .prepare('INSERT INTO digest_runs (subscription_id, slot, record) VALUES (?, ?, ?)')
    .run(7, run.slot, JSON.stringify(run));
  digests.close();
  const slack = new Database(path.join(dir, 'slack-installations.sqlite'));
  slack.exec(
    'CREATE TABLE slack_installations (key TEXT PRIMARY KEY, installation TEXT NOT NULL, updated_at INTEGER NOT NULL)',
  );
  slack
    .prepare('INSERT INTO slack_installations VALUES (?, ?, ?)')
    .run('team:T00FAKE00BB', JSON.stringify(installation), 1);
  slack.close();
  const teams = new Database(path.join(dir, 'teams.sqlite'));
  teams.exec(
    'CREATE TABLE teams_references (key TEXT PRIMARY KEY, value TEXT NOT NULL, saved_at INTEGER NOT NULL);' +
      'CREATE TABLE teams_sent (key TEXT NOT NULL, idempotency_key TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (key, idempotency_key));',
  );
  teams
    .prepare('INSERT INTO teams_references VALUES (?, ?, ?)')
    .run('a:uniqueID', JSON.stringify(reference), 1);
  teams.prepare('INSERT INTO teams_sent VALUES (?, ?, ?)').run('a:uniqueID', 'digest-1', Date.now());
  teams.close();
}

/** The keys src/digest/store-redis.ts, installation-store.ts and references.ts wrote under paperbot:v1:. */
async function writeOldRedis(url: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  const d = 'paperbot:v1:digest:';
  await client.set(`${d}seq`, '9');
  await client.sAdd(`${d}subs`, ['7', '9']);
  await client.hSet(`${d}sub:7`, {
    definition: JSON.stringify(definition('C0TUMOR')),
    watermark: '1764500000000',
    lastSlot: String(lastResult.slot),
    openRun: String(run.slot),
    lastResult: JSON.stringify(lastResult),
  });
  await client.hSet(`${d}sub:9`, { definition: JSON.stringify(definition('C0LIVER')) });
  await client.sAdd(`${d}chan:slack:T00FAKE00AA:C0TUMOR`, '7');
  await client.sAdd(`${d}chan:slack:T00FAKE00AA:C0LIVER`, '9');
  await client.zAdd(`${d}ledger:7`, { score: 1_764_500_000_000, value: '23657305' });
  await client.set(`${d}run:7:${run.slot}`, JSON.stringify(run), {
    expiration: { type: 'PX', value: 60_000 },
  });
  await client.set('paperbot:v1:slack:installation:team:T00FAKE00BB', JSON.stringify(installation));
  await client.set('paperbot:v1:teams:ref:a:uniqueID', JSON.stringify(reference));
  await client.zAdd('paperbot:v1:teams:sent:a:uniqueID', { score: Date.now(), value: 'digest-1' });
  await client.close();
}

async function expectMigrated(store: DurableStore): Promise<void> {
  const digests = createDigestStore(store);
  const all = await digests.listAll();
  expect(all.map((s) => s.id)).toEqual(['7', '9']);
  expect(all[0]).toMatchObject({
    place: { channel: 'C0TUMOR' },
    watermark: 1_764_500_000_000,
    openRun: run.slot,
    lastResult,
  });
  expect(
    (await digests.listForChannel({ platform: 'slack', team: 'T00FAKE00AA', channel: 'C0LIVER' })).map(
      (s) => s.id,
    ),
  ).toEqual(['9']);
  expect(await digests.sentAmong('7', ['23657305', '1'])).toEqual(new Set(['23657305']));
  expect(await digests.getRun('7', run.slot)).toEqual(run);
  // Ids are never reused: the next subscription comes after the migrated ones.
  expect((await digests.create(definition('C0NEW'))).id).toBe('10');
  const installations = createInstallationStore(store, silentLogger);
  expect(
    (
      await installations.fetchInstallation({
        teamId: 'T00FAKE00BB',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      })
    ).bot?.token,
  ).toBe('xoxb-old');
  const references = createReferenceStore(store, systemClock);
  expect((await references.get('a:uniqueID'))?.conversation.id).toBe('a:uniqueID');
  expect(await references.sentSince('a:uniqueID', 0)).toEqual(['digest-1']);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}
const deps = { clock: systemClock, logger: silentLogger };

it('migrates the SQLite files on first start and keeps them as *.migrated for a rollback', async () => {
  const dir = dataDir();
  writeOldSqlite(dir);
  const config = loadConfig(testEnv({}, dir));
  const store = await openDataStore(config, deps);
  try {
    await expectMigrated(store);
  } finally {
    await store.close();
  }
  for (const name of ['digests.sqlite', 'slack-installations.sqlite', 'teams.sqlite']) {
    expect(fs.existsSync(path.join(dir, name))).toBe(false);
    expect(fs.existsSync(path.join(dir, `${name}.migrated`))).toBe(true);
  }
  // A second start finds the same data and migrates nothing again.
  const again = await openDataStore(config, deps);
  try {
    expect((await createDigestStore(again).listAll()).map((s) => s.id)).toEqual(['7', '9', '10']);
  } finally {
    await again.close();
  }
});

describe('Redis', () => {
  let redis: RedisDb;
  beforeAll(async () => {
    redis = await leaseRedisDb();
  });
  afterAll(() => redis.release());

  it('migrates the earlier keys once, leaving them in place for a rollback', async () => {
    await writeOldRedis(redis.url);
    const config = loadConfig(testEnv({ env: { REDIS_URL: redis.url } }, dataDir()));
    const store = await openDataStore(config, deps);
    try {
      await expectMigrated(store);
      await createDigestStore(store).remove('9');
    } finally {
      await store.close();
    }
    // The old keys stay; a second start does not bring the removed subscription back.
    const again = await openDataStore(config, deps);
    try {
      expect((await createDigestStore(again).listAll()).map((s) => s.id)).toEqual(['7', '10']);
    } finally {
      await again.close();
    }
    const raw = createClient({ url: redis.url });
    await raw.connect();
    expect(await raw.exists('paperbot:v1:digest:sub:9')).toBe(1);
    await raw.close();
  });
});
