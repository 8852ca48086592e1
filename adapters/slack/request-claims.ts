// "Has any replica taken this signed request already?": a claim per key with a time to live, in Redis when
// REDIS_URL is set (shared by replicas) or in a SQLite file in the data directory. What a claim means is door.ts's.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openRedisConnection } from '../../src/cache/redis-client';
import type { Clock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';

/**
 * The shape of the durable store's claim (engineer "store"'s `Store` port has exactly this method), so the
 * composition can hand that store over in place of these backends.
 */
export interface Claims {
  /** True only for the first claimant of `key` within `ttlMs`. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface ClosableClaims extends Claims {
  readonly kind: 'sqlite' | 'redis';
  close(): Promise<void>;
}

export function sqliteClaims(file: string, clock: Clock): ClosableClaims {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 2000');
  db.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)');
  // An expired claim is taken over in the same statement, so two processes on one file cannot both win.
  const take = db.prepare<[string, number, number]>(
    'INSERT INTO claims (key, expires_at) VALUES (?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM claims WHERE expires_at <= ?');
  let claimsSincePurge = 0;
  return {
    kind: 'sqlite',
    async claim(key, ttlMs) {
      const now = clock.now();
      // Expired rows are only dead weight; sweeping now and then keeps the file as small as the window.
      if (++claimsSincePurge >= 1000) {
        claimsSincePurge = 0;
        purge.run(now);
      }
      return take.run(key, now + ttlMs, now).changes === 1;
    },
    close: async () => void db.close(),
  };
}

export async function redisClaims(options: {
  url: string;
  logger: Logger;
  clock: Clock;
  /** Namespaces keys; tests use a unique prefix each. */
  keyPrefix?: string;
}): Promise<ClosableClaims> {
  const connection = await openRedisConnection({
    url: options.url,
    logger: options.logger,
    clock: options.clock,
    purpose: 'slack request claims',
  });
  const prefix = options.keyPrefix ?? 'paperbot:v1:slack:claim:';
  return {
    kind: 'redis',
    async claim(key, ttlMs) {
      const set = await connection.client.set(prefix + key, '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      });
      return set === 'OK';
    },
    close: () => connection.close(),
  };
}

export async function openRequestClaims(options: {
  dataDir: string;
  redisUrl?: string;
  clock: Clock;
  logger: Logger;
}): Promise<ClosableClaims> {
  return options.redisUrl
    ? redisClaims({ url: options.redisUrl, logger: options.logger, clock: options.clock })
    : sqliteClaims(path.join(options.dataDir, 'slack-requests.sqlite'), options.clock);
}
