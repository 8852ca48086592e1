// Every sentence a user reads about a problem: source outages, unknown ids, our own failures.
// Lower layers raise PaperbotError codes; only this module turns them into words.

import { isPaperbotError } from './errors';
import { formatLookupId, type LookupId } from './ids';

const SOURCE_NAMES: Record<string, string> = {
  pubmed: 'PubMed',
  clinicaltrials: 'ClinicalTrials.gov',
  europepmc: 'Europe PMC',
};

export function sourceName(source: string | undefined, fallback = 'PubMed'): string {
  return (source && SOURCE_NAMES[source]) ?? fallback;
}

/** The endings of sourceProblem's sentences, kept in one table so unavailableSourceIn can recognise them. */
const OUTAGES = {
  rate_limited: 'is rate-limiting requests right now.',
  timeout: 'did not answer in time.',
  upstream_unavailable: 'is not reachable right now.',
  bad_response: 'sent a damaged answer.',
  unknown: 'could not be reached just now.',
} as const;

/**
 * Why a source could not answer, as one sentence (no stack). A source's error message is never shown: it can
 * hold an error body that echoes the request URL (e-mail, key). Only its own words on a refused query are
 * quoted (`quotable`); other refusals get the code, which matches the log line that has the details.
 */
export function sourceProblem(error: unknown, fallbackSource = 'pubmed'): string {
  const name = sourceName(isPaperbotError(error) ? error.source : undefined, sourceName(fallbackSource));
  if (!isPaperbotError(error)) return `${name} ${OUTAGES.unknown}`;
  switch (error.code) {
    case 'rate_limited':
    case 'timeout':
    case 'upstream_unavailable':
    case 'bad_response':
      return `${name} ${OUTAGES[error.code]}`;
    case 'upstream_error':
      return error.quotable !== undefined
        ? `${name} could not run this request: ${error.quotable}`
        : `${name} could not run this request (error ${error.code}).`;
    default:
      return `${name} ${OUTAGES.unknown}`;
  }
}

/**
 * Whether a reply's words say a source failed to answer (not that it had nothing): the CLI's exit code 3.
 * Reads words because a Reply carries no outage field; the table above keeps both sides in step.
 */
export function unavailableSourceIn(text: string): boolean {
  return Object.values(SOURCE_NAMES).some(
    (name) =>
      text.includes(`${name} could not run this request`) ||
      Object.values(OUTAGES).some((ending) => text.includes(`${name} ${ending}`)),
  );
}

/** Said when trials are asked for offline: not an outage, so no exit code 3 and no "try again". */
export const TRIALS_OFFLINE = 'ClinicalTrials.gov is not used while paperbot runs offline.';

export function libraryFallbackNotice(problem: string, count: number): string {
  if (count > 0)
    return `${problem} Showing ${count === 1 ? 'the 1 match' : `${count} matches`} from the local library instead; it may miss recent papers.`;
  // Retrying cannot bring back a source that is switched off.
  return problem === TRIALS_OFFLINE
    ? `${problem} The local library has nothing for this.`
    : `${problem} The local library has nothing for this either; please try again in a minute.`;
}

export function offlineNotice(count: number): string {
  return `Offline: ${count === 0 ? 'nothing matched' : `${count === 1 ? '1 result' : `${count} results`}`} from the local library only; recent papers and retraction updates may be missing.`;
}

/** How to fill the library for a topic; said whenever the library has nothing relevant to offer. */
export function buildLibraryHint(terms: string): string {
  const query = terms.replace(/"/g, "'").trim();
  return `To build a library on this topic while online: paperbot library sync "${query}" (see docs/library.md).`;
}

/** Library results that match only some words: say which words the shown records lack, and the cure. */
export function partialMatchNotice(terms: string, dropped: readonly string[]): string {
  const quoted = dropped.map((d) => `“${d}”`).join(', ');
  const lacking =
    dropped.length === 0
      ? 'these match only some of the words'
      : dropped.length === 1
        ? `these results lack ${quoted}`
        : `each result lacks one or more of ${quoted}`;
  return `No library record has every word of “${terms.trim()}”: ${lacking}. ${buildLibraryHint(terms)}`;
}

export const STALE_NOTICE =
  'Some of this comes from a cached copy because the source could not be reached; retractions issued since may be missing.';

export function notFound(id: LookupId): string {
  return id.type === 'pmid'
    ? `PubMed has no record with PMID ${id.value}.`
    : `PubMed has no record with ${formatLookupId(id)}.`;
}

/** Said instead of queueing when a replica already owes more answers than it can give within seconds. */
export const BUSY =
  'paperbot is answering a great many requests right now and could not take yours; please try again in a few seconds.';

export const INTERNAL_ERROR =
  'Something went wrong on our side while answering. It has been logged; please try again.';

/** `sort:cited`: only the page shown is reordered, never the whole result set; said so plainly. */
export const CITED_SORT_NOTICE = 'Sorted this page by citation count (most cited first).';
export const CITED_SORT_UNAVAILABLE =
  'Citation counts are not available right now, so this page keeps the relevance order.';
