// The offline trial search with a radius on a large library: 50,000 studies generated from the recorded ones
// (new NCT ids, sites drawn from recorded facilities and oncology cities, jittered), then timed queries.
//   node -r @swc-node/register bench/trials.ts --geo [--keep=<file>]   (also run at the end of bench/trials.ts)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseStudy } from '../src/clinicaltrials/study';
import type { LibraryTrialSearch } from '../src/core/sources';
import { openLibrary } from '../src/library/store';
import { FIXTURE_DIR } from '../test/peers/ctgov-data';

export const STUDIES = 50_000;
const QUERIES = 1000;
const BATCH = 1000;

type Json = Record<string, unknown>;

/** A small deterministic generator: the same library every run, so runs compare. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cities with large cancer centres outside the recorded (mostly US) sites, so boards abroad find trials too. */
const CITIES: [string, string, number, number][] = [
  ['Paris', 'France', 48.8566, 2.3522],
  ['Lyon', 'France', 45.764, 4.8357],
  ['London', 'United Kingdom', 51.5072, -0.1276],
  ['Berlin', 'Germany', 52.52, 13.405],
  ['Milan', 'Italy', 45.4642, 9.19],
  ['Madrid', 'Spain', 40.4168, -3.7038],
  ['Amsterdam', 'Netherlands', 52.3676, 4.9041],
  ['Tokyo', 'Japan', 35.6762, 139.6503],
  ['Seoul', 'Korea, Republic of', 37.5665, 126.978],
  ['Shanghai', 'China', 31.2304, 121.4737],
  ['Toronto', 'Canada', 43.6532, -79.3832],
  ['Sydney', 'Australia', -33.8688, 151.2093],
];

const BIOMARKERS = [
  'EGFR L858R',
  'EGFR exon 19 deletion',
  'KRAS G12C',
  'ALK fusion',
  'BRAF V600E',
  'HER2',
  'MSI-H',
];
const CONDITIONS = [
  'Non-Small Cell Lung Cancer',
  'Colorectal Cancer',
  'Liver Metastases',
  'Breast Cancer',
  'Melanoma',
  'Pancreatic Cancer',
];
const STATUSES = ['RECRUITING', 'RECRUITING', 'NOT_YET_RECRUITING', 'ACTIVE_NOT_RECRUITING', 'COMPLETED'];

function recorded(): { studies: Json[]; sites: Json[] } {
  const studies: Json[] = [];
  for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as Json;
    studies.push(...(Array.isArray(json.studies) ? (json.studies as Json[]) : [json]));
  }
  const locationsOf = (s: Json): Json[] => {
    const module = (s.protocolSection as Json | undefined)?.contactsLocationsModule as Json | undefined;
    return (module?.locations as Json[] | undefined) ?? [];
  };
  const sites = studies.flatMap((s) => locationsOf(s).filter((l) => l.geoPoint));
  // The 1,148-site study lends its facilities to the pool; as a template it would make every eighth record
  // a 370 KB one, far above the registry's typical study.
  return { studies: studies.filter((s) => locationsOf(s).length < 100), sites };
}

/** 70 % of studies have 1–10 sites, 25 % 10–60, 5 % 60–300: roughly the registry's long tail. */
function siteCount(next: () => number): number {
  const r = next();
  if (r < 0.7) return 1 + Math.floor(next() * 10);
  if (r < 0.95) return 10 + Math.floor(next() * 50);
  return 60 + Math.floor(next() * 240);
}

