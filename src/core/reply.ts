// The core contract with adapters: a Request in (text + who + where), a Reply of neutral cards out.
// Adapters render cards as Block Kit, Adaptive Cards or terminal text; they never reach past this file.

import type { Evidence, Notice, RichText } from './article';
import type { EvidenceLevel } from './evidence-map';
import type { ArticleSignals } from './signals';
import type { CitationFormat } from './styles';
import type { Trial } from './trial';
import type { TrialSites } from './trial-sites';

export type Platform = 'slack' | 'teams' | 'cli';

export interface Request {
  text: string;
  user: { id: string; name?: string };
  place: { platform: Platform; team?: string; channel?: string; timeZone?: string };
}

/** A button. `command` goes back through the same parser as typed text (DESIGN.md: every button is a command). */
export interface Action {
  /** Stable per kind of action: "abstract", "similar", "cite", "trials", "share", "more", "publication". */
  id: string;
  label: string;
  command: string;
  /** A menu of alternatives (e.g. citation formats); `command` is then the default choice. */
  options?: { label: string; command: string }[];
}

export interface Links {
  pubmed?: string;
  doi?: string;
  pmc?: string;
  clinicalTrials?: string;
}

export interface ArticleCard {
  type: 'article';
  pmid: string;
  doi?: string;
  pmcid?: string;
  /** Plain text; `titleRich` keeps the inline markup for renderers that can show it. */
  title: string;
  titleRich: RichText;
  /** Display strings: "Gandhi L" or a collective name. */
  authors: string[];
  journal?: string;
  year?: string;
  /** "vol(issue):pages" */
  citation?: string;
  publicationTypes: string[];
  evidence: Evidence;
  retracted: boolean;
  notices: Notice[];
  abstract: { label?: string; text: string; rich: RichText }[];
  /** MeSH descriptors, major topics first. */
  mesh: string[];
  trials: string[];
  links: Links;
  source: 'pubmed' | 'library';
  stale: boolean;
  /** 'full' when the user asked for this record (show the abstract); 'summary' in result lists. */
  detail: 'summary' | 'full';
  actions: Action[];
  /**
   * What open services said about the article (citations, a free copy, publisher notices), when any answered
   * in time; present/signals.ts words it. Publisher retractions are also in `notices` and `retracted`.
   */
  signals?: ArticleSignals;
}

export interface TrialCard {
  type: 'trial';
  trial: Trial;
  /**
   * Publications of the trial: the registry's references (RESULT first), then articles PubMed links to this
   * NCT id (their DataBankList/secondary ids), marked `linkedInPubmed` — on both lists when both say so.
   */
  publications: { pmid: string; type?: string; citation?: string; linkedInPubmed?: boolean }[];
  links: Links;
  source: 'clinicaltrials' | 'library';
  stale: boolean;
  detail: 'summary' | 'full';
  /** Set when the card shows one part of the record instead of the full card (`trial NCT… eligibility`). */
  section?: 'eligibility';
  /** The sites the card names: nearest to the board or to near:, matched by place, or the record's first. */
  sites?: TrialSites;
  actions: Action[];
}

export interface CitationCard {
  type: 'citation';
  pmid: string;
  format: CitationFormat;
  text: string;
}
export type { CitationFormat };

export interface HelpCard {
  type: 'help';
  title: string;
  sections: { heading: string; lines: string[] }[];
  /** Buttons under the sections (the reading list's exports), laid out like an article card's. */
  actions?: Action[];
  /** A page or download the card points to (a Teams export): a button that opens `url`. */
  link?: { label: string; url: string };
}

export interface ErrorCard {
  type: 'error';
  message: string;
  hint?: string;
}

/** One number of an evidence map: absent `count` means the source did not answer (shown as unknown, never 0). */
export interface MapCount {
  label: string;
  count?: number;
  /** "1,234", or the word for unknown: what every platform shows for this number. */
  countText: string;
  /** The source's search that produced it (an Entrez term), and where a person can run it. */
  search: string;
  url?: string;
}

/** `map <query>`: how much evidence exists on a question, by level and by year, with the searches behind it. */
export interface MapCard {
  type: 'map';
  title: string;
  /** What the user asked, as typed minus the command word: the CLI prints it with the numbers. */
  query: string;
  total: MapCount;
  levelsHeading: string;
  levels: (MapCount & { level: EvidenceLevel })[];
  yearsHeading: string;
  years: (MapCount & { year: number })[];
  /** Short remarks under the numbers: the current year is partial, which numbers are unknown, and why. */
  notes: string[];
  /** Describes the chart image for screen readers and for platforms that cannot show it. */
  chartAlt: string;
  stale: boolean;
}

export type Card = ArticleCard | TrialCard | CitationCard | HelpCard | ErrorCard | MapCard;

/** A file a reply carries (a reading-list export): posted into the channel where the platform can. */
export interface ReplyFile {
  filename: string;
  mime: string;
  title: string;
  text: string;
}

export interface Reply {
  cards: Card[];
  /** With `visibility: 'channel'`: uploaded as a file, `notice` introducing it. */
  file?: ReplyFile;
  /** Something the user should know about how this answer was made (offline, stale, PubMed warnings). */
  notice?: string;
  /** The command that fetches the next page ("more <cursor>"). */
  more?: string;
  /** 'channel' only for explicit shares; everything else is private to the asker. */
  visibility: 'private' | 'channel';
  /** For shares: who shared it, so the adapter can say "shared by @user". */
  sharedBy?: { id: string; name?: string };
  /** Total hits of a search, when the source said. */
  total?: number;
  /** On a page after the first: the 1-based position of its first card, so numbering continues. */
  first?: number;
}

/** What adapters call. One implementation (assistant.ts); adapters get it from the composition root. */
export interface Assistant {
  handle(request: Request, options?: { signal?: AbortSignal }): Promise<Reply>;
}
