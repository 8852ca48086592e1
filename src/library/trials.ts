// The trials table, its full-text index and its sites: upsert, lookups by NCT id and acronym, filtered search
// with a radius (R*Tree box, then exact haversine). What the index holds is trial-index.ts's; migrations store.ts's.

import type BetterSqlite3 from 'better-sqlite3';
import { parseStudy } from '../clinicaltrials/study';
import type { Clock } from '../core/clock';
import { boundingBox, haversineKm, radiusKm } from '../core/geo';
import type { LibraryTrialSearch } from '../core/sources';
import type { Trial } from '../core/trial';
import type { Origin, UpsertResult } from './articles';
import { toFtsMatch } from './fts-query';
import {
  TRIAL_QUERY,
  TRIAL_WEIGHTS,
  ageInYears,
  normalPhase,
  normalStatus,
  sitePlace,
  trialDocument,
  trialQueryText,
  trialRowId,
} from './trial-index';

const MAX_PAGE = 1000;
/** Site ids are trial id × SITE_SLOTS + the site's place in the record (schema.ts fills old rows alike). */
const SITE_SLOTS = 8192;

type Row = { id: number; json: string };

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
  const deleteGeo = db.prepare<[number]>(
    'DELETE FROM trial_geo WHERE id IN (SELECT id FROM trial_sites WHERE trial_id = ?)',
  );
  const deleteSites = db.prepare<[number]>('DELETE FROM trial_sites WHERE trial_id = ?');
  const insertSite = db.prepare<[number, number, number, number, string]>(
    'INSERT INTO trial_sites (id, trial_id, lat, lon, place) VALUES (?, ?, ?, ?, ?)',
  );
  const insertGeo = db.prepare<[number, number, number, number, number]>(
    'INSERT INTO trial_geo (id, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)',
  );
  // The box is a superset; the exact test is haversine below, on the tree's own 32-bit points (within a
  // metre of the registry's). Site ids carry their trial (see SITE_SLOTS), so nothing else is read.
  const sitesInBox = db
    .prepare<[number, number, number, number], [number, number, number]>(
      `SELECT id, min_lat, min_lon FROM trial_geo
       WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?`,
    )
    .raw();
  // A radius search with words lets FTS5 find the matches once and keeps those near the point: a list of
  // ids in SQL would make it probe the index once per id instead. Set just before the statement runs.
  let nearNow: ReadonlyMap<number, number> | undefined;
  db.function('paperbot_near', { deterministic: false }, (id) =>
    nearNow !== undefined && typeof id === 'number' && nearNow.has(id) ? 1 : 0,
  );
  const byId = db.prepare<[number], Row>('SELECT id, json FROM trials WHERE id = ?');
  const rawById = db.prepare<[number], string | null>('SELECT raw FROM trials WHERE id = ?').pluck();
  const byAcronym = db.prepare<[string], Row>(
    'SELECT id, json FROM trials WHERE acronym = ? COLLATE NOCASE ORDER BY id DESC',
  );
  const countAll = db.prepare<[], number>('SELECT count(*) FROM trials').pluck();
  type Shape = {
    /** Every match with its relevance: a radius search ranks them itself, by relevance then distance. */
    all: BetterSqlite3.Statement<unknown[], { id: number; rank: number }>;
    count: BetterSqlite3.Statement<unknown[], number>;
    /** One page in relevance order, for searches without a radius. */
    page: BetterSqlite3.Statement<unknown[], Row>;
  };
  const shapes = new Map<string, Shape>();
  const rowsById = new Map<number, BetterSqlite3.Statement<unknown[], Row>>();

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

  /** One prepared set per filter shape (which filters, how many values each). */
  function matching(key: {
    hasMatch: boolean;
    statuses: number;
    phases: number;
    ids: boolean;
    age: boolean;
    sex: boolean;
    placeWords: number;
  }) {
    const id = JSON.stringify(key);
    let shape = shapes.get(id);
    if (shape === undefined) {
      const where: string[] = [];
      if (key.hasMatch) where.push('trials_fts MATCH ?');
      if (key.statuses > 0) where.push(`t.status IN (${Array(key.statuses).fill('?').join(', ')})`);
      if (key.phases > 0)
        where.push(`(${Array(key.phases).fill(`instr(',' || t.phases || ',', ?) > 0`).join(' OR ')})`);
      if (key.ids)
        where.push(key.hasMatch ? 'paperbot_near(t.id)' : 't.id IN (SELECT value FROM json_each(?))');
      if (key.age)
        where.push('(t.min_age IS NULL OR t.min_age <= ?) AND (t.max_age IS NULL OR t.max_age >= ?)');
      // As the registry's AREA[Sex](X OR ALL): a record that states no sex is not matched.
      if (key.sex) where.push(`t.sex IN ('ALL', ?)`);
      for (let i = 0; i < key.placeWords; i += 1)
        where.push(`t.id IN (SELECT trial_id FROM trial_sites WHERE place LIKE ? ESCAPE '\\')`);
      const from = key.hasMatch ? 'trials_fts JOIN trials t ON t.id = trials_fts.rowid' : 'trials t';
      const rank = key.hasMatch ? `bm25(trials_fts, ${TRIAL_WEIGHTS.join(', ')})` : '0';
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      shape = {
        all: db.prepare<unknown[], { id: number; rank: number }>(
          `SELECT t.id AS id, ${rank} AS rank FROM ${from} ${clause}`,
        ),
        count: db.prepare<unknown[], number>(`SELECT count(*) FROM ${from} ${clause}`).pluck(),
        page: db.prepare<unknown[], Row>(
          `SELECT t.id AS id, t.json AS json FROM ${from} ${clause} ORDER BY ${key.hasMatch ? `${rank}, ` : ''}t.id DESC LIMIT ? OFFSET ?`,
        ),
      };
      shapes.set(id, shape);
    }
    return shape;
  }

  function rowsFor(count: number) {
    let statement = rowsById.get(count);
    if (statement === undefined) {
      statement = db.prepare<unknown[], Row>(
        `SELECT id, json FROM trials WHERE id IN (${Array(count).fill('?').join(', ')})`,
      );
      rowsById.set(count, statement);
    }
    return statement;
  }

  /** Trials with a site within the radius, each with its nearest site's distance in km. */
  function withinRadius(near: NonNullable<LibraryTrialSearch['near']>): Map<number, number> {
    const km = radiusKm(near.radius);
    const box = boundingBox(near.point, km);
    const nearest = new Map<number, number>();
    for (const [site, lat, lon] of sitesInBox.all(box.minLat, box.maxLat, box.minLon, box.maxLon)) {
      const trial = Math.floor(site / SITE_SLOTS);
      const d = haversineKm(near.point, { lat, lon });
      if (d > km) continue;
      const best = nearest.get(trial);
      if (best === undefined || d < best) nearest.set(trial, d);
    }
    return nearest;
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
        if (before !== undefined) {
          deleteFts.run(id);
          deleteGeo.run(id);
          deleteSites.run(id);
        }
        const e = trial.eligibility;
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
          minAge: ageInYears(e?.minimumAge) ?? null,
          maxAge: ageInYears(e?.maximumAge) ?? null,
          sex: e?.sex ?? null,
        });
        insertFts.run({ rowid: id, ...trialDocument(trial) });
        (trial.sites ?? []).forEach((site, index) => {
          if (!site.geo || index >= SITE_SLOTS) return;
          const siteId = id * SITE_SLOTS + index;
          insertSite.run(siteId, id, site.geo.lat, site.geo.lon, sitePlace(site));
          insertGeo.run(siteId, site.geo.lat, site.geo.lat, site.geo.lon, site.geo.lon);
        });
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
    /** Ranked by relevance (bm25), then by the nearest site's distance when the search has a radius. */
    search(q: LibraryTrialSearch): { total: number; trials: Trial[] } {
      const limit = Math.min(MAX_PAGE, Math.max(0, Math.trunc(q.limit) || 0));
      const offset = Math.max(0, Math.trunc(q.offset ?? 0) || 0);
      const statuses = [...new Set((q.status ?? []).map(normalStatus).filter((s) => s !== ''))];
      const phases = [...new Set((q.phase ?? []).map(normalPhase).filter((p) => p !== ''))];
      const text = trialQueryText(q.terms, q.cond, q.intr);
      const match = text.trim() === '' ? undefined : toFtsMatch(text, TRIAL_QUERY);
      if (text.trim() !== '' && match === undefined) return { total: 0, trials: [] };
      const nearest = q.near ? withinRadius(q.near) : undefined;
      if (nearest !== undefined && nearest.size === 0) return { total: 0, trials: [] };
      const placeWords = (q.place ?? '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
        .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const params: unknown[] = [
        ...(match === undefined ? [] : [match.all]),
        ...statuses,
        ...phases.map((p) => `,${p},`),
        ...(nearest && match === undefined ? [JSON.stringify([...nearest.keys()])] : []),
        ...(q.age !== undefined ? [q.age, q.age] : []),
        ...(q.sex ? [q.sex] : []),
        ...placeWords,
      ];
      const shape = matching({
        hasMatch: match !== undefined,
        statuses: statuses.length,
        phases: phases.length,
        ids: nearest !== undefined,
        age: q.age !== undefined,
        sex: q.sex !== undefined,
        placeWords: placeWords.length,
      });
      if (nearest === undefined) {
        const total = shape.count.get(...params) ?? 0;
        if (total === 0 || limit === 0 || offset >= total) return { total, trials: [] };
        return { total, trials: shape.page.all(...params, limit, offset).map(parseTrial) };
      }
      nearNow = nearest;
      let rows: { id: number; rank: number }[];
      try {
        rows = shape.all.all(...params);
      } finally {
        nearNow = undefined;
      }
      const distance = (id: number): number => nearest.get(id) ?? Infinity;
      rows.sort((a, b) => a.rank - b.rank || distance(a.id) - distance(b.id) || b.id - a.id);
      const total = rows.length;
      const page = rows.slice(offset, offset + limit);
      if (page.length === 0) return { total, trials: [] };
      const byRow = new Map(
        rowsFor(page.length)
          .all(...page.map((r) => r.id))
          .map((r) => [r.id, r]),
      );
      const trials = page.flatMap((r) => {
        const row = byRow.get(r.id);
        return row ? [parseTrial(row)] : [];
      });
      return { total, trials };
    },
  };
}

export type Trials = ReturnType<typeof createTrials>;
