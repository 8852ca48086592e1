// The embedded cache backend: a keyv 5 store adapter over better-sqlite3 (one file, WAL, lazy purge).
// keyv serializes values and checks its own expiry stamp; this file only stores rows and honours TTLs.

import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoredData } from 'keyv';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { describeError } from './describe';
import type { Backend } from './store';

/** Expired rows are deleted at most this often, a bounded batch at a time, so no call stalls on a purge. */
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 500;
/** SQLite's bound-parameter limit is far higher; this keeps each statement small and cacheable. */
const IN_CHUNK = 500;
/** A cache read must not wait long on another process's write lock; failing lets cached() go to the source. */
const BUSY_TIMEOUT_MS = 200;

type Row = { key: string; value: string };

export class SqliteKeyvStore extends EventEmitter {
  /** keyv reads `opts` and assigns `namespace`; the file holds only our cache, so the namespace is not stored. */
  readonly opts: { dialect: 'sqlite'; url: string };
  namespace?: string;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly statements: {
    get: Database.Statement<[string, number], Row>;
    set: Database.Statement<[string, string, number | null]>;
    delete: Database.Statement<[string]>;
    clear: Database.Statement<[]>;
    purge: Database.Statement<[number, number]>;
  };
  private readonly manyStatements = new Map<number, Database.Statement<unknown[], Row>>();
  private lastPurge = 0;

  constructor(file: string, clock: Clock) {
    super();
    this.opts = { dialect: 'sqlite', url: file };
    this.clock = clock;
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A cache can lose its last writes in a power cut; NORMAL avoids an fsync per set.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER);' +
        'CREATE INDEX IF NOT EXISTS cache_expires ON cache (expires) WHERE expires IS NOT NULL;',
    );
    this.statements = {
      get: this.db.prepare('SELECT key, value FROM cache WHERE key = ? AND (expires IS NULL OR expires > ?)'),
      set: this.db.prepare(
        'INSERT INTO cache (key, value, expires) VALUES (?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
      ),
      delete: this.db.prepare('DELETE FROM cache WHERE key = ?'),
      clear: this.db.prepare('DELETE FROM cache'),
      purge: this.db.prepare(
        'DELETE FROM cache WHERE key IN (SELECT key FROM cache WHERE expires <= ? LIMIT ?)',
      ),
    };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return asStored<Value>(this.statements.get.get(key, this.clock.now())?.value);
  }

  async getMany<Value>(keys: string[]): Promise<StoredData<Value | undefined>[]> {
    const found = new Map<string, string>();
    const now = this.clock.now();
    for (let start = 0; start < keys.length; start += IN_CHUNK) {
      const chunk = keys.slice(start, start + IN_CHUNK);
      for (const row of this.manyStatement(chunk.length).all(...chunk, now)) found.set(row.key, row.value);
    }
    return keys.map((key) => asStored<Value>(found.get(key)));
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const expires = typeof ttl === 'number' && ttl > 0 ? this.clock.now() + ttl : null;
    this.statements.set.run(key, toText(value), expires);
    this.purgeSometimes();
    return true;
  }

  async setMany(entries: { key: string; value: unknown; ttl?: number }[]): Promise<void> {
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const { key, value, ttl } of entries) {
        this.statements.set.run(key, toText(value), typeof ttl === 'number' && ttl > 0 ? now + ttl : null);
      }
    })();
    this.purgeSometimes();
  }

  async delete(key: string): Promise<boolean> {
    return this.statements.delete.run(key).changes > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let changes = 0;
    this.db.transaction(() => {
      for (const key of keys) changes += this.statements.delete.run(key).changes;
    })();
    return changes > 0;
  }

  async clear(): Promise<void> {
    this.statements.clear.run();
  }

  async disconnect(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Deletes one bounded batch of expired rows; returns how many went. Reads ignore expired rows anyway. */
  purgeExpired(limit = PURGE_BATCH): number {
    this.lastPurge = this.clock.now();
    return this.statements.purge.run(this.lastPurge, limit).changes;
  }

  private purgeSometimes(): void {
    if (this.clock.now() - this.lastPurge < PURGE_INTERVAL_MS) return;
    try {
      this.purgeExpired();
    } catch (err) {
      // A failed purge (e.g. another process holds the lock) is retried next interval; the write stands.
      this.emit('error', err);
    }
  }

  private manyStatement(count: number): Database.Statement<unknown[], Row> {
    let statement = this.manyStatements.get(count);
    if (!statement) {
      const marks = Array.from({ length: count }, () => '?').join(',');
      statement = this.db.prepare<unknown[], Row>(
        `SELECT key, value FROM cache WHERE key IN (${marks}) AND (expires IS NULL OR expires > ?)`,
      );
      this.manyStatements.set(count, statement);
    }
    return statement;
  }
}

/**
 * keyv 5 types an adapter's raw result as the deserialized value, yet hands adapters serialized strings and
 * deserializes what they return (as with @keyv/redis); this is the one place that bridges the two.
 */
function asStored<Value>(text: string | undefined): StoredData<Value> | undefined {
  return text as StoredData<Value> | undefined;
}

function toText(value: unknown): string {
  // keyv hands adapters its serialized string; anything else is stored as JSON rather than "[object Object]".
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function openSqliteBackend(
  file: string,
  deps: { logger: Logger; clock: Clock },
): Promise<Backend> {
  const adapter = new SqliteKeyvStore(file, deps.clock);
  try {
    adapter.purgeExpired();
  } catch (err) {
    deps.logger.warn({ err: describeError(err) }, 'could not purge expired cache rows at start');
  }
  return { adapter, release: () => adapter.disconnect() };
}
