// The offline radius search's two plans (the R*Tree's box first, or the words and filters first) answer alike,
// the packed points measure as haversine does, and a schema-3 library opens, gets its points packed and answers.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseStudy } from '../../src/clinicaltrials/study';
import { haversineKm } from '../../src/core/geo';
import type { LibraryTrialSearch } from '../../src/core/sources';
import { openLibrary, type LibraryStore } from '../../src/library/store';
import { nearestWithin, packPoints, unpackPoints } from '../../src/library/trial-facets';
import { useTempLibraries } from '../support/libraries';

type Json = Record<string, unknown>;
type Location = { geoPoint?: { lat: number; lon: number }; status?: string };
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'clinicaltrials');
const raw = (file: string): Json => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Json;
const ALCHEMIST = raw('v2_study_NCT04267848_1148_sites.json');
const OTHER = raw('v2_study_NCT02576665_fields.json');
const BOSTON = { lat: 42.3626, lon: -71.0702 };
const STATUSES = ['RECRUITING', 'NOT_YET_RECRUITING', 'ACTIVE_NOT_RECRUITING', 'COMPLETED'];

/**
 * 24 studies: the two recorded ones and copies with new NCT ids, every k-th site, shifted north by a few km
 * (so distances tie, cross the radius and reorder), other statuses; copies of OTHER keep identical text,
 * so their bm25 ties and distance decides.
 */
function fixtureStudies(): Json[] {
  const studies: Json[] = [ALCHEMIST, OTHER];
  for (let i = 1; i <= 22; i += 1) {
    const base = i % 2 === 0 ? OTHER : ALCHEMIST;
    const copy = structuredClone(base) as { protocolSection: Record<string, Json> };
    const p = copy.protocolSection;
    p.identificationModule = { ...p.identificationModule, nctId: `NCT9900${String(i).padStart(4, '0')}` };
    p.statusModule = { ...p.statusModule, overallStatus: STATUSES[i % STATUSES.length] };
    const locations = (p.contactsLocationsModule?.locations ?? []) as Location[];
    const step = base === ALCHEMIST ? 5 + i : 1;
    p.contactsLocationsModule = {
      locations: locations
        .filter((_, k) => k % step === i % step)
        .map((l) =>
          l.geoPoint ? { ...l, geoPoint: { lat: l.geoPoint.lat + i * 0.05, lon: l.geoPoint.lon } } : l,
        ),
    };
    studies.push(copy as unknown as Json);
  }
  return studies;
}

const libraries = useTempLibraries('trial-plans');

function filled(library: LibraryStore): LibraryStore {
  library.upsertTrials(fixtureStudies().map((s) => ({ trial: parseStudy(s), raw: s })));
  return library;
}

/** Searches that vary everything a plan touches: words, each filter, radius, unit and page. */
function searches(): LibraryTrialSearch[] {
  const points = [
    BOSTON,
    { lat: 39.7392, lon: -104.9903 },
    { lat: 25.77427, lon: -80.19366 },
    { lat: 48.8566, lon: 2.3522 },
  ];
  const words: Pick<LibraryTrialSearch, 'terms' | 'cond' | 'intr'>[] = [
    { terms: '' },
    { terms: 'adjuvant' },
    { terms: 'cancer' },
    { terms: '', cond: 'non-small cell' },
    { terms: 'tumor', intr: 'carboplatin' },
  ];
  const filters: Partial<LibraryTrialSearch>[] = [
    {},
    { status: ['RECRUITING', 'NOT_YET_RECRUITING'] },
    { phase: ['PHASE3'], age: 64 },
    { sex: 'FEMALE', place: 'boston' },
    { status: ['recruiting'], offset: 2 },
  ];
  const radii = [
    { value: 3, unit: 'km' as const },
    { value: 30, unit: 'mi' as const },
    { value: 100, unit: 'km' as const },
    { value: 2000, unit: 'km' as const },
  ];
  return points.flatMap((point, p) =>
    words.flatMap((w, i) =>
      filters.flatMap((f, j) =>
        radii
          .filter((_, r) => (p + i + j + r) % 2 === 0)
          .map((radius) => ({ ...w, ...f, near: { point, radius }, limit: 4 }) as LibraryTrialSearch),
      ),
    ),
  );
}

const answer = (library: LibraryStore, q: LibraryTrialSearch, plan?: 'sites-first' | 'text-first') => {
  const { total, trials } = library.searchTrials(q, plan);
  return { total, ncts: trials.map((t) => t.nct) };
};

describe('the two plans of a radius search', () => {
  it('the R*Tree-first and the text-first plan give the same total and page, and so does the chosen one', () => {
    const library = filled(libraries.fresh());
    const all = searches();
    let answered = 0;
    for (const q of all) {
      const sitesFirst = answer(library, q, 'sites-first');
      expect({ q, ...answer(library, q, 'text-first') }).toEqual({ q, ...sitesFirst });
      expect({ q, ...answer(library, q) }).toEqual({ q, ...sitesFirst });
      if (sitesFirst.ncts.length > 0) answered += 1;
    }
    // Not a comparison of empty answers: most of these searches find studies.
    expect(answered).toBeGreaterThan(all.length / 3);
  });

  it('ranks ties in relevance by the nearest site, and pages through the same order under either plan', () => {
    const library = filled(libraries.fresh());
    // Copies of OTHER share its text; their sites sit 5.6 km further north per copy.
    const q: LibraryTrialSearch = {
      terms: 'cancer',
      near: { point: { lat: 39.7392, lon: -104.9903 }, radius: { value: 60, unit: 'km' } },
      limit: 3,
    };
    for (const plan of ['sites-first', 'text-first'] as const) {
      const first = library.searchTrials(q, plan);
      const second = library.searchTrials({ ...q, offset: 3 }, plan);
      const order = [...first.trials, ...second.trials].map((t) => t.nct);
      expect(order.slice(0, 4)).toEqual(['NCT02576665', 'NCT99000002', 'NCT99000004', 'NCT99000006']);
      expect(new Set(order).size).toBe(order.length);
      expect(first.total).toBe(second.total);
    }
  });
});

