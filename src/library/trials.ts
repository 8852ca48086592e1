// The trials table and its full-text index: upsert, lookups by NCT id and acronym, filtered search.
// What goes into the index is trial-index.ts's; opening the database and migrations are store.ts's.

import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../core/clock';
import type { LibraryTrialSearch } from '../core/sources';
import type { Trial } from '../core/trial';
import type { Origin, UpsertResult } from './articles';
import { toFtsMatch } from './fts-query';
import {
  TRIAL_QUERY,
  TRIAL_WEIGHTS,
  normalPhase,
  normalStatus,
  trialDocument,
  trialRowId,
} from './trial-index';

const MAX_PAGE = 1000;

function parseTrial(json: string): Trial {
  // Only this module writes the column, always JSON.stringify of a Trial.
  return JSON.parse(json) as Trial;
}

export function createTrials(db: BetterSqlite3.Database, clock: Clock) {
  const existing = db.prepare<[number], { origin: Origin }>('SELECT origin FROM trials WHERE id = ?');
  const upsertRow = db.prepare(
    `INSERT INTO trials (id, nct, acronym, status, phases, json, raw, origin, updated_at)
     VALUES (@id, @nct, @acronym, @status, @phases, @json, @raw, @origin, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET nct = excluded.nct, acronym = excluded.acronym, status = excluded.status,
       phases = excluded.phases, json = excluded.json, raw = excluded.raw, origin = excluded.origin,
       updated_at = excluded.updated_at`,
  );
  const insertFts = db.prepare(
    `INSERT INTO trials_fts (rowid, title, acronym, conditions, interventions, keywords, summary, sponsor)
     VALUES (@rowid, @title, @acronym, @conditions, @interventions, @keywords, @summary, @sponsor)`,
  );
  const deleteFts = db.prepare<[number]>('DELETE FROM trials_fts WHERE rowid = ?');
  const byId = db.prepare<[number], string>('SELECT json FROM trials WHERE id = ?').pluck();
  const byAcronym = db
    .prepare<[string], string>('SELECT json FROM trials WHERE acronym = ? COLLATE NOCASE ORDER BY id DESC')
    .pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM trials').pluck();
  // One prepared pair per filter shape (match or not, how many statuses, how many phases).
  const shapes = new Map<
    string,
    { count: BetterSqlite3.Statement<unknown[], number>; page: BetterSqlite3.Statement<unknown[], string> }
  >();

  function statements(hasMatch: boolean, statuses: number, phases: number) {
    const key = `${hasMatch}|${statuses}|${phases}`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      const where: string[] = [];
      if (hasMatch) where.push('trials_fts MATCH ?');
      if (statuses > 0) where.push(`t.status IN (${Array(statuses).fill('?').join(', ')})`);
      if (phases > 0)
        where.push(`(${Array(phases).fill(`instr(',' || t.phases || ',', ?) > 0`).join(' OR ')})`);
      const from = hasMatch ? 'trials_fts JOIN trials t ON t.id = trials_fts.rowid' : 'trials t';
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      shape = {
        count: db.prepare<unknown[], number>(`SELECT count(*) FROM ${from} ${clause}`).pluck(),
        page: db
          .prepare<unknown[], string>(
            `SELECT t.json FROM ${from} ${clause} ORDER BY ${hasMatch ? `bm25(trials_fts, ${TRIAL_WEIGHTS.join(', ')}), t.id DESC` : 't.id DESC'} LIMIT ? OFFSET ?`,
          )
          .pluck(),
      };
      shapes.set(key, shape);
    }
    return shape;
  }

  const upsert = db.transaction(
    (trials: readonly { trial: Trial; raw: unknown }[], origin: Origin): UpsertResult => {
      const result: UpsertResult = { inserted: 0, updated: 0, skipped: 0 };
      const updatedAt = clock.now();
      for (const { trial, raw } of trials) {
        const id = trialRowId(trial.nct);
        if (id === undefined) {
          result.skipped += 1;
          continue;
        }
        const before = existing.get(id);
        if (before !== undefined && origin === 'seed' && before.origin === 'user') {
          result.skipped += 1;
          continue;
        }
        if (before !== undefined) deleteFts.run(id);
        upsertRow.run({
          id,
          nct: trial.nct.toUpperCase(),
          acronym: trial.acronym ?? null,
          status: trial.status ?? null,
          phases: trial.phases.join(','),
          json: JSON.stringify(trial),
          raw: raw === undefined ? null : JSON.stringify(raw),
          origin,
          updatedAt,
        });
        insertFts.run({ rowid: id, ...trialDocument(trial) });
        if (before === undefined) result.inserted += 1;
        else result.updated += 1;
      }
      return result;
    },
  );

  return {
    upsert(trials: readonly { trial: Trial; raw: unknown }[], origin: Origin = 'user'): UpsertResult {
      return upsert.immediate(trials, origin);
    },
    get(nct: string): Trial | undefined {
      const id = trialRowId(nct);
      const json = id === undefined ? undefined : byId.get(id);
      return json === undefined ? undefined : parseTrial(json);
    },
    findByAcronym(acronym: string): Trial[] {
      const wanted = acronym.trim();
      return wanted === '' ? [] : byAcronym.all(wanted).map(parseTrial);
    },
    count(): number {
      return countAll.get() ?? 0;
    },
    search(q: LibraryTrialSearch): { total: number; trials: Trial[] } {
      const limit = Math.min(MAX_PAGE, Math.max(0, Math.trunc(q.limit) || 0));
      const offset = Math.max(0, Math.trunc(q.offset ?? 0) || 0);
      const statuses = [...new Set((q.status ?? []).map(normalStatus).filter((s) => s !== ''))];
      const phases = [...new Set((q.phase ?? []).map(normalPhase).filter((p) => p !== ''))];
      const match = q.terms.trim() === '' ? undefined : toFtsMatch(q.terms, TRIAL_QUERY);
      if (q.terms.trim() !== '' && match === undefined) return { total: 0, trials: [] };
      const params: unknown[] = [
        ...(match === undefined ? [] : [match.all]),
        ...statuses,
        ...phases.map((p) => `,${p},`),
      ];
      const shape = statements(match !== undefined, statuses.length, phases.length);
      const total = shape.count.get(...params) ?? 0;
      if (total === 0 || limit === 0 || offset >= total) return { total, trials: [] };
      return { total, trials: shape.page.all(...params, limit, offset).map(parseTrial) };
    },
  };
}

export type Trials = ReturnType<typeof createTrials>;
