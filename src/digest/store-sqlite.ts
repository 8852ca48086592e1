// The embedded digest store: one SQLite file (WAL, full fsync) that several processes on one host may share
// (`paperbot serve` and a cron'd `paperbot digest run`): every write is one IMMEDIATE transaction.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Claim, DigestStore } from './store';
import { RUN_KEEP_MS, runEffects, storeFailure } from './store-effects';
import {
  rowId,
  SCHEMA,
  SCHEMA_VERSION,
  toSubscription,
  type StatePatch,
  type SubscriptionRow,
} from './store-sqlite-schema';
import type { ChannelRef, RunRecord } from './types';

/** Another process may hold the write lock for a moment (its own transaction); wait rather than fail. */
const BUSY_TIMEOUT_MS = 5000;
const IN_CHUNK = 500;

export function openSqliteDigestStore(file: string, deps: { clock: Clock; logger: Logger }): DigestStore {
  const { clock } = deps;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A ledger write lost in a power cut would resend papers: pay the fsync.
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION)
    throw new PaperbotError(
      'store_failure',
      `digest store ${file} has schema ${version}; this paperbot knows ${SCHEMA_VERSION}`,
      { retryable: false },
    );
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);

  const q = {
    insert: db.prepare<[string, string, string, string]>(
      'INSERT INTO digest_subscriptions (platform, team, channel, definition) VALUES (?, ?, ?, ?)',
    ),
    get: db.prepare<[number], SubscriptionRow>('SELECT * FROM digest_subscriptions WHERE id = ?'),
    byChannel: db.prepare<[string, string, string], SubscriptionRow>(
      'SELECT * FROM digest_subscriptions WHERE platform = ? AND team = ? AND channel = ? ORDER BY id',
    ),
    all: db.prepare<[], SubscriptionRow>('SELECT * FROM digest_subscriptions ORDER BY id'),
    remove: db.prepare<[number]>('DELETE FROM digest_subscriptions WHERE id = ?'),
    removeLedger: db.prepare<[number]>('DELETE FROM digest_ledger WHERE subscription_id = ?'),
    removeRuns: db.prepare<[number]>('DELETE FROM digest_runs WHERE subscription_id = ?'),
    pause: db.prepare<[string, number]>(
      'UPDATE digest_subscriptions SET paused = ?, retry_at = NULL WHERE id = ?',
    ),
    resume: db.prepare<[number | null, number | null, number]>(
      'UPDATE digest_subscriptions SET paused = NULL, retry_at = NULL, ' +
        'last_slot = CASE WHEN ? IS NULL THEN last_slot ELSE MAX(COALESCE(last_slot, 0), ?) END WHERE id = ?',
    ),
    claimRow: db.prepare<[number, number], { token: string; expires_at: number }>(
      'SELECT token, expires_at FROM digest_claims WHERE subscription_id = ? AND slot = ?',
    ),
    putClaim: db.prepare<[number, number, string, number]>(
      'INSERT OR REPLACE INTO digest_claims (subscription_id, slot, token, expires_at) VALUES (?, ?, ?, ?)',
    ),
    extendClaim: db.prepare<[number, number, number, string, number]>(
      'UPDATE digest_claims SET expires_at = ? WHERE subscription_id = ? AND slot = ? AND token = ? AND expires_at > ?',
    ),
    releaseClaim: db.prepare<[number, number, string]>(
      'DELETE FROM digest_claims WHERE subscription_id = ? AND slot = ? AND token = ?',
    ),
    pruneClaims: db.prepare<[number]>('DELETE FROM digest_claims WHERE expires_at <= ?'),
    getRun: db.prepare<[number, number], { record: string }>(
      'SELECT record FROM digest_runs WHERE subscription_id = ? AND slot = ?',
    ),
    putRun: db.prepare<[number, number, string]>(
      'INSERT OR REPLACE INTO digest_runs (subscription_id, slot, record) VALUES (?, ?, ?)',
    ),
    openRun: db.prepare<[number, number]>('UPDATE digest_subscriptions SET open_run = ? WHERE id = ?'),
    pruneRuns: db.prepare<[number, number]>('DELETE FROM digest_runs WHERE subscription_id = ? AND slot < ?'),
    addSent: db.prepare<[number, string, number]>(
      'INSERT INTO digest_ledger (subscription_id, pmid, sent_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (subscription_id, pmid) DO UPDATE SET sent_at = MAX(sent_at, excluded.sent_at)',
    ),
    pruneSent: db.prepare<[number, number]>(
      'DELETE FROM digest_ledger WHERE subscription_id = ? AND sent_at < ?',
    ),
    applyState: db.prepare<[StatePatch]>(
      'UPDATE digest_subscriptions SET ' +
        'watermark = CASE WHEN @watermark IS NULL THEN watermark ELSE MAX(COALESCE(watermark, @watermark), @watermark) END, ' +
        'last_slot = CASE WHEN @lastSlot IS NULL THEN last_slot ELSE MAX(COALESCE(last_slot, @lastSlot), @lastSlot) END, ' +
        'retry_at = @retryAt, last_result = @lastResult, paused = COALESCE(@pause, paused), ' +
        'open_run = CASE WHEN @keepOpen = 0 AND open_run = @slot THEN NULL ELSE open_run END WHERE id = @id',
    ),
  };
  const sentStatements = new Map<number, Database.Statement<unknown[], { pmid: string }>>();
  const sentStatement = (n: number): Database.Statement<unknown[], { pmid: string }> => {
    let statement = sentStatements.get(n);
    if (!statement) {
      statement = db.prepare(
        `SELECT pmid FROM digest_ledger WHERE subscription_id = ? AND pmid IN (${new Array(n).fill('?').join(',')})`,
      );
      sentStatements.set(n, statement);
    }
    return statement;
  };

  /** Ours and live: the only condition under which a run may be written. */
  const holds = (claim: Claim, id: number): boolean => {
    const row = q.claimRow.get(id, claim.slot);
    return row !== undefined && row.token === claim.token && row.expires_at > clock.now();
  };

  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeFailure(error));
    }
  };
  const immediate = <T>(work: () => T): Promise<T> => run(() => db.transaction(work).immediate());

  return {
    kind: 'sqlite',

    create: (definition) =>
      immediate(() => {
        const { place } = definition;
        const info = q.insert.run(
          place.platform,
          place.team ?? '',
          place.channel,
          JSON.stringify(definition),
        );
        return { id: String(info.lastInsertRowid), ...definition };
      }),

    get: (id) =>
      run(() => {
        const n = rowId(id);
        const row = n === undefined ? undefined : q.get.get(n);
        return row ? toSubscription(row) : undefined;
      }),

    listForChannel: (place: ChannelRef) =>
      run(() => q.byChannel.all(place.platform, place.team ?? '', place.channel).map(toSubscription)),

    listAll: () => run(() => q.all.all().map(toSubscription)),

    remove: (id) =>
      immediate(() => {
        const n = rowId(id);
        if (n === undefined) return false;
        const removed = q.remove.run(n).changes > 0;
        q.removeLedger.run(n);
        q.removeRuns.run(n);
        return removed;
      }),

    pause: (id, pause) =>
      immediate(() => {
        const n = rowId(id);
        if (n === undefined) return undefined;
        q.pause.run(JSON.stringify(pause), n);
        const row = q.get.get(n);
        return row ? toSubscription(row) : undefined;
      }),

    resume: (id, skipThrough) =>
      immediate(() => {
        const n = rowId(id);
        if (n === undefined) return undefined;
        q.resume.run(skipThrough ?? null, skipThrough ?? null, n);
        const row = q.get.get(n);
        return row ? toSubscription(row) : undefined;
      }),

    claim: (subscriptionId, slot, ttlMs) =>
      immediate(() => {
        const n = rowId(subscriptionId);
        if (n === undefined) return undefined;
        const now = clock.now();
        q.pruneClaims.run(now - RUN_KEEP_MS);
        const current = q.claimRow.get(n, slot);
        if (current && current.expires_at > now) return undefined;
        const token = randomUUID();
        q.putClaim.run(n, slot, token, now + ttlMs);
        return { subscriptionId, slot, token };
      }),

    extendClaim: (claim, ttlMs) =>
      immediate(() => {
        const now = clock.now();
        return (
          q.extendClaim.run(now + ttlMs, Number(claim.subscriptionId), claim.slot, claim.token, now).changes >
          0
        );
      }),

    releaseClaim: (claim) =>
      immediate(() => {
        q.releaseClaim.run(Number(claim.subscriptionId), claim.slot, claim.token);
      }),

    getRun: (subscriptionId, slot) =>
      run(() => {
        const n = rowId(subscriptionId);
        const row = n === undefined ? undefined : q.getRun.get(n, slot);
        return row ? (JSON.parse(row.record) as RunRecord) : undefined;
      }),

    beginRun: (claim, record) =>
      immediate(() => {
        const n = Number(claim.subscriptionId);
        if (!holds(claim, n) || !q.get.get(n)) return false;
        q.putRun.run(n, record.slot, JSON.stringify(record));
        q.openRun.run(record.slot, n);
        return true;
      }),

    finishRun: (claim, outcome) =>
      immediate(() => {
        const n = Number(claim.subscriptionId);
        if (!holds(claim, n) || !q.get.get(n)) return false;
        const effects = runEffects(outcome);
        const slot = effects.run.slot;
        q.putRun.run(n, slot, JSON.stringify(effects.run));
        q.pruneRuns.run(n, slot - RUN_KEEP_MS);
        if (effects.ledger) {
          for (const pmid of effects.ledger.pmids) q.addSent.run(n, pmid, effects.ledger.sentAt);
          q.pruneSent.run(n, effects.ledger.pruneBefore);
        }
        q.applyState.run({
          id: n,
          slot,
          keepOpen: effects.keepOpen ? 1 : 0,
          watermark: effects.watermark ?? null,
          lastSlot: effects.lastSlot ?? null,
          retryAt: effects.retryAt,
          lastResult: JSON.stringify(effects.lastResult),
          pause: effects.pause ? JSON.stringify(effects.pause) : null,
        });
        return true;
      }),

    sentAmong: (subscriptionId, pmids) =>
      run(() => {
        const n = rowId(subscriptionId);
        const sent = new Set<string>();
        if (n === undefined) return sent;
        for (let i = 0; i < pmids.length; i += IN_CHUNK) {
          const chunk = pmids.slice(i, i + IN_CHUNK);
          for (const row of sentStatement(chunk.length).all(n, ...chunk)) sent.add(row.pmid);
        }
        return sent;
      }),

    close: async () => {
      if (db.open) db.close();
    },
  };
}
