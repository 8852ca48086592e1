// What each PubmedArticleSet context does to the record being built: attributes on entry, values on exit.
// Leaves scanning, text capture and record boundaries to xml-reader.ts; paths are in xml-paths.ts.

import type { RichText } from '../core/article';
import * as P from './xml-paths';
import type { AuthorDraft } from './xml-fields';
import { RecordDraft, type MeshDraft } from './xml-record';
import { collapseSpace } from './xml-rich';

/** The attributes of the start tag being entered, read only by the contexts that need one. */
export interface TagAttributes {
  attribute(name: string): string | undefined;
}

/** Per-set state: the record in progress plus the scratch of the one open element of each kind. */
export class ContextHandlers {
  draft: RecordDraft | undefined;
  private author: AuthorDraft | undefined;
  private authorsAreEditors = false;
  private mesh: MeshDraft | undefined;
  private abstractLabel: string | undefined;
  private abstractCategory: string | undefined;
  private correctionType = '';
  private correctionPmid: string | undefined;
  private correctionSource: string | undefined;
  private bankName = '';
  private accessions: string[] = [];
  private idType = '';
  private deletedPmids: string[] = [];

  constructor(private readonly onDeleted: (pmids: string[]) => void) {}

  /** Starts a context; returns SKIP instead when the element's attributes make it irrelevant. */
  enter(context: number, tag: TagAttributes): number {
    switch (context) {
      case P.ARTICLE:
      case P.BOOK_ARTICLE:
        this.draft = new RecordDraft(context === P.ARTICLE ? 'article' : 'book');
        return context;
      case P.DELETE:
        this.deletedPmids = [];
        return context;
      case P.SET:
      case P.DELETED_PMID:
        return context;
    }
    // Everything else belongs to a record; outside one (a malformed set) it is ignored.
    const draft = this.draft;
    if (draft === undefined) return P.SKIP;
    switch (context) {
      case P.AUTHOR_LIST:
        this.authorsAreEditors = tag.attribute('Type') === 'editors';
        return context;
      case P.AUTHOR:
        if (tag.attribute('ValidYN') === 'N') return P.SKIP; // NLM keeps invalid (mistaken) names; readers must not see them
        this.author = {};
        return context;
      case P.MESH_HEADING:
        this.mesh = { descriptor: '', major: false, qualifiers: [] };
        return context;
      case P.DESCRIPTOR:
      case P.QUALIFIER:
        if (tag.attribute('MajorTopicYN') === 'Y' && this.mesh !== undefined) this.mesh.major = true;
        return context;
      case P.CC: {
        const refType = tag.attribute('RefType') ?? '';
        if (refType === 'Cites') return P.SKIP; // by far the most common link, and nothing to show
        this.correctionType = refType;
        this.correctionPmid = undefined;
        this.correctionSource = undefined;
        return context;
      }
      case P.DATABANK:
        this.bankName = '';
        this.accessions = [];
        return context;
      case P.HISTORY_DATE:
        if (tag.attribute('PubStatus') !== 'entrez' || draft.entrez !== undefined) return P.SKIP;
        draft.entrez = {};
        return context;
      case P.ELOCATION_DOI:
        return tag.attribute('EIdType') === 'doi' && tag.attribute('ValidYN') !== 'N' ? context : P.SKIP;
      case P.ORCID:
        return tag.attribute('Source') === 'ORCID' ? context : P.SKIP;
      case P.ARTICLE_ID:
        this.idType = tag.attribute('IdType') ?? '';
        return this.idType === 'doi' || this.idType === 'pmc' ? context : P.SKIP;
      case P.ABSTRACT_TEXT:
        this.abstractLabel = tag.attribute('Label');
        this.abstractCategory = tag.attribute('NlmCategory');
        return context;
    }
    return context;
  }

  /** Ends a structural context (one without text of its own). */
  leave(context: number): void {
    const draft = this.draft;
    switch (context) {
      case P.DELETE:
        if (this.deletedPmids.length > 0) this.onDeleted(this.deletedPmids);
        return;
      case P.AUTHOR: {
        const list = this.authorsAreEditors ? draft?.editors : draft?.authors;
        if (this.author !== undefined) list?.push(this.author);
        this.author = undefined;
        return;
      }
      case P.MESH_HEADING:
        if (this.mesh !== undefined && this.mesh.descriptor !== '') draft?.mesh.push(this.mesh);
        this.mesh = undefined;
        return;
      case P.CC:
        draft?.addCorrection(this.correctionType, this.correctionPmid, this.correctionSource);
        return;
      case P.DATABANK:
        if (this.bankName.toLowerCase() === 'clinicaltrials.gov') draft?.bankTrials.push(...this.accessions);
        return;
    }
  }

