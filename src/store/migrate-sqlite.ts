// Reads the SQLite files of the earlier per-feature stores (digests.sqlite, slack-installations.sqlite,
// teams.sqlite) into LegacyData, and renames each to *.migrated once written, kept for a rollback.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { emptyLegacy, type LegacyData } from './migrate';
import { subscriptionRecord, type LegacyFields } from './migrate-record';

/** The earlier stores' files in the data directory, by what they held. */
export const LEGACY_FILES = ['digests.sqlite', 'slack-installations.sqlite', 'teams.sqlite'] as const;

interface SubscriptionRow {
  id: number;
  definition: string;
  paused: string | null;
  watermark: number | null;
  last_slot: number | null;
  retry_at: number | null;
  open_run: number | null;
  last_result: string | null;
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

function readDigests(db: Database.Database, into: LegacyData): void {
  if (!hasTable(db, 'digest_subscriptions')) return;
  for (const row of db.prepare('SELECT * FROM digest_subscriptions').all() as SubscriptionRow[]) {
    const fields: LegacyFields = {
      definition: row.definition,
      paused: row.paused,
      watermark: row.watermark,
      lastSlot: row.last_slot,
      retryAt: row.retry_at,
      openRun: row.open_run,
      lastResult: row.last_result,
    };
    into.subscriptions.push({ id: String(row.id), record: subscriptionRecord(fields) });
  }
  const ledger = db.prepare('SELECT subscription_id, pmid, sent_at FROM digest_ledger').all() as {
    subscription_id: number;
    pmid: string;
    sent_at: number;
  }[];
  for (const row of ledger)
    into.ledger.push({ id: String(row.subscription_id), pmid: row.pmid, sentAt: row.sent_at });
  const runs = db.prepare('SELECT subscription_id, slot, record FROM digest_runs').all() as {
    subscription_id: number;
    slot: number;
    record: string;
  }[];
  for (const row of runs)
    into.runs.push({
      id: String(row.subscription_id),
      slot: row.slot,
      record: JSON.parse(row.record) as unknown,
    });
}

function readInstallations(db: Database.Database, into: LegacyData): void {
  if (!hasTable(db, 'slack_installations')) return;
  const rows = db.prepare('SELECT key, installation FROM slack_installations').all() as {
    key: string;
    installation: string;
  }[];
  for (const row of rows)
    into.installations.push({ key: row.key, installation: JSON.parse(row.installation) as unknown });
}

function readTeams(db: Database.Database, into: LegacyData): void {
  if (hasTable(db, 'teams_references')) {
    const rows = db.prepare('SELECT key, value FROM teams_references').all() as {
      key: string;
      value: string;
    }[];
    for (const row of rows) into.references.push({ key: row.key, value: JSON.parse(row.value) as unknown });
  }
  if (hasTable(db, 'teams_sent')) {
    const rows = db.prepare('SELECT key, idempotency_key, at FROM teams_sent').all() as {
      key: string;
      idempotency_key: string;
      at: number;
    }[];
    for (const row of rows) into.sent.push({ key: row.key, idempotencyKey: row.idempotency_key, at: row.at });
  }
}

/** The old files present in `dataDir` and what they hold (read-only; nothing is changed). */
export function readLegacyFiles(dataDir: string): { files: string[]; data: LegacyData } {
  const data = emptyLegacy();
  const files: string[] = [];
  for (const name of LEGACY_FILES) {
    const file = path.join(dataDir, name);
    if (!fs.existsSync(file)) continue;
    files.push(file);
    const db = new Database(file, { fileMustExist: true });
    try {
      readDigests(db, data);
      readInstallations(db, data);
      readTeams(db, data);
    } finally {
      db.close();
    }
  }
  return { files, data };
}

/** Set aside once migrated: a rollback renames them back; the new store no longer reads them. */
export function retireLegacyFiles(files: readonly string[]): void {
  for (const file of files) {
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, `${file}.migrated${suffix}`);
    }
  }
}
