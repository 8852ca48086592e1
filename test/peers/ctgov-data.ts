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
  const phaseArea = /AREA\[Phase\]\(?([A-Z0-9_ ]+?)\)?$/.exec(params.get('filter.advanced') ?? '');
  if (phaseArea) {
    const wanted = (phaseArea[1] ?? '').split(' OR ').map((p) => p.trim());
    const phases = strings(at(study, 'protocolSection', 'designModule', 'phases'));
    if (!phases.some((p) => wanted.includes(p))) return false;
  }
  return true;
}
