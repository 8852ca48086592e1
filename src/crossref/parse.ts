// A Crossref /works/{doi} answer → the notices registered about that work (`updated-by`: retractions,
// withdrawals, expressions of concern, corrections) and its other versions (`relation`: preprint ↔ published).

import type { PublisherNotice, VersionLink } from '../core/signals';
import { sourceError } from '../sources/errors';

export const CROSSREF_SOURCE = 'crossref';

/**
 * Crossref's update types that are notices about the work, in the port's words. Others (new_version,
 * addendum, partial_retraction, …) are left out: a card shows only what it can word exactly.
 */
const TYPES: Readonly<Record<string, PublisherNotice['type']>> = {
  retraction: 'retraction',
  withdrawal: 'withdrawal',
  expression_of_concern: 'expression-of-concern',
  correction: 'correction',
  erratum: 'correction',
  corrigendum: 'correction',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{"date-parts": [[2012, 5, 8]]}` → "2012-05-08" (or "2012-05", "2012": as much as was given). */
function dateOf(v: unknown): string | undefined {
  if (!isObject(v) || !Array.isArray(v['date-parts'])) return undefined;
  const first: unknown = (v['date-parts'] as unknown[])[0];
  if (!Array.isArray(first) || typeof first[0] !== 'number') return undefined;
  const parts = first.filter((n): n is number => typeof n === 'number' && Number.isInteger(n)).slice(0, 3);
  if (!parts[0] || parts[0] < 1000 || parts[0] > 9999) return undefined;
  return parts.map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join('-');
}

/**
 * Crossref's relation types between versions of one work, in the port's words. `has-preprint` sits on the
 * journal article, `is-preprint-of` on the preprint; either side may register it.
 */
const RELATIONS: Readonly<Record<string, VersionLink['relation']>> = {
  'has-preprint': 'preprint',
  'is-preprint-of': 'published',
};

/** A DOI as Crossref registers them; anything else in a relation (a URL, an arXiv id) is left out. */
const DOI = /^10\.\d{4,9}\/[^\s]{1,200}$/;

export interface CrossrefWork {
  notices: PublisherNotice[];
  versions: VersionLink[];
}

export function parseWork(body: unknown): CrossrefWork {
  if (!isObject(body) || body.status !== 'ok' || !isObject(body.message))
    throw sourceError(CROSSREF_SOURCE, 'bad_body', 'work: not a Crossref answer');
  const work = body.message;
  const own = typeof work.DOI === 'string' ? work.DOI.toLowerCase() : undefined;
  return { notices: noticesOf(work, own), versions: versionsOf(work, own) };
}

function versionsOf(work: Json, own: string | undefined): VersionLink[] {
  const relation = isObject(work.relation) ? work.relation : {};
  const out: VersionLink[] = [];
  for (const [name, kind] of Object.entries(RELATIONS)) {
    const related: unknown = relation[name];
    for (const r of Array.isArray(related) ? (related as unknown[]) : []) {
      if (!isObject(r) || r['id-type'] !== 'doi' || typeof r.id !== 'string') continue;
      const doi = r.id.trim();
      if (!DOI.test(doi) || doi.toLowerCase() === own) continue;
      if (out.some((v) => v.relation === kind && v.doi.toLowerCase() === doi.toLowerCase())) continue;
      out.push({ service: CROSSREF_SOURCE, relation: kind, doi, url: `https://doi.org/${doi}` });
    }
  }
  return out;
}

function noticesOf(work: Json, own: string | undefined): PublisherNotice[] {
  const updates = Array.isArray(work['updated-by']) ? (work['updated-by'] as unknown[]) : [];
  const out: PublisherNotice[] = [];
  for (const u of updates) {
    if (!isObject(u) || typeof u.type !== 'string') continue;
    const type = TYPES[u.type];
    if (!type) continue;
    const doi = typeof u.DOI === 'string' && u.DOI.toLowerCase() !== own ? u.DOI : undefined;
    const date = dateOf(u.updated);
    const by = typeof u.source === 'string' && /^[a-z-]{1,40}$/.test(u.source) ? u.source : undefined;
    if (out.some((n) => n.type === type && n.doi === doi)) continue;
    out.push({
      service: CROSSREF_SOURCE,
      type,
      ...(doi ? { doi, url: `https://doi.org/${doi}` } : {}),
      ...(date ? { date } : {}),
      ...(by ? { registeredBy: by } : {}),
    });
  }
  return out;
}
