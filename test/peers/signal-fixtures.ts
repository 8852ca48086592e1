// The recorded signal answers in test/fixtures/signals/, read once: Europe PMC lite records by PMID (each
// result object as recorded), Unpaywall and Crossref bodies by the DOI they describe.

import fs from 'node:fs';
import path from 'node:path';

const DIR = path.join(__dirname, '..', 'fixtures', 'signals');

export function readSignalFixture(service: 'europepmc' | 'unpaywall' | 'crossref', name: string): string {
  return fs.readFileSync(path.join(DIR, service, name), 'utf8');
}

function files(service: 'europepmc' | 'unpaywall' | 'crossref'): string[] {
  return fs.readdirSync(path.join(DIR, service)).filter((f) => f.endsWith('.json'));
}

export type EpmcResult = Record<string, unknown> & { pmid?: string; source?: string };

/** Every MED result of the recorded lite searches, by PMID. */
export function recordedEpmcResults(): Map<string, EpmcResult> {
  const out = new Map<string, EpmcResult>();
  for (const name of files('europepmc').filter((f) => f.startsWith('epmc-search-'))) {
    const body = JSON.parse(readSignalFixture('europepmc', name)) as { resultList: { result: EpmcResult[] } };
    for (const r of body.resultList.result) if (r.source === 'MED' && r.pmid) out.set(r.pmid, r);
  }
  return out;
}

type CrossrefItem = Record<string, unknown> & { DOI?: string };

/**
 * Recorded bodies by the lower-cased DOI they answer for: a /works/{doi} body untouched, and each item of a
 * recorded Crossref work list in the envelope Crossref wraps one work in (the item itself as recorded).
 */
export function recordedBodiesByDoi(service: 'unpaywall' | 'crossref'): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of files(service)) {
    const body = readSignalFixture(service, name);
    const json = JSON.parse(body) as { doi?: string; message?: { DOI?: string; items?: CrossrefItem[] } };
    const doi = service === 'unpaywall' ? json.doi : json.message?.DOI;
    if (doi) out.set(doi.toLowerCase(), body);
    for (const item of service === 'crossref' ? (json.message?.items ?? []) : []) {
      const work = { status: 'ok', 'message-type': 'work', 'message-version': '1.0.0', message: item };
      if (item.DOI && !out.has(item.DOI.toLowerCase())) out.set(item.DOI.toLowerCase(), JSON.stringify(work));
    }
  }
  return out;
}

/** The recorded Crossref /works/{doi} answer for `doi` (from a work body or a recorded work list), parsed. */
export function recordedCrossrefWork(doi: string): unknown {
  const body = recordedBodiesByDoi('crossref').get(doi.toLowerCase());
  if (!body) throw new Error(`no recorded Crossref work for ${doi}`);
  return JSON.parse(body);
}
