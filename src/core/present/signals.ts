// The signal line of an article card: "Cited by 412 · Open access (PMC) · Publisher correction 2021 ·
// Preprint version", each part with its link, decided once here for every platform. Absent is absent, never 0.

import type { ArticleSignals, OpenAccess, VersionLink } from '../signals';
import { safeUrl } from './links';

export interface SignalPart {
  /** Plain text; renderers escape it like any other text. */
  text: string;
  url?: string;
}

const SERVICE_LABELS: Readonly<Record<string, string>> = {
  europepmc: 'Europe PMC',
  unpaywall: 'Unpaywall',
  crossref: 'Crossref',
  icite: 'NIH iCite',
};

/** How a card names a signal service ("Crossref"); an unknown id is shown as given. */
export function signalServiceLabel(service: string): string {
  return SERVICE_LABELS[service] ?? service;
}

/** At most this many publisher corrections on the line; the DOI page lists them all. */
const MAX_CORRECTIONS = 3;

/** A journal version first: for a preprint it is the news; each links to the other version's DOI page. */
const VERSION_TEXT: Readonly<Record<VersionLink['relation'], string>> = {
  published: 'Published version',
  preprint: 'Preprint version',
};
const MAX_VERSIONS = 2;

function accessText(a: Extract<OpenAccess, { status: 'open' }>): string {
  if (a.host === 'pmc') return a.openLicence ? 'Open access (PMC)' : 'Free full text (PMC)';
  if (a.kind) return `Open access (${a.kind})`;
  if (a.host === 'repository') return 'Open access (repository copy)';
  return 'Open access';
}

const more = (n: number, what: string): string => `${n} more ${what}${n === 1 ? '' : 's'}`;

function part(text: string, url: string | undefined): SignalPart {
  const safe = safeUrl(url);
  return safe ? { text, url: safe } : { text };
}

export function signalParts(card: { signals?: ArticleSignals }): SignalPart[] {
  const s = card.signals;
  if (!s) return [];
  const parts: SignalPart[] = [];
  if (s.citedBy) parts.push(part(`Cited by ${s.citedBy.count.toLocaleString('en-US')}`, s.citedBy.url));
  if (s.openAccess?.status === 'open') parts.push(part(accessText(s.openAccess), s.openAccess.url));
  else if (s.openAccess?.status === 'closed') parts.push({ text: 'No open version' });
  const corrections = (s.publisherNotices ?? []).filter((n) => n.type === 'correction');
  for (const n of corrections.slice(0, MAX_CORRECTIONS)) {
    const year = n.date?.slice(0, 4);
    parts.push(
      part(`Publisher correction${year ? ` ${year}` : ''}`, n.url ?? (n.doi && `https://doi.org/${n.doi}`)),
    );
  }
  if (corrections.length > MAX_CORRECTIONS)
    parts.push({ text: more(corrections.length - MAX_CORRECTIONS, 'correction') });
  for (const relation of ['published', 'preprint'] as const) {
    const versions = (s.versions ?? []).filter((v) => v.relation === relation);
    for (const v of versions.slice(0, MAX_VERSIONS)) parts.push(part(VERSION_TEXT[relation], v.url));
    if (versions.length > MAX_VERSIONS)
      parts.push({ text: more(versions.length - MAX_VERSIONS, VERSION_TEXT[relation].toLowerCase()) });
  }
  return parts;
}
