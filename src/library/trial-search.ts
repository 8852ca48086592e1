// The offline trial search: which side drives a radius search (the words through FTS5, or the R*Tree of
// trials' areas when its box holds few), filters on trial_facets, exact distances on each trial's packed points.

import type BetterSqlite3 from 'better-sqlite3';
import { boundingBox, radiusKm } from '../core/geo';
import type { LibraryTrialSearch } from '../core/sources';
import type { Trial } from '../core/trial';
import { toFtsMatch } from './fts-query';
import { AREA_SLOTS, nearestWithin, unpackPoints, type Circle } from './trial-facets';
import { TRIAL_QUERY, TRIAL_WEIGHTS, normalPhase, normalStatus, trialQueryText } from './trial-index';

const MAX_PAGE = 1000;
/**
 * With words, the tree drives while its box holds fewer areas than this: a few thousand ids from it cost
 * less than measuring every text match's sites. Around a dense city a box holds over ten thousand (14,000
 * around Paris on 50,000 studies), more than a selective text match has to measure. Counting up to the
 * bound is the plan's only cost (well under a millisecond).
 */
export const SITES_FIRST_MAX = 2048;

/**
 * sites-first: the R*Tree's box names the candidate trials, then filters and words apply to those.
 * text-first: the words (or, without words, the filters alone) name the candidates and each one's packed
 * points are measured; no tree read at all.
 */
export type TrialPlan = 'sites-first' | 'text-first';

export type TrialRow = { id: number; json: string };
/** Every candidate in one row: [id, rank, bytes of points] as JSON, and their points end to end. */
type Hits = [list: string, points: Buffer | null];
/** A candidate and where its points are in the unpacked array (numbers, lat and lon alternating). */
type Hit = { id: number; rank: number; from: number; to: number };
type Shape = {
  hasMatch: boolean;
  statuses: number;
  phases: number;
  age: boolean;
  sex: boolean;
  placeWords: number;
  /** How candidates from the tree are kept: none, a function over a text scan, or the tree's box in SQL. */
  member: 'none' | 'function' | 'box';
};
type Statements = {
  hits: BetterSqlite3.Statement<unknown[], Hits>;
  count: BetterSqlite3.Statement<unknown[], number>;
  page: BetterSqlite3.Statement<unknown[], number>;
};

type Kept = { id: number; rank: number; km: number };
const before = (a: Kept, b: Kept): number => a.rank - b.rank || a.km - b.km || b.id - a.id;

/** The first n in order: a page needs them, not all 5,000 matches around a city sorted (about 1 ms). */
function firstOf(kept: Kept[], n: number): Kept[] {
  if (n <= 0) return [];
  if (n * 8 >= kept.length) return kept.sort(before).slice(0, n);
  const first: Kept[] = [];
  for (const k of kept) {
    if (first.length === n && before(k, first[n - 1] as Kept) >= 0) continue;
    let at = first.length;
    while (at > 0 && before(k, first[at - 1] as Kept) < 0) at -= 1;
    first.splice(at, 0, k);
    if (first.length > n) first.pop();
  }
  return first;
}

