// One Redis connection per process for the store: the cache, its load lock and the digests share it (the
// rate budgets keep their own), where each used to open its own.

import fs from 'node:fs';
import { createClient } from 'redis';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { buildCore } from '../../src/main';
import { tempDataDir, testEnv } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';

let redis: RedisDb;
beforeAll(async () => {
  redis = await leaseRedisDb();
});
afterAll(() => redis.release());

/** Connections to the leased database, as Redis lists them (the counting client included). */
async function connectionsToDb(): Promise<number> {
  const control = createClient({ url: redis.url });
  await control.connect();
  try {
    const list = await control.clientList();
    return list.filter((client) => Number(client.db) === redis.db).length - 1;
  } finally {
    await control.close();
  }
}

it('a replica on Redis opens one connection for the store and one per rate budget, no more', async () => {
  const dir = tempDataDir();
  const before = await connectionsToDb();
  const core = await buildCore(loadConfig(testEnv({ env: { REDIS_URL: redis.url } }, dir)), silentLogger);
  try {
    expect(core.store.kind).toBe('redis');
    // Store, NCBI budget, ClinicalTrials.gov budget (before: cache, load lock, digests and the two budgets).
    expect((await connectionsToDb()) - before).toBeLessThanOrEqual(3);
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
