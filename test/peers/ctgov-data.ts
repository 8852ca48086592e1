// The recorded data behind the fake ClinicalTrials.gov: fixture bodies, the studies they hold, and a small
// stand-in for Essie matching. HTTP, paging tokens and failure injection are in ./ctgov.ts.

import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'clinicaltrials');

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
}

/** Recorded GET /studies pages, byte-for-byte. */
export const RECORDED_PAGES = {
  allCount: 'v2_search_all_count_pagesize1.json',
  keytruda: 'v2_search_keytruda_page1.json',
  melanomaRecruiting: 'v2_search_melanoma_recruiting_page1.json',
  phelanPage1: 'v2_search_phelan_page1.json',
  phelanTerminal: 'v2_search_phelan_terminal.json',
} as const;

/** Recorded GET /studies/{nct} bodies, byte-for-byte. */
export const RECORDED_STUDIES: Record<string, string> = {
  NCT02576665: 'v2_study_NCT02576665_fields.json',
  NCT06382129: 'v2_study_NCT06382129_nsclc_fields.json',
};

export type StudyJson = Record<string, unknown>;

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = asRecord(current)[key];
  return current;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function nctOf(study: unknown): string | undefined {
  const id = at(study, 'protocolSection', 'identificationModule', 'nctId');
  return typeof id === 'string' ? id.toUpperCase() : undefined;
}

export function pageStudies(body: string): StudyJson[] {
  const studies = asRecord(JSON.parse(body)).studies;
  return Array.isArray(studies) ? studies.map(asRecord) : [];
}

/** Every distinct study in the fixtures, single-study recordings first (they carry more fields). */
export function loadFixtureStudies(): Map<string, StudyJson> {
  const studies = new Map<string, StudyJson>();
  for (const file of Object.values(RECORDED_STUDIES)) {
    const study = asRecord(JSON.parse(readFixture(file)));
    const nct = nctOf(study);
    if (nct) studies.set(nct, study);
  }
  for (const file of Object.values(RECORDED_PAGES)) {
    for (const study of pageStudies(readFixture(file))) {
      const nct = nctOf(study);
      if (nct && !studies.has(nct)) studies.set(nct, study);
    }
  }
  return studies;
}

const tokens = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

function containsRun(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    if (needle.every((t, j) => haystack[i + j] === t)) return true;
  }
  return false;
}

function allWordsIn(words: string[], texts: string[]): boolean {
  const bag = new Set(texts.flatMap(tokens));
  return words.every((w) => bag.has(w));
}

function studyTexts(study: StudyJson): {
  titles: string[];
  conditions: string[];
  interventions: string[];
  all: string[];
} {
  const p = at(study, 'protocolSection');
  const id = at(p, 'identificationModule');
  const titles = ['briefTitle', 'officialTitle', 'acronym']
    .map((k) => at(id, k))
    .filter((v): v is string => typeof v === 'string');
  const conditions = [
    ...strings(at(p, 'conditionsModule', 'conditions')),
    ...strings(at(p, 'conditionsModule', 'keywords')),
  ];
  const interventionList = at(p, 'armsInterventionsModule', 'interventions');
  const interventions = (Array.isArray(interventionList) ? interventionList : []).flatMap((i) => [
    ...strings([at(i, 'name')]),
    ...strings(at(i, 'otherNames')),
  ]);
  const summary = strings([at(p, 'descriptionModule', 'briefSummary')]);
  return { titles, conditions, interventions, all: [...titles, ...conditions, ...interventions, ...summary] };
}

/**
 * Just enough Essie for the client's own queries: AREA[Acronym]"…" as a phrase inside the acronym (so
 * "KEYNOTE-189" also finds "KEYNOTE-189 Japan", as the real index would), AREA[LastUpdatePostDate]RANGE[day,MAX]
 * on the study's update date, other words ANDed over the study text.
 */