export function createTrialSearch(db: BetterSqlite3.Database, parseTrial: (row: TrialRow) => Trial) {
  const box = 'max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?';
  // Only the id: reading the tree's coordinates too made the same box four times slower.
  const areasInBox = db.prepare<[number, number, number, number], number>(
    `SELECT id FROM trial_areas WHERE ${box}`,
  );
  areasInBox.pluck();
  const areasInBoxUpTo = db
    .prepare<[number, number, number, number, number], number>(
      `SELECT count(*) FROM (SELECT 1 FROM trial_areas WHERE ${box} LIMIT ?)`,
    )
    .pluck();
  // A text scan keeps the tree's candidates through this function: a list of ids in SQL would make FTS5
  // probe its index once per id. Set just before the statement runs.
  let nearNow: ReadonlySet<number> | undefined;
  db.function('paperbot_near', { deterministic: false }, (id) =>
    nearNow !== undefined && typeof id === 'number' && nearNow.has(id) ? 1 : 0,
  );
  const shapes = new Map<string, Statements>();
  const rowsById = new Map<number, BetterSqlite3.Statement<unknown[], TrialRow>>();

  /** One prepared set per filter shape (which filters, how many values each). */
  function statements(shape: Shape): Statements {
    const key = JSON.stringify(shape);
    let found = shapes.get(key);
    if (found !== undefined) return found;
    const where: string[] = [];
    if (shape.hasMatch) where.push('trials_fts MATCH ?');
    if (shape.statuses > 0) where.push(`f.status IN (${Array(shape.statuses).fill('?').join(', ')})`);
    if (shape.phases > 0)
      where.push(`(${Array(shape.phases).fill(`instr(',' || f.phases || ',', ?) > 0`).join(' OR ')})`);
    if (shape.member === 'function') where.push('paperbot_near(f.id)');
    if (shape.member === 'box')
      where.push(`f.id IN (SELECT id / ${AREA_SLOTS} FROM trial_areas WHERE ${box})`);
    if (shape.age)
      where.push('(f.min_age IS NULL OR f.min_age <= ?) AND (f.max_age IS NULL OR f.max_age >= ?)');
    // As the registry's AREA[Sex](X OR ALL): a record that states no sex is not matched.
    if (shape.sex) where.push(`f.sex IN ('ALL', ?)`);
    for (let i = 0; i < shape.placeWords; i += 1)
      where.push(`f.id IN (SELECT trial_id FROM trial_sites WHERE place LIKE ? ESCAPE '\\')`);
    const from = shape.hasMatch
      ? 'trials_fts JOIN trial_facets f ON f.id = trials_fts.rowid'
      : 'trial_facets f';
    const rank = shape.hasMatch ? `bm25(trials_fts, ${TRIAL_WEIGHTS.join(', ')})` : '0';
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    found = {
      // One row for all candidates: better-sqlite3 makes a Buffer per blob value (about 1.3 µs each, 25 ms
      // for the 6,300 trials around Paris), one Buffer of them all costs a copy. JSON keeps bm25's 17 digits.
      // LIMIT -1 (none) keeps SQLite from flattening the rows into the aggregate, where bm25 cannot run.
      hits: db
        .prepare<unknown[], Hits>(
          `SELECT json_group_array(json_array(id, rank, bytes)), CAST(group_concat(points, '') AS BLOB)
           FROM (SELECT f.id AS id, ${rank} AS rank, ifnull(length(f.points), 0) AS bytes, f.points AS points
             FROM ${from} ${clause} LIMIT -1)`,
        )
        .raw(),
      count: db.prepare<unknown[], number>(`SELECT count(*) FROM ${from} ${clause}`).pluck(),
      page: db
        .prepare<unknown[], number>(
          `SELECT f.id FROM ${from} ${clause} ORDER BY ${shape.hasMatch ? `${rank}, ` : ''}f.id DESC LIMIT ? OFFSET ?`,
        )
        .pluck(),
    };
    shapes.set(key, found);
    return found;
  }

  /** The records of these ids, in this order. */
  function records(ids: readonly number[]): Trial[] {
    if (ids.length === 0) return [];
    let statement = rowsById.get(ids.length);
    if (statement === undefined) {
      statement = db.prepare<unknown[], TrialRow>(
        `SELECT id, json FROM trials WHERE id IN (${Array(ids.length).fill('?').join(', ')})`,
      );
      rowsById.set(ids.length, statement);
    }
    const byId = new Map(statement.all(...ids).map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [parseTrial(row)] : [];
    });
  }

  function choosePlan(hasMatch: boolean, circle: Circle): TrialPlan {
    // Without words the tree is the only index on place: every other plan reads every trial.
    if (!hasMatch) return 'sites-first';
    const b = circle.box;
    const areas = areasInBoxUpTo.get(b.minLat, b.maxLat, b.minLon, b.maxLon, SITES_FIRST_MAX) ?? 0;
    return areas < SITES_FIRST_MAX ? 'sites-first' : 'text-first';
  }

  /** Candidates with their relevance and points: every one the text and filters name, or the tree's too. */
  function candidates(
    shape: Shape,
    params: unknown[],
    circle: Circle,
    plan: TrialPlan,
  ): [Hit[], Float64Array] {
    const b = circle.box;
    let row: Hits | undefined;
    if (plan === 'text-first') row = statements({ ...shape, member: 'none' }).hits.get(...params);
    else if (!shape.hasMatch) {
      // The box's parameters go where the shape's SQL expects them: after statuses and phases, before age.
      const at = shape.statuses + shape.phases;
      const boxParams = [b.minLat, b.maxLat, b.minLon, b.maxLon];
      row = statements({ ...shape, member: 'box' }).hits.get(
        ...params.slice(0, at),
        ...boxParams,
        ...params.slice(at),
      );
    } else {
      const near = new Set<number>();
      for (const area of areasInBox.all(b.minLat, b.maxLat, b.minLon, b.maxLon))
        near.add(Math.floor(area / AREA_SLOTS));
      if (near.size === 0) return [[], new Float64Array(0)];
      nearNow = near;
      try {
        row = statements({ ...shape, member: 'function' }).hits.get(...params);
      } finally {
        nearNow = undefined;
      }
    }
    const points = unpackPoints(row?.[1] ?? Buffer.alloc(0));
    const hits: Hit[] = [];
    let at = 0;
    for (const [id, rank, bytes] of JSON.parse(row?.[0] ?? '[]') as [number, number, number][]) {
      hits.push({ id, rank, from: at, to: at + bytes / 8 });
      at += bytes / 8;
    }
    return [hits, points];
  }

  /** Ranked by relevance (bm25), then by the nearest site's distance when the search has a radius. */
  return function search(q: LibraryTrialSearch, plan?: TrialPlan): { total: number; trials: Trial[] } {
    const limit = Math.min(MAX_PAGE, Math.max(0, Math.trunc(q.limit) || 0));
    const offset = Math.max(0, Math.trunc(q.offset ?? 0) || 0);
    const statuses = [...new Set((q.status ?? []).map(normalStatus).filter((s) => s !== ''))];
    const phases = [...new Set((q.phase ?? []).map(normalPhase).filter((p) => p !== ''))];
    const text = trialQueryText(q.terms, q.cond, q.intr);
    const match = text.trim() === '' ? undefined : toFtsMatch(text, TRIAL_QUERY);
    if (text.trim() !== '' && match === undefined) return { total: 0, trials: [] };
    const placeWords = (q.place ?? '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const params: unknown[] = [
      ...(match === undefined ? [] : [match.all]),
      ...statuses,
      ...phases.map((p) => `,${p},`),
      ...(q.age !== undefined ? [q.age, q.age] : []),
      ...(q.sex ? [q.sex] : []),
      ...placeWords,
    ];
    const shape: Shape = {
      hasMatch: match !== undefined,
      statuses: statuses.length,
      phases: phases.length,
      age: q.age !== undefined,
      sex: q.sex !== undefined,
      placeWords: placeWords.length,
      member: 'none',
    };
    if (q.near === undefined) {
      const { count, page } = statements(shape);
      const total = count.get(...params) ?? 0;
      if (total === 0 || limit === 0 || offset >= total) return { total, trials: [] };
      return { total, trials: records(page.all(...params, limit, offset)) };
    }
    const km = radiusKm(q.near.radius);
    const circle: Circle = { point: q.near.point, km, box: boundingBox(q.near.point, km) };
    const kept: Kept[] = [];
    const [hits, points] = candidates(shape, params, circle, plan ?? choosePlan(shape.hasMatch, circle));
    for (const { id, rank, from, to } of hits) {
      const nearest = nearestWithin(points, circle, from, to);
      if (nearest !== undefined) kept.push({ id, rank, km: nearest });
    }
    return {
      total: kept.length,
      trials: records(
        firstOf(kept, offset + limit)
          .slice(offset)
          .map((k) => k.id),
      ),
    };
  };
}
