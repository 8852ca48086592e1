// The per-record draft the XML reader fills, and its mapping to the neutral Article model.
// Leaves walking the XML to xml-reader.ts / xml-handlers.ts; single-field formats live in xml-fields.ts.

import type { AbstractSection, Article, Author, MeshTopic, Notice, RichText } from '../core/article';
import { evidenceOf } from './evidence';
import { findNctIds } from './nct';
import {
  authorDisplay,
  entrezDate,
  orcidOf,
  pubDateOf,
  yearOf,
  type AuthorDraft,
  type DateDraft,
} from './xml-fields';
import { plainText } from './xml-rich';

/** A record that cannot become an Article (it is reported as a problem, the set goes on). */
export class RecordMappingError extends Error {
  override readonly name = 'RecordMappingError';
}

export interface MeshDraft {
  descriptor: string;
  major: boolean;
  qualifiers: string[];
}

/** RefType → how the linked record relates to this one; RefTypes not listed here are ignored (Cites …). */
const NOTICE_OF_REFTYPE: ReadonlyMap<string, Pick<Notice, 'type' | 'about'>> = new Map([
  ['RetractionIn', { type: 'retraction', about: 'this' }],
  ['RetractionOf', { type: 'retraction', about: 'other' }],
  ['RetractedandRepublishedIn', { type: 'retraction', about: 'this' }],
  ['RetractedandRepublishedFrom', { type: 'retraction', about: 'other' }],
  ['ErratumIn', { type: 'erratum', about: 'this' }],
  ['ErratumFor', { type: 'erratum', about: 'other' }],
  ['ExpressionOfConcernIn', { type: 'expression-of-concern', about: 'this' }],
  ['ExpressionOfConcernFor', { type: 'expression-of-concern', about: 'other' }],
  ['UpdateIn', { type: 'update', about: 'this' }],
  ['UpdateOf', { type: 'update', about: 'other' }],
  ['RepublishedIn', { type: 'republished', about: 'this' }],
  ['RepublishedFrom', { type: 'republished', about: 'other' }],
  ['CommentIn', { type: 'comment', about: 'this' }],
  ['CommentOn', { type: 'comment', about: 'other' }],
]);

const PMID = /^[1-9][0-9]{0,9}$/;

export class RecordDraft {
  pmid?: string;
  title?: RichText;
  bookTitle?: RichText;
  vernacularTitle?: string;
  readonly abstract: AbstractSection[] = [];
  readonly authors: AuthorDraft[] = [];
  readonly editors: AuthorDraft[] = [];
  journalTitle?: string;
  isoAbbreviation?: string;
  readonly pubDate: DateDraft = {};
  volume?: string;
  issue?: string;
  medlinePgn?: string;
  startPage?: string;
  endPage?: string;
  locationDoi?: string;
  idDoi?: string;
  pmcid?: string;
  readonly publicationTypes: string[] = [];
  readonly notices: Notice[] = [];
  readonly mesh: MeshDraft[] = [];
  readonly bankTrials: string[] = [];
  readonly languages: string[] = [];
  entrez?: DateDraft;

  constructor(readonly kind: 'article' | 'book') {}

  /** Records a CommentsCorrections link if its RefType is one a reader must know about. */
  addCorrection(refType: string, pmid: string | undefined, source: string | undefined): void {
    const meaning = NOTICE_OF_REFTYPE.get(refType);
    if (meaning === undefined) return;
    const notice: Notice = { type: meaning.type, about: meaning.about };
    if (pmid !== undefined && pmid !== '') notice.pmid = pmid;
    if (source !== undefined && source !== '') notice.source = source;
    this.notices.push(notice);
  }

  addLanguage(code: string): void {
    const normal = code.toLowerCase();
    if (normal !== '' && !this.languages.includes(normal)) this.languages.push(normal);
  }

