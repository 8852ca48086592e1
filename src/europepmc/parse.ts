// Europe PMC REST answers → plain records: a `resultType=lite` search (citation counts, PMC copies, DOIs,
// whether it holds the reference list)
// and the /citations and /references lists. Pure; tested on recorded answers in test/fixtures/signals/.

import type { ListedWork, WorkList } from '../core/signals';
import { sourceError } from '../sources/errors';

export const EPMC_SOURCE = 'europepmc';

/** What a lite search result says about one PubMed record. */
export interface EpmcRecord {
  pmid: string;
  pmcid?: string;
  doi?: string;
  /** Only when the service sent a number: a missing count is not a zero. */
  citedByCount?: number;
  /** `isOpenAccess: "Y"`: the PMC copy carries an open licence. */
  openAccess: boolean;
  /** `inPMC: "Y"`: a full text is free to read in PubMed Central. */
  inPmc: boolean;
  /** `hasReferences: "Y"`: Europe PMC holds the article's reference list (GET /MED/{pmid}/references). */
  hasReferences: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function damaged(what: string): never {
  throw sourceError(EPMC_SOURCE, 'bad_body', `${what}: not a Europe PMC answer`);
}

const PMID = /^\d{1,9}$/;
const PMCID = /^PMC\d{1,10}$/;

function record(raw: unknown): EpmcRecord | undefined {
  if (!isObject(raw)) return undefined;
  // Only records that are in PubMed: a PMC-only or preprint record (source PMC, PPR) has no PMID to key on.
  const pmid = text(raw.pmid);
  if (raw.source !== 'MED' || !pmid || !PMID.test(pmid)) return undefined;
  const out: EpmcRecord = {
    pmid,
    openAccess: raw.isOpenAccess === 'Y',
    inPmc: raw.inPMC === 'Y',
    hasReferences: raw.hasReferences === 'Y',
  };
  const pmcid = text(raw.pmcid);
  if (pmcid && PMCID.test(pmcid)) out.pmcid = pmcid;
  const doi = text(raw.doi);
  if (doi && /^10\.\S+\/\S+$/.test(doi)) out.doi = doi;
  if (typeof raw.citedByCount === 'number' && Number.isInteger(raw.citedByCount) && raw.citedByCount >= 0)
    out.citedByCount = raw.citedByCount;
  return out;
}

/** The PubMed records of one search page, by PMID. */
export function parseLiteSearch(body: unknown): Map<string, EpmcRecord> {
  if (!isObject(body) || !isObject(body.resultList)) damaged('search');
  const results = (body.resultList as Json).result;
  if (!Array.isArray(results)) damaged('search');
  const out = new Map<string, EpmcRecord>();
  for (const raw of results as unknown[]) {
    const r = record(raw);
    if (r && !out.has(r.pmid)) out.set(r.pmid, r);
  }
  return out;
}

function work(raw: unknown): ListedWork | undefined {
  if (!isObject(raw)) return undefined;
  const out: ListedWork = {};
  const id = text(raw.id);
  if (raw.source === 'MED' && id && PMID.test(id)) out.pmid = id;
  const title = text(raw.title);
  if (title) out.title = title;
  const authors = text(raw.authorString);
  if (authors) out.authors = authors;
  const journal = text(raw.journalAbbreviation);
  if (journal) out.journal = journal;
  const year = typeof raw.pubYear === 'number' ? String(raw.pubYear) : text(raw.pubYear);
  if (year && /^\d{4}$/.test(year)) out.year = year;
  return out.pmid || out.title ? out : undefined;
}

/** GET /MED/{id}/citations or /references: `citationList.citation[]` or `referenceList.reference[]`. */
export function parseWorkList(body: unknown, kind: 'citations' | 'references'): WorkList {
  const [listName, itemName] =
    kind === 'citations' ? ['citationList', 'citation'] : ['referenceList', 'reference'];
  if (!isObject(body) || typeof body.hitCount !== 'number') damaged(kind);
  const list = body[listName];
  // An article nobody cites comes back with hitCount 0 and no list at all.
  const items = isObject(list) && Array.isArray(list[itemName]) ? (list[itemName] as unknown[]) : [];
  return {
    total: body.hitCount as number,
    works: items.map(work).filter((w): w is ListedWork => w !== undefined),
  };
}
