// Saved syncs in the library database: one row per (source, query) with where the last finished run
// reached and the unfinished run's position. What a run does is sync.ts's; this only reads and writes rows.

import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../core/clock';

export type SyncSource = 'pubmed' | 'clinicaltrials';

export interface SavedSync {
  id: number;
  source: SyncSource;
  query: string;
  /** The last day (YYYY/MM/DD) a finished run covered; the next run asks from there. */
  coveredTo?: string;
  /** Epoch ms of the last finished run. */
  lastRunAt?: number;
  /** How many records the source counted for the last finished run's windows. */
  lastCount?: number;
  /** Records stored by every run of this sync (a revised record counts again). */
  records: number;
  /** The unfinished run's plan and position, as the sync module wrote it; undefined between runs. */
  run?: string;
}

interface Row {
  id: number;
  source: SyncSource;
  query: string;
  covered_to: string | null;
  last_run_at: number | null;
  last_count: number | null;
  records: number;
  run: string | null;
}

function toSaved(row: Row): SavedSync {
  return {
    id: row.id,
    source: row.source,
    query: row.query,
    records: row.records,
    ...(row.covered_to !== null ? { coveredTo: row.covered_to } : {}),
    ...(row.last_run_at !== null ? { lastRunAt: row.last_run_at } : {}),
    ...(row.last_count !== null ? { lastCount: row.last_count } : {}),
    ...(row.run !== null ? { run: row.run } : {}),
  };
}

export function createSyncStates(db: BetterSqlite3.Database, clock: Clock) {
  const all = db.prepare<[], Row>('SELECT * FROM syncs ORDER BY source, query');
  const one = db.prepare<[SyncSource, string], Row>('SELECT * FROM syncs WHERE source = ? AND query = ?');
  const insert = db.prepare<[SyncSource, string]>(
    'INSERT INTO syncs (source, query) VALUES (?, ?) ON CONFLICT (source, query) DO NOTHING',
  );
  const progress = db.prepare<[string | null, number, number]>(
    'UPDATE syncs SET run = ?, records = records + ? WHERE id = ?',
  );
  const finish = db.prepare<[string, number, number, number]>(
    'UPDATE syncs SET run = NULL, covered_to = ?, last_count = ?, last_run_at = ? WHERE id = ?',
  );

  return {
    list(): SavedSync[] {
      return all.all().map(toSaved);
    },
    /** The saved sync for this query, created (with nothing covered yet) when it is new. */
    open(source: SyncSource, query: string): SavedSync {
      insert.run(source, query);
      return toSaved(one.get(source, query) as Row);
    },
    /** The run's new position and how many records it just stored; call inside the batch's transaction. */
    advance(id: number, run: string | null, stored: number): void {
      progress.run(run, stored, id);
    },
    finish(id: number, coveredTo: string, count: number): void {
      finish.run(coveredTo, count, clock.now(), id);
    },
  };
}

export type SyncStates = ReturnType<typeof createSyncStates>;
