// The offline answer to `trial search`: sites and eligibility limits kept at import, a radius search on the
// R*Tree with exact haversine, relevance then distance, and a library from before this upgrade still working.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseStudy } from '../../src/clinicaltrials/study';
import type { Reply, TrialCard } from '../../src/core/reply';
import type { LibraryTrialSearch } from '../../src/core/sources';
import type { Trial } from '../../src/core/trial';
import { MIGRATIONS } from '../../src/library/schema';
import { openLibrary } from '../../src/library/store';
import { useTempLibraries } from '../support/libraries';
import { startTestGraph } from '../support/graph';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'clinicaltrials');
const raw = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
const ALCHEMIST = raw('v2_study_NCT04267848_1148_sites.json');
const OTHER = raw('v2_study_NCT02576665_fields.json');
const BOSTON = { lat: 42.3626, lon: -71.0702 };
const PARIS = { lat: 48.8566, lon: 2.3522 };

const libraries = useTempLibraries('trials-near');
const imported = (studies: Record<string, unknown>[]): { trial: Trial; raw: unknown }[] =>
  studies.map((s) => ({ trial: parseStudy(s), raw: s }));

describe('library trial search with a radius', () => {
  it('finds studies with a site within the radius, and only those', () => {
    const library = libraries.fresh();
    library.upsertTrials(imported([ALCHEMIST, OTHER]));
    const near = (point: { lat: number; lon: number }, value: number) => ({
      point,
      radius: { value, unit: 'km' as const },
    });
    expect(
      library.searchTrials({ terms: '', near: near(BOSTON, 50), limit: 5 }).trials.map((t) => t.nct),
    ).toEqual(['NCT04267848']);
    expect(library.searchTrials({ terms: '', near: near(PARIS, 500), limit: 5 }).total).toBe(0);
    // Both studies have a site at Denver's geoPoint; only the other one is within 3 km of the University of
    // Miami (ALCHEMIST's nearest site there is 6.6 km away).
    const denver = library.searchTrials({
      terms: '',
      near: { point: { lat: 39.7392, lon: -104.9903 }, radius: { value: 30, unit: 'mi' } },
      limit: 5,
    });
    expect(denver.trials.map((t) => t.nct).sort()).toEqual(['NCT02576665', 'NCT04267848']);
    const miami = library.searchTrials({
      terms: '',
      near: near({ lat: 25.77427, lon: -80.19366 }, 3),
      limit: 5,
    });
    expect(miami.trials.map((t) => t.nct)).toEqual(['NCT02576665']);
    expect(
      library.searchTrials({ terms: '', near: near({ lat: 25.77427, lon: -80.19366 }, 7), limit: 5 }).total,
    ).toBe(2);
  });

  it('combines the radius with words, cond:, drug:, status, phase, age, sex and place', () => {
    const library = libraries.fresh();
    library.upsertTrials(imported([ALCHEMIST, OTHER]));
    const boston = { point: BOSTON, radius: { value: 50, unit: 'km' as const } };
    const found = (q: Omit<LibraryTrialSearch, 'terms' | 'limit'> & { terms?: string }): string[] =>
      library.searchTrials({ ...q, terms: q.terms ?? '', limit: 5 }).trials.map((t) => t.nct);
    expect(found({ terms: 'adjuvant', cond: 'non-small cell', intr: 'carboplatin', near: boston })).toEqual([
      'NCT04267848',
    ]);
    expect(found({ intr: 'temozolomide', near: boston })).toEqual([]);
    expect(found({ status: ['RECRUITING', 'NOT_YET_RECRUITING'], phase: ['PHASE3'], near: boston })).toEqual([
      'NCT04267848',
    ]);
    expect(found({ phase: ['PHASE2'], near: boston })).toEqual([]);
    expect(found({ age: 64, sex: 'FEMALE', near: boston })).toEqual(['NCT04267848']);
    expect(found({ age: 17, near: boston })).toEqual([]);
    expect(found({ place: 'Anchorage' })).toEqual(['NCT04267848']);
    expect(found({ place: 'Reykjavik' })).toEqual([]);
  });

  it('ranks equally relevant studies by their nearest site', () => {
    const library = libraries.fresh();
    // Two copies of one study: one moved 40 km north. Same text, so distance decides.
    const moved = structuredClone(ALCHEMIST) as { protocolSection: Record<string, Record<string, unknown>> };
    moved.protocolSection.identificationModule = {
      ...moved.protocolSection.identificationModule,
      nctId: 'NCT99999999',
    };
    const locations = (moved.protocolSection.contactsLocationsModule?.locations ?? []) as {
      geoPoint?: { lat: number; lon: number };
    }[];
    for (const l of locations)
      if (l.geoPoint) l.geoPoint = { lat: l.geoPoint.lat + 0.36, lon: l.geoPoint.lon };
    library.upsertTrials(imported([moved as unknown as Record<string, unknown>, ALCHEMIST]));
    const result = library.searchTrials({
      terms: 'adjuvant',
      near: { point: BOSTON, radius: { value: 100, unit: 'km' } },
      limit: 5,
    });
    expect(result.trials.map((t) => t.nct)).toEqual(['NCT04267848', 'NCT99999999']);
  });

  it('re-importing a study replaces its sites rather than adding to them', () => {
    const library = libraries.fresh();
    library.upsertTrials(imported([ALCHEMIST]));
    const fewer = structuredClone(ALCHEMIST) as unknown as {
      protocolSection: { contactsLocationsModule: { locations: { city?: string }[] } };
    };
    const module = fewer.protocolSection.contactsLocationsModule;
    module.locations = module.locations.filter((l) => l.city === 'Anchorage');
    library.upsertTrials(imported([fewer as unknown as Record<string, unknown>]));
    expect(
      library.searchTrials({
        terms: '',
        near: { point: BOSTON, radius: { value: 50, unit: 'km' } },
        limit: 5,
      }).total,
    ).toBe(0);
    expect(library.searchTrials({ terms: '', place: 'Boston', limit: 5 }).total).toBe(0);
  });
});

