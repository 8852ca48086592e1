// Durable Teams state: conversation references (where a proactive post goes) and the idempotency keys of
// proactive posts made. SQLite in the data directory by default; Redis when REDIS_URL is set (shared).

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConversationReference } from '@microsoft/agents-activity';
import { openRedisConnection } from '../../src/cache/redis-client';
import type { Clock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';

export interface ReferenceStore {
  readonly kind: 'sqlite' | 'redis';
  /** Keeps (or replaces) the reference for a conversation key (see incoming.ts conversationKey). */
  save(key: string, reference: ConversationReference): Promise<void>;
  get(key: string): Promise<ConversationReference | undefined>;
  remove(key: string): Promise<void>;
  /** Notes a proactive post that Teams accepted, so a digest retried after a crash is not posted twice. */
  recordSent(key: string, idempotencyKey: string, at: number): Promise<void>;
  /** Idempotency keys recorded for `key` at or after `sinceMs`. */
  sentSince(key: string, sinceMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Where a person's personal chat with the bot is also kept, for private notices to them. Teams user ids
 * ("29:…") never look like conversation keys ("a:…", "19:…"), and the prefix keeps them apart anyway.
 */
export const personalKey = (userId: string): string => `personal:${userId}`;

/** Sent keys older than this are dropped: crash reconciliation looks back hours, not months. */
const SENT_RETENTION_MS = 30 * 24 * 3600 * 1000;

interface Stored {
  reference: ConversationReference;
  savedAt: number;
}

/** A stored value we can post with: anything else (a hand edit, an old format) counts as absent. */
function parse(raw: string | null | undefined): ConversationReference | undefined {
  if (!raw) return undefined;
  try {
    const stored = JSON.parse(raw) as Partial<Stored>;
    const ref = stored.reference;
    if (ref && typeof ref.serviceUrl === 'string' && typeof ref.conversation?.id === 'string') return ref;
  } catch {
    // fall through: unreadable counts as absent
  }
  return undefined;
}

function storeError(operation: string, cause: unknown): PaperbotError {
  return new PaperbotError('store_failure', `teams references: ${operation} failed`, {
    cause,
    retryable: true,
  });
}

export function openSqliteReferences(o: { file: string; clock: Clock }): ReferenceStore {
  if (o.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(o.file)), { recursive: true });
  const db = new Database(o.file);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a process crash; a power cut may lose the last writes, which the next message
  // or install event writes again. FULL would fsync on the request path of every changed reference.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS teams_references (key TEXT PRIMARY KEY, value TEXT NOT NULL, saved_at INTEGER NOT NULL);' +
      'CREATE TABLE IF NOT EXISTS teams_sent (key TEXT NOT NULL, idempotency_key TEXT NOT NULL, at INTEGER NOT NULL, ' +
      'PRIMARY KEY (key, idempotency_key));' +
      'CREATE INDEX IF NOT EXISTS teams_sent_at ON teams_sent (at);',
  );
  const statements = {
    save: db.prepare<[string, string, number]>(
      'INSERT INTO teams_references (key, value, saved_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at',
    ),
    get: db.prepare<[string], { value: string }>('SELECT value FROM teams_references WHERE key = ?'),
    remove: db.prepare<[string]>('DELETE FROM teams_references WHERE key = ?'),
    recordSent: db.prepare<[string, string, number]>(
      'INSERT INTO teams_sent (key, idempotency_key, at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key, idempotency_key) DO UPDATE SET at = excluded.at',
    ),
    pruneSent: db.prepare<[number]>('DELETE FROM teams_sent WHERE at < ?'),
    sentSince: db.prepare<[string, number], { idempotency_key: string }>(
      'SELECT idempotency_key FROM teams_sent WHERE key = ? AND at >= ? ORDER BY at',
    ),
  };
  const guard = <T>(operation: string, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(operation, error));
    }
  };
  return {
    kind: 'sqlite',
    save: (key, reference) =>
      guard('save', () => {
        const savedAt = o.clock.now();
        statements.save.run(key, JSON.stringify({ reference, savedAt } satisfies Stored), savedAt);
      }),
    get: (key) => guard('get', () => parse(statements.get.get(key)?.value)),
    remove: (key) => guard('remove', () => void statements.remove.run(key)),
    recordSent: (key, idempotencyKey, at) =>
      guard('recordSent', () => {
        statements.recordSent.run(key, idempotencyKey, at);
        statements.pruneSent.run(at - SENT_RETENTION_MS);
      }),
    sentSince: (key, sinceMs) =>
      guard('sentSince', () => statements.sentSince.all(key, sinceMs).map((r) => r.idempotency_key)),
    close: async () => {
      if (db.open) db.close();
    },
  };
}

export async function openRedisReferences(o: {
  url: string;
  /** Key prefix; tests pass a unique one. */
  prefix?: string;
  clock: Clock;
  logger: Logger;
}): Promise<ReferenceStore> {
  const connection = await openRedisConnection({
    url: o.url,
    logger: o.logger,
    clock: o.clock,
    purpose: 'teams references',
  });
  const prefix = o.prefix ?? 'paperbot:v1:teams:';
  const refKey = (key: string): string => `${prefix}ref:${key}`;
  const sentKey = (key: string): string => `${prefix}sent:${key}`;
  const wrap = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw storeError(operation, error);
    }
  };
  return {
    kind: 'redis',
    save: (key, reference) =>
      wrap('save', async () => {
        await connection.client.set(
          refKey(key),
          JSON.stringify({ reference, savedAt: o.clock.now() } satisfies Stored),
        );
      }),
    get: (key) => wrap('get', async () => parse(await connection.client.get(refKey(key)))),
    remove: (key) =>
      wrap('remove', async () => {
        await connection.client.del(refKey(key));
      }),
    recordSent: (key, idempotencyKey, at) =>
      wrap('recordSent', async () => {
        await connection.client
          .multi()
          .zAdd(sentKey(key), { score: at, value: idempotencyKey })
          .zRemRangeByScore(sentKey(key), '-inf', at - SENT_RETENTION_MS)
          .pExpire(sentKey(key), SENT_RETENTION_MS)
          .exec();
      }),
    sentSince: (key, sinceMs) =>
      wrap('sentSince', () => connection.client.zRangeByScore(sentKey(key), sinceMs, '+inf')),
    close: () => connection.close(),
  };
}

/** Redis when the deployment shares state (REDIS_URL), else a SQLite file beside the cache. */
export function openReferenceStore(o: {
  dataDir: string;
  redisUrl?: string;
  clock: Clock;
  logger: Logger;
}): Promise<ReferenceStore> {
  if (o.redisUrl) return openRedisReferences({ url: o.redisUrl, clock: o.clock, logger: o.logger });
  return Promise.resolve(
    openSqliteReferences({ file: path.join(o.dataDir, 'teams.sqlite'), clock: o.clock }),
  );
}
