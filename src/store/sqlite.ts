// The embedded DurableStore: one SQLite file (WAL) that processes on one host may share (`paperbot serve` and
// a cron'd `paperbot digest run`); every conditional write is one IMMEDIATE transaction.

import Database from 'better-sqlite3';
import type { Clock } from '../core/clock';
import type { DurableStore, StoreCheck, StoreWrite } from '../core/store';
import { ensurePrivateFile } from './files';

/**
 * Another process may hold the write lock for a moment. better-sqlite3 waits synchronously, so this is
 * also the longest a write can block the event loop: long enough for a digest commit, short for a reply.
 */
const BUSY_TIMEOUT_MS = 2000;
/** Expired rows are deleted at most this often, a bounded batch at a time, so no call stalls on a purge. */
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 500;
/** SQLite's bound-parameter limit is far higher; this keeps each statement small and cacheable. */
const IN_CHUNK = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires) WHERE expires IS NOT NULL;
CREATE TABLE IF NOT EXISTS ordered (
  key TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (key, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ordered_score ON ordered (key, score);
`;

type Text = { key: string; value: string };

export function openSqliteStore(file: string, clock: Clock): DurableStore {
  ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Plain writes (cache entries, references) may lose their last moments in a power cut and are written
  // again; commit() switches to FULL for the records that must not be lost (digest ledger, run records).
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec(SCHEMA);

  const q = {
    get: db.prepare<[string, number], Text>(
      'SELECT key, value FROM entries WHERE key = ? AND (expires IS NULL OR expires > ?)',
    ),
    set: db.prepare<[string, string, number | null]>(
      'INSERT INTO entries (key, value, expires) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
    ),
    delete: db.prepare<[string]>('DELETE FROM entries WHERE key = ?'),
    deleteOrdered: db.prepare<[string]>('DELETE FROM ordered WHERE key = ?'),
    addOrdered: db.prepare<[string, string, number]>(
      'INSERT INTO ordered (key, member, score) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key, member) DO UPDATE SET score = MAX(score, excluded.score)',
    ),
    removeOrdered: db.prepare<[string, string]>('DELETE FROM ordered WHERE key = ? AND member = ?'),
    trimOrdered: db.prepare<[string, number]>('DELETE FROM ordered WHERE key = ? AND score < ?'),
    members: db.prepare<[string, number], { member: string }>(
      'SELECT member FROM ordered WHERE key = ? AND score >= ? ORDER BY score, member',
    ),
    purge: db.prepare<[number, number]>(
      'DELETE FROM entries WHERE key IN (SELECT key FROM entries WHERE expires <= ? LIMIT ?)',
    ),
  };
  const chunked = new Map<string, Database.Statement<unknown[], Record<string, unknown>>>();
  const inStatement = (sql: (marks: string) => string, count: number) => {
    const marks = Array.from({ length: count }, () => '?').join(',');
    const text = sql(marks);
    let statement = chunked.get(text);
    if (!statement) {
      statement = db.prepare<unknown[], Record<string, unknown>>(text);
      chunked.set(text, statement);
    }
    return statement;
  };

  const expiresAt = (ttlMs: number | undefined, now: number): number | null =>
    ttlMs === undefined ? null : now + ttlMs;
  const liveText = (key: string, now: number): string | undefined => q.get.get(key, now)?.value;
  const holds = (check: StoreCheck, now: number): boolean => {
    const current = liveText(check.key, now);
    return check.equals === undefined ? current === undefined : current === JSON.stringify(check.equals);
  };
  const apply = (write: StoreWrite, now: number): void => {
    switch (write.op) {
      case 'set':
        if (write.ttlMs !== undefined && !(write.ttlMs > 0)) q.delete.run(write.key);
        else q.set.run(write.key, JSON.stringify(write.value), expiresAt(write.ttlMs, now));
        return;
      case 'delete':
        q.delete.run(write.key);
        q.deleteOrdered.run(write.key);
        return;
      case 'addOrdered':
        q.addOrdered.run(write.key, write.member, write.score);
        return;
      case 'removeOrdered':
        q.removeOrdered.run(write.key, write.member);
        return;
      case 'trimOrdered':
        q.trimOrdered.run(write.key, write.below);
        return;
    }
  };
  const commitAll = db.transaction((checks: readonly StoreCheck[], writes: readonly StoreWrite[]) => {
    const now = clock.now();
    if (!checks.every((check) => holds(check, now))) return false;
    for (const write of writes) apply(write, now);
    return true;
  });

  let lastPurge = 0;
  const purgeSometimes = (): void => {
    const now = clock.now();
    if (now - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = now;
    q.purge.run(now, PURGE_BATCH);
  };
  // Work is synchronous; wrapping it keeps a thrown SQLite error a rejection, as with Redis.
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const commit = (checks: readonly StoreCheck[], writes: readonly StoreWrite[]): boolean => {
    db.pragma('synchronous = FULL');
    try {
      const done = commitAll.immediate(checks, writes);
      purgeSometimes();
      return done;
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  };

  purgeSometimes();
  return {
    kind: 'sqlite',
    get: <T>(key: string) =>
      run(() => {
        const text = liveText(key, clock.now());
        return text === undefined ? undefined : (JSON.parse(text) as T);
      }),
    getMany: <T>(keys: readonly string[]) =>
      run(() => {
        const found = new Map<string, string>();
        const now = clock.now();
        for (let start = 0; start < keys.length; start += IN_CHUNK) {
          const chunk = keys.slice(start, start + IN_CHUNK);
          const statement = inStatement(
            (marks) =>
              `SELECT key, value FROM entries WHERE key IN (${marks}) AND (expires IS NULL OR expires > ?)`,
            chunk.length,
          );
          for (const row of statement.all(...chunk, now) as Text[]) found.set(row.key, row.value);
        }
        return keys.map((key) => {
          const text = found.get(key);
          return text === undefined ? undefined : (JSON.parse(text) as T);
        });
      }),
    set: (key, value, ttlMs) =>
      run(() => {
        apply({ op: 'set', key, value, ...(ttlMs === undefined ? {} : { ttlMs }) }, clock.now());
        purgeSometimes();
      }),
    delete: (key) => run(() => apply({ op: 'delete', key }, clock.now())),
    claim: (key, ttlMs) =>
      run(() => commitAll.immediate([{ key, equals: undefined }], [{ op: 'set', key, value: true, ttlMs }])),
    compareAndSet: (key, expected, next, ttlMs) =>
      run(() =>
        commit(
          [{ key, equals: expected }],
          [
            next === undefined
              ? { op: 'delete', key }
              : { op: 'set', key, value: next, ...(ttlMs === undefined ? {} : { ttlMs }) },
          ],
        ),
      ),
    commit: (checks, writes) => run(() => commit(checks, writes)),
    scores: (key, members) =>
      run(() => {
        const found = new Map<string, number>();
        for (let start = 0; start < members.length; start += IN_CHUNK) {
          const chunk = members.slice(start, start + IN_CHUNK);
          const statement = inStatement(
            (marks) => `SELECT member, score FROM ordered WHERE key = ? AND member IN (${marks})`,
            chunk.length,
          );
          for (const row of statement.all(key, ...chunk) as { member: string; score: number }[])
            found.set(row.member, row.score);
        }
        return members.map((member) => found.get(member));
      }),
    members: (key, min) =>
      run(() => q.members.all(key, min ?? Number.NEGATIVE_INFINITY).map((row) => row.member)),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