it('a page of one, at every offset, is that place of the whole ranking', () => {
  const library = filled(libraries.fresh());
  for (const terms of ['', 'cancer']) {
    const q: LibraryTrialSearch = {
      terms,
      near: { point: BOSTON, radius: { value: 3000, unit: 'km' } },
      limit: 100,
    };
    const whole = answer(library, q);
    expect(whole.ncts.length).toBeGreaterThan(16);
    const one = whole.ncts.map((_, offset) => answer(library, { ...q, limit: 1, offset }).ncts[0]);
    expect(one).toEqual(whole.ncts);
    expect(answer(library, { ...q, limit: 0 })).toEqual({ total: whole.total, ncts: [] });
  }
});

describe('packed points', () => {
  it('measure as haversine does, from an unaligned Buffer too, and only inside the radius', () => {
    const points = [
      { lat: 42.3626, lon: -71.0702 },
      { lat: 42.5, lon: -71.2 },
      { lat: 48.8566, lon: 2.3522 },
    ];
    const packed = packPoints(points);
    const unaligned = Buffer.concat([Buffer.from([1, 2, 3]), packed]).subarray(3);
    const circle = {
      point: { lat: 42.4, lon: -71.1 },
      km: 30,
      box: { minLat: 42, maxLat: 43, minLon: -72, maxLon: -70 },
    };
    for (const buffer of [packed, unaligned]) {
      const floats = unpackPoints(buffer);
      expect(Array.from(floats)).toEqual(points.flatMap((p) => [p.lat, p.lon]));
      expect(nearestWithin(floats, circle)).toBeCloseTo(haversineKm(circle.point, points[0]!), 9);
      expect(nearestWithin(floats, circle, 2)).toBeCloseTo(haversineKm(circle.point, points[1]!), 9);
      expect(nearestWithin(floats, { ...circle, km: 1 })).toBeUndefined();
      expect(nearestWithin(floats, circle, 4, 6)).toBeUndefined();
    }
  });
});

it('a schema-3 library opens at schema 4 with its sites packed, and answers as a fresh import does', () => {
  const fresh = filled(libraries.fresh());
  const file = path.join(libraries.dir(), 'v3', 'library.sqlite');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const built = filled(openLibrary({ path: file }));
  built.close();
  // Schema 4 added trial_facets and put areas in place of sites in the R*Tree: undone, as schema 3 wrote it.
  const old = new Database(file);
  old.exec(`DROP TABLE trial_facets; DROP TABLE trial_areas;
    CREATE VIRTUAL TABLE trial_geo USING rtree (id, min_lat, max_lat, min_lon, max_lon);
    INSERT INTO trial_geo (id, min_lat, max_lat, min_lon, max_lon) SELECT id, lat, lat, lon, lon FROM trial_sites;`);
  old.pragma('user_version = 3');
  old.close();

  const library = openLibrary({ path: file });
  try {
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    expect(check.prepare('SELECT count(*) FROM trial_facets WHERE points IS NULL').pluck().get()).toBe(0);
    expect(check.prepare('SELECT count(*) FROM trial_facets').pluck().get()).toBe(24);
    // The same areas as the fresh import's, cell for cell.
    const areas = (db: Database.Database): unknown[] =>
      db.prepare('SELECT id, min_lat, max_lat, min_lon, max_lon FROM trial_areas ORDER BY id').raw().all();
    const freshFile = new Database(fresh.path, { readonly: true });
    expect(areas(check)).toEqual(areas(freshFile));
    expect(areas(check).length).toBeGreaterThan(24);
    freshFile.close();
    check.close();
    const all = searches();
    for (const q of all) expect({ q, ...answer(library, q) }).toEqual({ q, ...answer(fresh, q) });
    expect(
      answer(library, { terms: '', near: { point: BOSTON, radius: { value: 50, unit: 'km' } }, limit: 1 })
        .total,
    ).toBeGreaterThan(0);
  } finally {
    library.close();
  }
});

it('re-importing a study replaces its areas in the R*Tree rather than adding to them', () => {
  const library = libraries.fresh();
  library.upsertTrials([{ trial: parseStudy(ALCHEMIST), raw: ALCHEMIST }]);
  const fewer = structuredClone(ALCHEMIST) as {
    protocolSection: { contactsLocationsModule: { locations: { city?: string }[] } };
  };
  const module = fewer.protocolSection.contactsLocationsModule;
  module.locations = module.locations.filter((l) => l.city === 'Anchorage');
  const db = new Database(library.path, { readonly: true });
  const areas = db.prepare('SELECT count(*) FROM trial_areas').pluck();
  try {
    expect(areas.get()).toBeGreaterThan(10);
    library.upsertTrials([{ trial: parseStudy(fewer as unknown as Json), raw: fewer }]);
    expect(areas.get()).toBe(1);
  } finally {
    db.close();
  }
});
