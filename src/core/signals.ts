// The signals port: what open services say about an article beyond its record — how often it is cited,
// where a legal free copy is, what its publisher registered about it. Clients and their wiring are issue 19's.

import type { CallOptions } from './sources';

/** The identifiers a signal service may key on; services that need a DOI skip articles without one. */
export interface ArticleRef {
  pmid: string;
  doi?: string;
  pmcid?: string;
}

/** Who said it, so the card can name its source (Europe PMC, Unpaywall, Crossref; iCite would be one more). */
export interface SignalOrigin {
  /** Stable service id, as config names it: 'europepmc', 'unpaywall', 'crossref', 'icite'. */
  service: string;
  /** Where a reader can check the figure or notice at the service, when it has such a page. */
  url?: string;
}

export interface CitedBy extends SignalOrigin {
  /** Citing records the service knows of; a count is only ever one the service returned, never a default. */
  count: number;
}

/** Unpaywall's classes of legal open access: publisher-hosted (gold, hybrid, bronze) or a repository copy (green). */
export type OpenAccessKind = 'gold' | 'hybrid' | 'bronze' | 'green';

export type OpenAccess =
  | (SignalOrigin & { status: 'open'; url: string; kind?: OpenAccessKind })
  /** The service looked and found no legal open copy ("no open version"), which is not the same as no answer. */
  | (SignalOrigin & { status: 'closed' });

/** A notice a publisher registered about this article (Crossref `updated-by`), often before PubMed shows it. */
export interface PublisherNotice extends SignalOrigin {
  type: 'retraction' | 'correction' | 'expression-of-concern' | 'withdrawal';
  /** The notice's own DOI. */
  doi?: string;
  /** When the publisher registered it, `YYYY-MM-DD` or as much of it as the service gave. */
  date?: string;
}

/**
 * What the services that answered said about one article. A field is absent when no service answered
 * for it: the card leaves that signal out rather than guess (never a 0 for "did not answer").
 */
export interface ArticleSignals {
  citedBy?: CitedBy;
  openAccess?: OpenAccess;
  publisherNotices?: PublisherNotice[];
}

/**
 * One signal service, or several combined. Takes a batch so services that allow it answer in one round
 * trip; answers by PMID and leaves out the articles it knows nothing about. It fails only for a whole
 * batch (the caller then shows the cards without signals); a slow service is cut off by `o.signal`.
 *
 * Adding a service (an iCite client, or an imported iCite snapshot read from disk) is one more
 * implementation of this interface; a combiner merges their maps field by field.
 */
export interface Signals {
  signalsFor(articles: readonly ArticleRef[], o?: CallOptions): Promise<ReadonlyMap<string, ArticleSignals>>;
}