  /** Ends a rich-text context with its styled spans. */
  leaveRich(context: number, text: RichText): void {
    const draft = this.draft;
    if (draft === undefined || text.length === 0) return;
    switch (context) {
      case P.ARTICLE_TITLE:
        draft.title ??= text;
        return;
      case P.BOOK_TITLE:
        draft.bookTitle ??= text;
        return;
      case P.ABSTRACT_TEXT: {
        const label = this.abstractLabel === undefined ? '' : collapseSpace(this.abstractLabel);
        const category = this.abstractCategory === undefined ? '' : collapseSpace(this.abstractCategory);
        draft.abstract.push({
          ...(label === '' ? {} : { label }),
          ...(category === '' ? {} : { category }),
          text,
        });
        return;
      }
    }
  }

  /** Ends a plain-text context with its whitespace-collapsed value. */
  leaveText(context: number, value: string): void {
    if (value === '') return;
    if (context === P.DELETED_PMID) {
      this.deletedPmids.push(value);
      return;
    }
    const draft = this.draft;
    if (draft === undefined) return;
    const author = this.author;
    // First value wins everywhere: a second PMID or Year in a record is noise, not a correction.
    switch (context) {
      case P.PMID:
        draft.pmid ??= value;
        return;
      case P.YEAR:
        draft.pubDate.year ??= value;
        return;
      case P.MONTH:
        draft.pubDate.month ??= value;
        return;
      case P.DAY:
        draft.pubDate.day ??= value;
        return;
      case P.SEASON:
        draft.pubDate.season ??= value;
        return;
      case P.MEDLINE_DATE:
        draft.pubDate.medlineDate ??= value;
        return;
      case P.ENTREZ_YEAR:
        if (draft.entrez !== undefined) draft.entrez.year ??= value;
        return;
      case P.ENTREZ_MONTH:
        if (draft.entrez !== undefined) draft.entrez.month ??= value;
        return;
      case P.ENTREZ_DAY:
        if (draft.entrez !== undefined) draft.entrez.day ??= value;
        return;
      case P.VOLUME:
        draft.volume ??= value;
        return;
      case P.ISSUE:
        draft.issue ??= value;
        return;
      case P.JOURNAL_TITLE:
        draft.journalTitle ??= value;
        return;
      case P.ISO_ABBREVIATION:
        draft.isoAbbreviation ??= value;
        return;
      case P.MEDLINE_PGN:
        draft.medlinePgn ??= value;
        return;
      case P.START_PAGE:
        draft.startPage ??= value;
        return;
      case P.END_PAGE:
        draft.endPage ??= value;
        return;
      case P.ELOCATION_DOI:
        draft.locationDoi ??= value;
        return;
      case P.ARTICLE_ID:
        if (this.idType === 'doi') draft.idDoi ??= value;
        else draft.pmcid ??= value;
        return;
      case P.VERNACULAR_TITLE:
        draft.vernacularTitle ??= value;
        return;
      case P.LANGUAGE:
        draft.addLanguage(value);
        return;
      case P.PUBLICATION_TYPE:
        draft.publicationTypes.push(value);
        return;
      case P.DATABANK_NAME:
        this.bankName = value;
        return;
      case P.ACCESSION:
        this.accessions.push(value);
        return;
      case P.DESCRIPTOR:
        if (this.mesh !== undefined) this.mesh.descriptor = value;
        return;
      case P.QUALIFIER:
        this.mesh?.qualifiers.push(value);
        return;
      case P.REF_SOURCE:
        this.correctionSource = value;
        return;
      case P.CC_PMID:
        this.correctionPmid = value;
        return;
    }
    if (author === undefined) return;
    switch (context) {
      case P.LAST_NAME:
        author.lastName = value;
        return;
      case P.FORE_NAME:
        author.foreName = value;
        return;
      case P.INITIALS:
        author.initials = value;
        return;
      case P.SUFFIX:
        author.suffix = value;
        return;
      case P.COLLECTIVE_NAME:
        author.collectiveName = value;
        return;
      case P.ORCID:
        author.orcid ??= value;
        return;
    }
  }
}
