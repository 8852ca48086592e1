// Durable Slack installations for the OAuth "Add to Slack" flow: one record per workspace (or org),
// in an embedded SQLite file under the data directory, or in Redis when REDIS_URL is set (shared by replicas).

import fs from 'node:fs';
import path from 'node:path';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import Database from 'better-sqlite3';
import { openRedisConnection } from '../../src/cache/redis-client';
import type { Clock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';

export interface InstallationBackend {
  readonly kind: 'sqlite' | 'redis';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface ClosableInstallationStore extends InstallationStore {
  readonly kind: InstallationBackend['kind'];
  close(): Promise<void>;
}

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** Org-wide installs are keyed by enterprise, the rest by workspace. */
function keyOfQuery(query: InstallationQuery<boolean>): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  throw new PaperbotError('bad_input', 'a Slack installation query needs a team or enterprise id');
}

function keyOfInstallation(installation: AnyInstallation): string {
  if (installation.isEnterpriseInstall && installation.enterprise?.id)
    return `enterprise:${installation.enterprise.id}`;
  if (installation.team?.id) return `team:${installation.team.id}`;
  throw new PaperbotError('bad_input', 'a Slack installation without a team or enterprise id');
}

export function createInstallationStore(
  backend: InstallationBackend,
  logger: Logger,
): ClosableInstallationStore {
  return {
    kind: backend.kind,
    async storeInstallation(installation) {
      const key = keyOfInstallation(installation);
      await backend.set(key, JSON.stringify(installation));
      logger.info({ installation: key, store: backend.kind }, 'slack installation saved');
    },
    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const stored = await backend.get(key);
      if (stored === undefined) throw new PaperbotError('not_found', `no Slack installation for ${key}`);
      return JSON.parse(stored) as AnyInstallation;
    },
    async deleteInstallation(query) {
      const key = keyOfQuery(query);
      await backend.delete(key);
      logger.info({ installation: key, store: backend.kind }, 'slack installation removed');
    },
    close: () => backend.close(),
  };
}

/** Tokens live in this file: it is created readable by its owner only. */
export function sqliteInstallationBackend(file: string, clock: Clock): InstallationBackend {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  fs.chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 2000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS slack_installations (key TEXT PRIMARY KEY, installation TEXT NOT NULL, updated_at INTEGER NOT NULL)',
  );
  const get = db.prepare<[string], { installation: string }>(
    'SELECT installation FROM slack_installations WHERE key = ?',
  );
  const set = db.prepare<[string, string, number]>(
    'INSERT INTO slack_installations (key, installation, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET installation = excluded.installation, updated_at = excluded.updated_at',
  );
  const del = db.prepare<[string]>('DELETE FROM slack_installations WHERE key = ?');
  return {
    kind: 'sqlite',
    get: async (key) => get.get(key)?.installation,
    set: async (key, value) => void set.run(key, value, clock.now()),
    delete: async (key) => void del.run(key),
    close: async () => void db.close(),
  };
}

export async function redisInstallationBackend(options: {
  url: string;
  logger: Logger;
  clock: Clock;
  /** Namespaces keys; tests use a unique prefix each. */
  keyPrefix?: string;
}): Promise<InstallationBackend> {
  const connection = await openRedisConnection({
    url: options.url,
    logger: options.logger,
    clock: options.clock,
    purpose: 'slack installations',
  });
  const prefix = options.keyPrefix ?? 'paperbot:v1:slack:installation:';
  return {
    kind: 'redis',
    get: async (key) => (await connection.client.get(prefix + key)) ?? undefined,
    set: async (key, value) => void (await connection.client.set(prefix + key, value)),
    delete: async (key) => void (await connection.client.del(prefix + key)),
    close: () => connection.close(),
  };
}

export async function openInstallationStore(options: {
  dataDir: string;
  redisUrl?: string;
  clock: Clock;
  logger: Logger;
}): Promise<ClosableInstallationStore> {
  const backend = options.redisUrl
    ? await redisInstallationBackend({ url: options.redisUrl, logger: options.logger, clock: options.clock })
    : sqliteInstallationBackend(path.join(options.dataDir, 'slack-installations.sqlite'), options.clock);
  return createInstallationStore(backend, options.logger);
}