  toArticle(): Article {
    const pmid = this.pmid;
    if (pmid === undefined || pmid === '') throw new RecordMappingError('record has no PMID');
    if (!PMID.test(pmid)) throw new RecordMappingError(`PMID is not a number: ${JSON.stringify(pmid)}`);

    const title = this.title ?? (this.kind === 'book' ? this.bookTitle : undefined) ?? [];
    const publicationTypes = this.publicationTypes;
    const notices = this.notices;
    const article: Article = {
      kind: this.kind,
      pmid,
      title,
      abstract: this.abstract,
      authors: this.finishAuthors(),
      publicationTypes,
      evidence: evidenceOf(publicationTypes),
      retracted:
        publicationTypes.some((type) => type.toLowerCase() === 'retracted publication') ||
        notices.some((notice) => notice.type === 'retraction' && notice.about === 'this'),
      notices,
      mesh: this.finishMesh(),
      trials: this.finishTrials(title),
    };
    const doi = this.idDoi ?? this.locationDoi;
    if (doi !== undefined) article.doi = doi;
    if (this.pmcid !== undefined) article.pmcid = this.pmcid;
    if (this.vernacularTitle !== undefined) article.vernacularTitle = this.vernacularTitle;

    const bookTitle = this.bookTitle === undefined ? undefined : plainText(this.bookTitle);
    const journalTitle = this.journalTitle ?? (bookTitle === '' ? undefined : bookTitle);
    const journal = this.isoAbbreviation ?? journalTitle;
    if (journal !== undefined) article.journal = journal;
    if (journalTitle !== undefined) article.journalTitle = journalTitle;

    const year = yearOf(this.pubDate);
    if (year !== undefined) article.year = year;
    const pubDate = pubDateOf(this.pubDate);
    if (pubDate !== undefined) article.pubDate = pubDate;
    if (this.volume !== undefined) article.volume = this.volume;
    if (this.issue !== undefined) article.issue = this.issue;
    const pages = this.finishPages();
    if (pages !== undefined) article.pages = pages;
    if (this.languages.length > 0) article.languages = this.languages;
    const entrez = this.entrez === undefined ? undefined : entrezDate(this.entrez);
    if (entrez !== undefined) article.entrezDate = entrez;
    return article;
  }

  private finishAuthors(): Author[] {
    // A book chapter lists its own authors; only an edited volume without them falls back to the editors.
    const drafts = this.authors.length > 0 ? this.authors : this.editors;
    const authors: Author[] = [];
    for (const draft of drafts) {
      if (draft.collectiveName !== undefined) {
        authors.push({ display: draft.collectiveName, collective: true });
        continue;
      }
      const display = authorDisplay(draft);
      if (display === undefined) continue;
      const author: Author = { display: display.text };
      if (draft.lastName !== undefined) author.lastName = draft.lastName;
      if (display.initials !== undefined) author.initials = display.initials;
      const orcid = draft.orcid === undefined ? undefined : orcidOf(draft.orcid);
      if (orcid !== undefined) author.orcid = orcid;
      authors.push(author);
    }
    return authors;
  }

  private finishMesh(): MeshTopic[] {
    const major: MeshTopic[] = [];
    const minor: MeshTopic[] = [];
    for (const draft of this.mesh) {
      const topic: MeshTopic = { descriptor: draft.descriptor, major: draft.major };
      if (draft.qualifiers.length > 0) topic.qualifiers = draft.qualifiers;
      (draft.major ? major : minor).push(topic);
    }
    return major.length === 0 ? minor : minor.length === 0 ? major : major.concat(minor);
  }

  private finishTrials(title: RichText): string[] {
    const trials: string[] = [];
    const add = (ids: string[]): void => {
      for (const id of ids) if (!trials.includes(id)) trials.push(id);
    };
    for (const accession of this.bankTrials) add(findNctIds(accession));
    add(findNctIds(plainText(title)));
    for (const section of this.abstract) add(findNctIds(plainText(section.text)));
    return trials;
  }

  private finishPages(): string | undefined {
    if (this.medlinePgn !== undefined && this.medlinePgn !== '') return this.medlinePgn;
    if (this.startPage === undefined || this.startPage === '') return undefined;
    return this.endPage === undefined || this.endPage === '' || this.endPage === this.startPage
      ? this.startPage
      : `${this.startPage}-${this.endPage}`;
  }
}