export function matches(study: StudyJson, params: URLSearchParams): boolean {
  const texts = studyTexts(study);
  // filter.ids: the API's list of NCT ids (comma- or pipe-separated), checked against the study's own id.
  const ids = params.get('filter.ids');
  if (ids && !ids.split(/[,|]/).includes(nctOf(study) ?? '')) return false;
  let term = params.get('query.term') ?? '';
  for (const m of term.matchAll(/AREA\[Acronym\]"([^"]*)"/g)) {
    const acronym = at(study, 'protocolSection', 'identificationModule', 'acronym');
    if (typeof acronym !== 'string' || !containsRun(tokens(acronym), tokens(m[1] ?? ''))) return false;
  }
  // Incremental syncs: AREA[LastUpdatePostDate]RANGE[YYYY-MM-DD,MAX], compared with the study's own date.
  for (const m of term.matchAll(/AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]/g)) {
    const updated = at(study, 'protocolSection', 'statusModule', 'lastUpdatePostDateStruct', 'date');
    if (typeof updated !== 'string' || updated < (m[1] ?? '')) return false;
  }
  term = term.replace(/AREA\[\w+\]RANGE\[[^\]]*\]/g, ' ');
  term = term.replace(/AREA\[\w+\]"[^"]*"/g, ' ').replace(/\b(AND|OR|NOT)\b|[()]/g, ' ');
  if (!allWordsIn(tokens(term), texts.all)) return false;
  const cond = params.get('query.cond');
  if (cond && !allWordsIn(tokens(cond), [...texts.conditions, ...texts.titles])) return false;
  const intr = params.get('query.intr');
  if (intr && !allWordsIn(tokens(intr), [...texts.interventions, ...texts.titles])) return false;
  const statuses = params.get('filter.overallStatus');
  if (statuses) {
    const status = at(study, 'protocolSection', 'statusModule', 'overallStatus');
    if (typeof status !== 'string' || !statuses.split(/[,|]/).includes(status)) return false;
  }
  const advanced = params.get('filter.advanced') ?? '';
  const phaseArea = /AREA\[Phase\]\(?([A-Z0-9_]+(?: OR [A-Z0-9_]+)*)\)?/.exec(advanced);
  if (phaseArea) {
    const wanted = (phaseArea[1] ?? '').split(' OR ').map((p) => p.trim());
    const phases = strings(at(study, 'protocolSection', 'designModule', 'phases'));
    if (!phases.some((p) => wanted.includes(p))) return false;
  }
  if (!eligibleBy(study, advanced)) return false;
  const geo = params.get('filter.geo');
  if (geo !== null) {
    const m = /^distance\((-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(km|mi)\)$/.exec(geo);
    if (!m) return false;
    const limitKm = Number(m[3]) * (m[4] === 'km' ? 1 : MILE_KM);
    const centre = { lat: Number(m[1]), lon: Number(m[2]) };
    if (!locations(study).some((l) => l.geo && greatCircleKm(centre, l.geo) <= limitKm)) return false;
  }
  const locn = params.get('query.locn');
  if (locn && !locations(study).some((l) => allWordsIn(tokens(locn), [l.place]))) return false;
  return true;
}

// The API's pattern makes the unit optional without saying what a bare number means; the client always
// names one, so here a radius without a unit matches nothing.
const MILE_KM = 1.609344;

/** Written apart from src/core/geo.ts on purpose: the peer checks the client, not itself. */
function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * r) / 2) ** 2 +
    Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

function locations(study: StudyJson): { geo?: { lat: number; lon: number }; place: string }[] {
  const list = at(study, 'protocolSection', 'contactsLocationsModule', 'locations');
  return (Array.isArray(list) ? list : []).map((l) => {
    const lat = at(l, 'geoPoint', 'lat');
    const lon = at(l, 'geoPoint', 'lon');
    const place = ['facility', 'city', 'state', 'country']
      .map((k) => at(l, k))
      .filter((v): v is string => typeof v === 'string')
      .join(' ');
    return typeof lat === 'number' && typeof lon === 'number' ? { geo: { lat, lon }, place } : { place };
  });
}

