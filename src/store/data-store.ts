// The process's DurableStore as configuration asks (Redis with REDIS_URL, else a file in the data
// directory), with the earlier per-feature stores migrated into it on first start.

import type { Config } from '../config';
import type { DurableStore } from '../core/store';
import { storeKey } from '../core/store';
import { describeError } from '../cache/describe';
import { openStore, storeFileIn, type StoreDeps } from '.';
import { countLegacy, writeLegacy } from './migrate';
import { readLegacyRedis } from './migrate-redis';
import { readLegacyFiles, retireLegacyFiles } from './migrate-sqlite';

/** Set once the old Redis keys are migrated, so later starts do not read them again. */
const REDIS_MIGRATED = storeKey('migration', 'redis-v1');
/** Held while one process migrates; the others start meanwhile and find the data once it is written. */
const MIGRATING = storeKey('migration', 'lock');
const MIGRATION_LOCK_MS = 120_000;

async function migrate(store: DurableStore, config: Config, deps: StoreDeps): Promise<void> {
  const { files, data: fromFiles } = readLegacyFiles(config.dataDir);
  const redisPending = config.redisUrl !== undefined && (await store.get(REDIS_MIGRATED)) === undefined;
  if (files.length === 0 && !redisPending) return;
  if (!(await store.claim(MIGRATING, MIGRATION_LOCK_MS))) return;
  try {
    if (files.length > 0) {
      await writeLegacy(store, fromFiles);
      retireLegacyFiles(files);
      deps.logger.info({ files, records: countLegacy(fromFiles) }, 'migrated the earlier SQLite stores');
    }
    if (redisPending && config.redisUrl) {
      const fromRedis = await readLegacyRedis(config.redisUrl, deps.logger);
      await writeLegacy(store, fromRedis);
      await store.set(REDIS_MIGRATED, { at: deps.clock.now() });
      deps.logger.info({ records: countLegacy(fromRedis) }, 'migrated the earlier Redis stores');
    }
  } finally {
    await store.delete(MIGRATING);
  }
}

export async function openDataStore(config: Config, deps: StoreDeps): Promise<DurableStore> {
  const store = await openStore(
    config.redisUrl
      ? { kind: 'redis', url: config.redisUrl }
      : { kind: 'sqlite', path: storeFileIn(config.dataDir) },
    deps,
  );
  try {
    await migrate(store, config, deps);
  } catch (err) {
    // A replica still serves without the old data (Redis away at start, say); the next start tries again.
    deps.logger.error(
      { err: describeError(err) },
      'could not migrate the earlier stores; will retry at next start',
    );
  }
  return store;
}
