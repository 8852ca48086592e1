// The trials table, its full-text index, its sites and their facets: upsert and lookups by NCT id and acronym.
// The search is trial-search.ts's; what the index holds is trial-index.ts's; migrations schema.ts's.

import type BetterSqlite3 from 'better-sqlite3';
import { parseStudy } from '../clinicaltrials/study';
import type { Clock } from '../core/clock';
import type { GeoPoint } from '../core/geo';
import type { Trial } from '../core/trial';
import type { Origin, UpsertResult } from './articles';
import { AREA_ID, packPoints, packUnpacked, SITE_SLOTS } from './trial-facets';
import { ageInYears, sitePlace, trialDocument, trialRowId } from './trial-index';
import { createTrialSearch, type TrialRow } from './trial-search';

type Row = TrialRow;

export function createTrials(db: BetterSqlite3.Database, clock: Clock) {
  const existing = db.prepare<[number], { origin: Origin }>('SELECT origin FROM trials WHERE id = ?');
  const upsertRow = db.prepare(
    `INSERT INTO trials (id, nct, acronym, status, phases, json, raw, origin, updated_at, min_age, max_age, sex)
     VALUES (@id, @nct, @acronym, @status, @phases, @json, @raw, @origin, @updatedAt, @minAge, @maxAge, @sex)
     ON CONFLICT (id) DO UPDATE SET nct = excluded.nct, acronym = excluded.acronym, status = excluded.status,
       phases = excluded.phases, json = excluded.json, raw = excluded.raw, origin = excluded.origin,
       updated_at = excluded.updated_at, min_age = excluded.min_age, max_age = excluded.max_age,
       sex = excluded.sex`,
  );
  const insertFts = db.prepare(
    `INSERT INTO trials_fts (rowid, title, acronym, conditions, interventions, keywords, summary, sponsor)
     VALUES (@rowid, @title, @acronym, @conditions, @interventions, @keywords, @summary, @sponsor)`,
  );
  const deleteFts = db.prepare<[number]>('DELETE FROM trials_fts WHERE rowid = ?');
  const deleteAreas = db.prepare<[number]>(
    `DELETE FROM trial_areas WHERE id IN (SELECT ${AREA_ID} FROM trial_sites WHERE trial_id = ?)`,
  );
  const deleteSites = db.prepare<[number]>('DELETE FROM trial_sites WHERE trial_id = ?');
  const insertSite = db.prepare<[number, number, number, number, string]>(
    'INSERT INTO trial_sites (id, trial_id, lat, lon, place) VALUES (?, ?, ?, ?, ?)',
  );
  // In SQL from the rows just written, so the cells are the migration's to the bit and a re-import finds them.
  const insertAreas = db.prepare<[number]>(
    `INSERT INTO trial_areas (id, min_lat, max_lat, min_lon, max_lon)
     SELECT ${AREA_ID}, min(lat), max(lat), min(lon), max(lon) FROM trial_sites WHERE trial_id = ? GROUP BY 1`,
  );
  const byId = db.prepare<[number], Row>('SELECT id, json FROM trials WHERE id = ?');
  const rawById = db.prepare<[number], string | null>('SELECT raw FROM trials WHERE id = ?').pluck();
  const byAcronym = db.prepare<[string], Row>(
    'SELECT id, json FROM trials WHERE acronym = ? COLLATE NOCASE ORDER BY id DESC',
  );
  const countAll = db.prepare<[], number>('SELECT count(*) FROM trials').pluck();
  const upsertFacets = db.prepare(
    `INSERT OR REPLACE INTO trial_facets (id, status, phases, min_age, max_age, sex, points)
     VALUES (@id, @status, @phases, @minAge, @maxAge, @sex, @points)`,
  );

  /**
   * A record stored before sites were kept has none in its JSON; its registry JSON (raw) still has them.
   * Re-read once per answer, so old libraries show distances without a re-import.
   */
  function parseTrial(row: Row): Trial {
    // Only this module writes the column, always JSON.stringify of a Trial.
    const trial = JSON.parse(row.json) as Trial;
    if (trial.sites !== undefined || trial.locationCount === 0) return trial;
    const raw = rawById.get(row.id);
    if (!raw) return trial;
    try {
      const sites = parseStudy(JSON.parse(raw)).sites;
      return sites ? { ...trial, sites } : trial;
    } catch {
      return trial;
    }
  }

  packUnpacked(db);
  const search = createTrialSearch(db, parseTrial);

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
        if (before !== undefined) {
          deleteFts.run(id);
          deleteAreas.run(id);
          deleteSites.run(id);
        }
        const e = trial.eligibility;
        const facets = {
          id,
          status: trial.status ?? null,
          phases: trial.phases.join(','),
          minAge: ageInYears(e?.minimumAge) ?? null,
          maxAge: ageInYears(e?.maximumAge) ?? null,
          sex: e?.sex ?? null,
        };
        upsertRow.run({
          ...facets,
          nct: trial.nct.toUpperCase(),
          acronym: trial.acronym ?? null,
          json: JSON.stringify(trial),
          raw: raw === undefined ? null : JSON.stringify(raw),
          origin,
          updatedAt,
        });
        insertFts.run({ rowid: id, ...trialDocument(trial) });
        const points: GeoPoint[] = [];
        (trial.sites ?? []).forEach((site, index) => {
          if (!site.geo || index >= SITE_SLOTS) return;
          const siteId = id * SITE_SLOTS + index;
          insertSite.run(siteId, id, site.geo.lat, site.geo.lon, sitePlace(site));
          points.push(site.geo);
        });
        if (points.length > 0) insertAreas.run(id);
        upsertFacets.run({ ...facets, points: packPoints(points) });
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
      const row = id === undefined ? undefined : byId.get(id);
      return row === undefined ? undefined : parseTrial(row);
    },
    findByAcronym(acronym: string): Trial[] {
      const wanted = acronym.trim();
      return wanted === '' ? [] : byAcronym.all(wanted).map(parseTrial);
    },
    count(): number {
      return countAll.get() ?? 0;
    },
    search,
  };
}

export type Trials = ReturnType<typeof createTrials>;
