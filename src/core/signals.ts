// The signals port: what open services say about an article beyond its record — how often it is cited,
// where a legal free copy is, what its publisher registered about it. src/signals/ combines the services.

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

/** Where the free copy lives: PubMed Central, the publisher's site, or another repository. */
export type OpenAccessHost = 'pmc' | 'publisher' | 'repository';

export type OpenAccess =
  | (SignalOrigin & {
      status: 'open';
      url: string;
      kind?: OpenAccessKind;
      host?: OpenAccessHost;
      /** The copy carries an open licence (Europe PMC's isOpenAccess); absent: free to read, reuse unknown. */
      openLicence?: boolean;
    })
  /** The service looked and found no legal open copy ("no open version"), which is not the same as no answer. */
  | (SignalOrigin & { status: 'closed' });

/** A notice a publisher registered about this article (Crossref `updated-by`), often before PubMed shows it. */
export interface PublisherNotice extends SignalOrigin {
  type: 'retraction' | 'correction' | 'expression-of-concern' | 'withdrawal';
  /** The notice's own DOI. */
  doi?: string;
  /** When the publisher registered it, `YYYY-MM-DD` or as much of it as the service gave. */
  date?: string;
  /** Who registered it, as the service says (Crossref: `publisher`, `retraction-watch`); the card names it. */
  registeredBy?: string;
}

/**
 * Another version of the same work a service links to (Crossref `relation`): the preprint of a journal
 * article, or the journal version a preprint became. Registered by the publishers, never inferred from titles.
 */
export interface VersionLink extends SignalOrigin {
  /** 'preprint': this article has a preprint at `doi`; 'published': this preprint was published as `doi`. */
  relation: 'preprint' | 'published';
  doi: string;
  url: string;
}

/**
 * What the services that answered said about one article. A field is absent when no service answered
 * for it: the card leaves that signal out rather than guess (never a 0 for "did not answer").
 */
export interface ArticleSignals {
  citedBy?: CitedBy;
  openAccess?: OpenAccess;
  publisherNotices?: PublisherNotice[];
  /** Preprint ↔ published versions, as registered with a service. */
  versions?: VersionLink[];
  /**
   * The service holds this article's reference list (Europe PMC `hasReferences: "Y"`), so a "References"
   * button has something behind it; absent when no service said so.
   */
  references?: SignalOrigin;
  /**
   * The article's DOI as a service knows it (Europe PMC does from a PMID): a combiner hands it to the
   * services that key on DOIs when the caller knew only the PMID.
   */
  doi?: string;
}

export interface SignalsOptions extends CallOptions {
  /**
   * The rest of the answer (the PubMed fetch running alongside), resolving to the articles as it came to
   * know them (their DOIs included). Services keyed by DOI are asked with DOIs learned from it or from
   * another service; once it and the round already under way are in, a combiner stops waiting for that
   * later round, which still completes and fills the cache for the next answer.
   */
  ready?: Promise<readonly ArticleRef[] | undefined>;
  /**
   * Wait for that later round too (within the deadline): for a citation export, where a publisher's
   * retraction must not be missed for the sake of a few hundred milliseconds.
   */
  complete?: boolean;
}

/**
 * One signal service, or several combined. Takes a batch so services that allow it answer in one round
 * trip; answers by PMID and leaves out the articles it knows nothing about. A single service fails only for
 * a whole batch; the combiner (src/signals/combined.ts) never fails: when `o.signal` aborts, or its own
 * deadline passes, it answers with what has arrived, and the cards show only those signals.
 *
 * Adding a service (an iCite client, or an imported iCite snapshot read from disk) is one more
 * implementation of this interface; the combiner merges their maps field by field.
 */
export interface Signals {
  signalsFor(
    articles: readonly ArticleRef[],
    o?: SignalsOptions,
  ): Promise<ReadonlyMap<string, ArticleSignals>>;
}

/** One record in a citation list: the PMID when the list's source has one (not every citing work is in PubMed). */
export interface ListedWork {
  pmid?: string;
  title?: string;
  authors?: string;
  journal?: string;
  year?: string;
}

export interface WorkList {
  /** How many the service lists in all. */
  total: number;
  works: ListedWork[];
}

/** "Cited by" and "References" lists of one article (Europe PMC today), a page at a time from `start`. */
export interface CitationLists {
  citedBy(pmid: string, start: number, size: number, o?: CallOptions): Promise<WorkList>;
  references(pmid: string, start: number, size: number, o?: CallOptions): Promise<WorkList>;
}
