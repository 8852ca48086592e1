// The neutral model of one bibliographic record, as every source (PubMed, the local library) yields it.
// Parsers fill it; cards.ts turns it into the view model the adapters render. No platform notions here.

/** One run of inline text with the markup PubMed put around it (`<i>`, `<b>`, `<sup>`, `<sub>`, `<u>`, MathML). */
export interface Span {
  text: string;
  /** Absent for plain text. `math` marks text that came from a MathML island (rendered as its text content). */
  style?: SpanStyle[];
}
export type SpanStyle = 'italic' | 'bold' | 'sup' | 'sub' | 'underline' | 'math';

/** Rich text is a list of spans; concatenating their `text` gives the plain text. */
export type RichText = Span[];

export interface AbstractSection {
  /** The label PubMed shows ("BACKGROUND", "Methods and findings" …); absent in unstructured abstracts. */
  label?: string;
  /** NLM's normalised category (BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS, UNASSIGNED). */
  category?: string;
  text: RichText;
}

export interface Author {
  /** "Gandhi L", "van der Berg JH", or a collective name ("KEYNOTE-189 Investigators"). */
  display: string;
  collective?: boolean;
  lastName?: string;
  initials?: string;
  orcid?: string;
}

export interface MeshTopic {
  descriptor: string;
  /** The descriptor or one of its qualifiers is flagged MajorTopicYN="Y". */
  major: boolean;
  qualifiers?: string[];
}

export type Evidence =
  | 'guideline'
  | 'meta-analysis'
  | 'systematic-review'
  | 'rct'
  | 'clinical-trial'
  | 'review'
  | 'case-report'
  | 'editorial'
  | 'letter'
  | 'comment'
  | 'other';

export type NoticeType =
  'retraction' | 'erratum' | 'expression-of-concern' | 'update' | 'republished' | 'comment';

/**
 * A correction, retraction or comment linked to a record. Direction matters clinically:
 * `about: 'this'` — the linked record (e.g. a retraction notice) concerns this record (RetractionIn);
 * `about: 'other'` — this record IS the notice about the linked record (RetractionOf); it is not retracted.
 */
export interface Notice {
  type: NoticeType;
  about: 'this' | 'other';
  pmid?: string;
  /** Citation text of the linked record as PubMed gives it (RefSource), e.g. "Lancet. 2020 Jun 13;395(10240):1820". */
  source?: string;
}

export interface Article {
  kind: 'article' | 'book';
  pmid: string;
  doi?: string;
  pmcid?: string;
  title: RichText;
  vernacularTitle?: string;
  abstract: AbstractSection[];
  authors: Author[];
  /** ISO abbreviation when present, else the full journal (or book) title. */
  journal?: string;
  journalTitle?: string;
  /** NLM's title abbreviation (MedlineTA, "J Clin Oncol", no periods): what AMA and Vancouver cite. */
  medlineJournal?: string;
  /** A book's or chapter's editors; never mixed into `authors`. */
  editors?: Author[];
  /** Set on a book chapter only: the book it is part of (`title` is the chapter's own). */
  bookTitle?: string;
  publisher?: string;
  publisherLocation?: string;
  /** Four-digit year from PubDate/Year, or the first year in a MedlineDate; a chapter's own year when it has one. */
  year?: string;
  /** The publication date as PubMed prints it: "2024 Feb", "1998 Dec-1999 Jan". */
  pubDate?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  publicationTypes: string[];
  evidence: Evidence;
  retracted: boolean;
  notices: Notice[];
  /** Major topics first, then the rest in record order. */
  mesh: MeshTopic[];
  /** NCT ids from the DataBankList and from the abstract text, de-duplicated, in order of appearance. */
  trials: string[];
  languages?: string[];
  /** Entrez date (when the record entered PubMed), `YYYY/MM/DD`; what digests window on. */
  entrezDate?: string;
}