/** "18 Years", "6 Months" → years; undefined when absent or unreadable. */
function years(value: unknown): number | undefined {
  const m =
    typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s+(year|month|week|day)s?$/i.exec(value.trim()) : null;
  if (!m) return undefined;
  const per: Record<string, number> = { year: 1, month: 1 / 12, week: 7 / 365.25, day: 1 / 365.25 };
  return Number(m[1]) * (per[(m[2] ?? '').toLowerCase()] ?? 1);
}

/**
 * The eligibility parts of the client's Essie: AREA[MinimumAge]RANGE[MIN, N years] (or MISSING),
 * AREA[MaximumAge]RANGE[N years, MAX] (or MISSING), AREA[Sex](X OR ALL).
 */
function eligibleBy(study: StudyJson, advanced: string): boolean {
  const e = at(study, 'protocolSection', 'eligibilityModule');
  const min = /AREA\[MinimumAge\]RANGE\[MIN, (\d+) years\]( OR AREA\[MinimumAge\]MISSING)?/.exec(advanced);
  if (min) {
    const value = years(at(e, 'minimumAge'));
    if (value === undefined ? !min[2] : value > Number(min[1])) return false;
  }
  const max = /AREA\[MaximumAge\]RANGE\[(\d+) years, MAX\]( OR AREA\[MaximumAge\]MISSING)?/.exec(advanced);
  if (max) {
    const value = years(at(e, 'maximumAge'));
    if (value === undefined ? !max[2] : value < Number(max[1])) return false;
  }
  const sex = /AREA\[Sex\]\((FEMALE|MALE) OR ALL\)/.exec(advanced);
  if (sex) {
    const value = at(e, 'sex');
    if (value !== 'ALL' && value !== sex[1]) return false;
  }
  return true;
}

/** Pieces the client asks for, as paths into a study ("[]" walks every element of a list). */
const PIECES: Record<string, string[]> = {
  ProtocolSection: ['protocolSection'],
  HasResults: ['hasResults'],
  BriefSummary: ['protocolSection', 'descriptionModule', 'briefSummary'],
  InterventionName: ['protocolSection', 'armsInterventionsModule', 'interventions', '[]', 'name'],
  InterventionType: ['protocolSection', 'armsInterventionsModule', 'interventions', '[]', 'type'],
  LocationFacility: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'facility'],
  LocationStatus: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'status'],
  LocationCity: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'city'],
  LocationState: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'state'],
  LocationCountry: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'country'],
  LocationGeoPoint: ['protocolSection', 'contactsLocationsModule', 'locations', '[]', 'geoPoint'],
};

function copyPath(from: unknown, to: Record<string, unknown>, path: string[]): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  const value = asRecord(from)[key];
  if (value === undefined) return;
  if (rest[0] === '[]') {
    if (!Array.isArray(value)) return;
    const target = Array.isArray(to[key])
      ? (to[key] as Record<string, unknown>[])
      : value.map((): Record<string, unknown> => ({}));
    value.forEach((item, i) => {
      if (rest.length === 1) target[i] = item as Record<string, unknown>;
      else copyPath(item, target[i] as Record<string, unknown>, rest.slice(1));
    });
    to[key] = target;
    return;
  }
  if (rest.length === 0) {
    to[key] = value;
    return;
  }
  const child = asRecord(to[key]);
  to[key] = child;
  copyPath(value, child, rest);
}

/**
 * What `fields=` leaves of a study, as the API trims it: module paths ("protocolSection.statusModule") and the
 * pieces above. Undefined when a name is one this stand-in does not know: the caller then serves it whole.
 */
export function projectStudy(study: StudyJson, fields: string | null): StudyJson | undefined {
  if (!fields) return study;
  const names = fields
    .split(/[,|]/)
    .map((f) => f.trim())
    .filter(Boolean);
  const paths = names.map((n) => PIECES[n] ?? (/^protocolSection\.\w+$/.test(n) ? n.split('.') : undefined));
  if (paths.some((p) => p === undefined)) return undefined;
  const out: StudyJson = {};
  for (const path of paths) copyPath(study, out, path as string[]);
  return out;
}