it('a library from before this upgrade gets its sites from the registry JSON it kept', () => {
  const dir = libraries.dir();
  const file = path.join(dir, 'v2', 'library.sqlite');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const old = new Database(file);
  for (const step of MIGRATIONS.slice(0, 2)) old.exec(step);
  old.pragma('user_version = 2');
  // As schema 2 stored it: the Trial JSON of the time had no sites; raw is the registry's study.
  const { sites: _sites, ...before } = parseStudy(ALCHEMIST);
  old
    .prepare(
      `INSERT INTO trials (id, nct, acronym, status, phases, json, raw, origin, updated_at)
       VALUES (4267848, 'NCT04267848', NULL, 'RECRUITING', 'PHASE3', ?, ?, 'user', 0)`,
    )
    .run(JSON.stringify(before), JSON.stringify(ALCHEMIST));
  old.close();

  const library = openLibrary({ path: file });
  try {
    const boston = { point: BOSTON, radius: { value: 50, unit: 'km' as const } };
    const found = library.searchTrials({ terms: '', near: boston, age: 64, sex: 'MALE', limit: 5 });
    expect(found.trials.map((t) => t.nct)).toEqual(['NCT04267848']);
    expect(found.trials[0]?.sites).toHaveLength(1148);
    expect(library.searchTrials({ terms: '', near: boston, age: 12, limit: 5 }).total).toBe(0);
    expect(library.getTrial('NCT04267848')?.sites?.[0]?.facility).toBe(
      'Anchorage Associates in Radiation Medicine',
    );
  } finally {
    library.close();
  }
});

it('offline, `trial search … near:here` answers from the library with distances from the board', async () => {
  const graph = await startTestGraph({ offline: true });
  try {
    graph.library.upsertTrials(imported([ALCHEMIST, OTHER]));
    const place = { platform: 'cli' as const };
    const ask = (text: string): Promise<Reply> => graph.assistant.handle({ text, user: { id: 'U1' }, place });
    await ask('site set 42.3626,-71.0702 Boston tumor board');
    const reply = await ask('trial search adjuvant cond:"non-small cell" near:here within:50km');
    const cards = reply.cards.filter((c): c is TrialCard => c.type === 'trial');
    expect(cards.map((c) => c.trial.nct)).toEqual(['NCT04267848']);
    expect(cards[0]?.source).toBe('library');
    expect(cards[0]?.sites).toMatchObject({ kind: 'distance', recruitingWithin: 11 });
    expect(reply.notice).toMatch(/not used while paperbot runs offline/);
    const none = await ask('trial search adjuvant near:48.8566,2.3522 within:100km');
    expect(none.cards.filter((c) => c.type === 'trial')).toEqual([]);
  } finally {
    await graph.close();
  }
});