export function syntheticStudy(i: number, base: Json, pool: Json[], next: () => number): Json {
  // Shallow copies of the parts that change: the recorded modules are shared, never written.
  const p: Json = { ...(base.protocolSection as Json) };
  const study: Json = { ...base, protocolSection: p };
  const copy = (name: string): Json => ({ ...((p[name] as Json | undefined) ?? {}) });
  p.identificationModule = {
    ...copy('identificationModule'),
    nctId: `NCT${String(90_000_000 + i).padStart(8, '0')}`,
  };
  const status = copy('statusModule');
  status.overallStatus = STATUSES[i % STATUSES.length];
  p.statusModule = status;
  const conditions = copy('conditionsModule');
  conditions.conditions = [CONDITIONS[i % CONDITIONS.length]];
  conditions.keywords = [BIOMARKERS[(i >> 3) % BIOMARKERS.length]];
  p.conditionsModule = conditions;
  const abroad = next() < 0.4;
  const locations = Array.from({ length: siteCount(next) }, () => {
    const jitter = (): number => (next() - 0.5) * 0.6;
    if (abroad) {
      const [city, country, lat, lon] = CITIES[Math.floor(next() * CITIES.length)] as [
        string,
        string,
        number,
        number,
      ];
      return {
        facility: `${city} Cancer Centre ${Math.floor(next() * 20)}`,
        status: STATUSES[Math.floor(next() * 3)],
        city,
        country,
        geoPoint: { lat: lat + jitter(), lon: lon + jitter() },
      };
    }
    const site: Json = { ...(pool[Math.floor(next() * pool.length)] as Json) };
    const geo = site.geoPoint as { lat: number; lon: number };
    site.geoPoint = { lat: geo.lat + jitter(), lon: geo.lon + jitter() };
    site.status = STATUSES[Math.floor(next() * 3)];
    delete site.contacts;
    return site;
  });
  p.contactsLocationsModule = { locations };
  delete study.derivedSection;
  return study;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function timed(label: string, queries: LibraryTrialSearch[], run: (q: LibraryTrialSearch) => number): void {
  for (const q of queries.slice(0, 50)) run(q);
  const samples: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const started = performance.now();
    hits += run(q);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(44)} n=${queries.length}  p50 ${percentile(samples, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(samples, 99).toFixed(2).padStart(6)} ms  (avg ${(hits / queries.length).toFixed(0)} hits)`,
  );
}

/** `--keep=<file>`: build the library there once and reuse it on later runs (same seed, same library). */
function keptLibrary(): string | undefined {
  const arg = process.argv.find((a) => a.startsWith('--keep='));
  return arg === undefined ? undefined : path.resolve(arg.slice('--keep='.length));
}

export function geoSearchBench(): void {
  const { studies, sites } = recorded();
  const next = random(18);
  const kept = keptLibrary();
  const reuse = kept !== undefined && fs.existsSync(kept);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-geo-'));
  const library = openLibrary({ path: kept ?? path.join(dir, 'library.sqlite') });
  try {
    const started = performance.now();
    let siteTotal = 0;
    for (let from = 0; from < STUDIES && !reuse; from += BATCH) {
      const batch = [];
      for (let i = from; i < Math.min(STUDIES, from + BATCH); i += 1) {
        const raw = syntheticStudy(i, studies[i % studies.length] as Json, sites, next);
        const trial = parseStudy(raw);
        siteTotal += trial.sites?.length ?? 0;
        batch.push({ trial, raw });
      }
      library.upsertTrials(batch);
    }
    // As `paperbot import` does after a bulk write: merge the full-text index into one segment.
    if (!reuse) library.settleIndex(STUDIES);
    const mb = library.sizeBytes() / 1e6;
    const built = reuse
      ? `reused ${kept}`
      : `imported in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    console.log(
      `offline trial search, ${library.counts().trials.toLocaleString('en-US')} synthetic studies with ${(reuse ? NaN : siteTotal).toLocaleString('en-US')} sites (${built}, ${mb.toFixed(0)} MB):`,
    );
    const query = (i: number, radiusKm: number): LibraryTrialSearch => {
      const [, , lat, lon] = CITIES[i % CITIES.length] as [string, string, number, number];
      const pooled = sites[(i * 7919) % sites.length]?.geoPoint as { lat: number; lon: number };
      const point = i % 2 === 0 ? { lat, lon } : pooled;
      return {
        terms: BIOMARKERS[i % BIOMARKERS.length] as string,
        cond: i % 3 === 0 ? (CONDITIONS[i % CONDITIONS.length] as string) : undefined,
        status: ['RECRUITING', 'NOT_YET_RECRUITING'],
        near: { point, radius: { value: radiusKm, unit: 'km' } },
        limit: 5,
      } as LibraryTrialSearch;
    };
    const run = (q: LibraryTrialSearch): number => library.searchTrials(q).total;
    const words = Array.from({ length: QUERIES }, (_, i) => {
      const { near: _near, ...rest } = query(i, 100);
      return rest;
    });
    timed('words + status, no radius', words, run);
    timed(
      'words + status + within 50 km',
      Array.from({ length: QUERIES }, (_, i) => query(i, 50)),
      run,
    );
    timed(
      'words + status + within 100 km',
      Array.from({ length: QUERIES }, (_, i) => query(i, 100)),
      run,
    );
    timed(
      'words + status + within 500 km',
      Array.from({ length: QUERIES }, (_, i) => query(i, 500)),
      run,
    );
    timed(
      'radius only (status, 100 km, no words)',
      Array.from(
        { length: QUERIES },
        (_, i) => ({ ...query(i, 100), terms: '', cond: undefined }) as LibraryTrialSearch,
      ),
      run,
    );
  } finally {
    library.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
