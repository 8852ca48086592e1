// The element paths of a PubmedArticleSet the parser cares about, as a table of numbered contexts.
// Leaves walking the events to xml-reader.ts and what each context does to xml-handlers.ts.

/*
 * Every open element gets a context number from (parent context, tag name). Anything not in the table
 * is SKIP, and everything below a SKIP is SKIP without a lookup: ReferenceList, AffiliationInfo,
 * ChemicalList … cost the parser nothing beyond tokenising. Ids in a ReferenceList or in
 * CommentsCorrections never reach the record's DOI/PMCID because their ArticleIdList is not on a path.
 */

export const SKIP = 0;
export const DOC = 1;
export const SET = 2;
export const ARTICLE = 3;
export const BOOK_ARTICLE = 4;
export const DELETE = 5;
export const MEDLINE = 6;
export const ARTICLE_BODY = 7;
export const JOURNAL = 8;
export const JOURNAL_ISSUE = 9;
export const PUB_DATE = 10;
export const PAGINATION = 11;
export const ABSTRACT = 12;
export const AUTHOR_LIST = 13;
export const AUTHOR = 14;
export const DATABANK_LIST = 15;
export const DATABANK = 16;
export const ACCESSION_LIST = 17;
export const PUBTYPE_LIST = 18;
export const MESH_LIST = 19;
export const MESH_HEADING = 20;
export const CC_LIST = 21;
export const CC = 22;
export const PUBMED_DATA = 23;
export const HISTORY = 24;
export const HISTORY_DATE = 25;
export const ID_LIST = 26;
export const BOOK_DOC = 27;
export const BOOK = 28;
export const MEDLINE_JOURNAL_INFO = 29;
export const PUBLISHER = 30;
export const CONTRIBUTION_DATE = 31;

/** Contexts from here on capture their text content as a plain string. */
export const FIRST_TEXT = 40;
export const PMID = 40;
export const DELETED_PMID = 41;
export const YEAR = 42;
export const MONTH = 43;
export const DAY = 44;
export const SEASON = 45;
export const MEDLINE_DATE = 46;
export const ENTREZ_YEAR = 47;
export const ENTREZ_MONTH = 48;
export const ENTREZ_DAY = 49;
export const VOLUME = 50;
export const ISSUE = 51;
export const JOURNAL_TITLE = 52;
export const ISO_ABBREVIATION = 53;
export const MEDLINE_PGN = 54;
export const START_PAGE = 55;
export const END_PAGE = 56;
export const ELOCATION_DOI = 57;
export const LAST_NAME = 58;
export const FORE_NAME = 59;
export const INITIALS = 60;
export const SUFFIX = 61;
export const COLLECTIVE_NAME = 62;
export const ORCID = 63;
export const LANGUAGE = 64;
export const DATABANK_NAME = 65;
export const ACCESSION = 66;
export const PUBLICATION_TYPE = 67;
export const DESCRIPTOR = 68;
export const QUALIFIER = 69;
export const REF_SOURCE = 70;
export const CC_PMID = 71;
export const ARTICLE_ID = 72;
export const VERNACULAR_TITLE = 73;
/** Markup inside a plain-text element: transparent, its text joins the parent's. */
export const INLINE_PLAIN = 74;
export const MEDLINE_TA = 75;
export const PUBLISHER_NAME = 76;
export const PUBLISHER_LOCATION = 77;
/** A book chapter's own date (ContributionDate), apart from the book's, which for a series is its start. */
export const CONTRIBUTION_YEAR = 78;

/** Contexts from here on capture styled text (inline markup becomes span styles). */
export const FIRST_RICH = 80;
export const ARTICLE_TITLE = 80;
export const ABSTRACT_TEXT = 81;
export const BOOK_TITLE = 82;
export const INLINE_RICH = 83;

const CONTEXT_COUNT = 84;

const PUB_DATE_PARTS: [string, number][] = [
  ['Year', YEAR],
  ['Month', MONTH],
  ['Day', DAY],
  ['Season', SEASON],
  ['MedlineDate', MEDLINE_DATE],
];

const CHILDREN: Record<number, [string, number][]> = {
  [DOC]: [['PubmedArticleSet', SET]],
  [SET]: [
    ['PubmedArticle', ARTICLE],
    ['PubmedBookArticle', BOOK_ARTICLE],
    ['DeleteCitation', DELETE],
  ],
  [DELETE]: [['PMID', DELETED_PMID]],
  [ARTICLE]: [
    ['MedlineCitation', MEDLINE],
    ['PubmedData', PUBMED_DATA],
  ],
  [MEDLINE]: [
    ['PMID', PMID],
    ['Article', ARTICLE_BODY],
    ['MedlineJournalInfo', MEDLINE_JOURNAL_INFO],
    ['MeshHeadingList', MESH_LIST],
    ['CommentsCorrectionsList', CC_LIST],
  ],
  [MEDLINE_JOURNAL_INFO]: [['MedlineTA', MEDLINE_TA]],
  [ARTICLE_BODY]: [
    ['Journal', JOURNAL],
    ['ArticleTitle', ARTICLE_TITLE],
    ['VernacularTitle', VERNACULAR_TITLE],
    ['Pagination', PAGINATION],
    ['ELocationID', ELOCATION_DOI],
    ['Abstract', ABSTRACT],
    ['AuthorList', AUTHOR_LIST],
    ['Language', LANGUAGE],
    ['DataBankList', DATABANK_LIST],
    ['PublicationTypeList', PUBTYPE_LIST],
  ],
  [JOURNAL]: [
    ['Title', JOURNAL_TITLE],
    ['ISOAbbreviation', ISO_ABBREVIATION],
    ['JournalIssue', JOURNAL_ISSUE],
  ],
  [JOURNAL_ISSUE]: [
    ['Volume', VOLUME],
    ['Issue', ISSUE],
    ['PubDate', PUB_DATE],
  ],
  [PUB_DATE]: PUB_DATE_PARTS,
  [PAGINATION]: [
    ['MedlinePgn', MEDLINE_PGN],
    ['StartPage', START_PAGE],
    ['EndPage', END_PAGE],
  ],
  [ABSTRACT]: [['AbstractText', ABSTRACT_TEXT]],
  [AUTHOR_LIST]: [['Author', AUTHOR]],
  [AUTHOR]: [
    ['LastName', LAST_NAME],
    ['ForeName', FORE_NAME],
    ['Initials', INITIALS],
    ['Suffix', SUFFIX],
    ['CollectiveName', COLLECTIVE_NAME],
    ['Identifier', ORCID],
  ],
  [DATABANK_LIST]: [['DataBank', DATABANK]],
  [DATABANK]: [
    ['DataBankName', DATABANK_NAME],
    ['AccessionNumberList', ACCESSION_LIST],
  ],
  [ACCESSION_LIST]: [['AccessionNumber', ACCESSION]],
  [PUBTYPE_LIST]: [['PublicationType', PUBLICATION_TYPE]],
  [MESH_LIST]: [['MeshHeading', MESH_HEADING]],
  [MESH_HEADING]: [
    ['DescriptorName', DESCRIPTOR],
    ['QualifierName', QUALIFIER],
  ],
  [CC_LIST]: [['CommentsCorrections', CC]],
  [CC]: [
    ['RefSource', REF_SOURCE],
    ['PMID', CC_PMID],
  ],
  [PUBMED_DATA]: [
    ['History', HISTORY],
    ['ArticleIdList', ID_LIST],
  ],
  [HISTORY]: [['PubMedPubDate', HISTORY_DATE]],
  [HISTORY_DATE]: [
    ['Year', ENTREZ_YEAR],
    ['Month', ENTREZ_MONTH],
    ['Day', ENTREZ_DAY],
  ],
  [ID_LIST]: [['ArticleId', ARTICLE_ID]],
  [BOOK_ARTICLE]: [
    ['BookDocument', BOOK_DOC],
    ['PubmedBookData', PUBMED_DATA],
  ],
  [BOOK_DOC]: [
    ['PMID', PMID],
    ['ArticleIdList', ID_LIST],
    ['Book', BOOK],
    ['ArticleTitle', ARTICLE_TITLE],
    ['VernacularTitle', VERNACULAR_TITLE],
    ['Pagination', PAGINATION],
    ['Language', LANGUAGE],
    ['AuthorList', AUTHOR_LIST],
    ['PublicationType', PUBLICATION_TYPE],
    ['Abstract', ABSTRACT],
    ['ContributionDate', CONTRIBUTION_DATE],
  ],
  [CONTRIBUTION_DATE]: [['Year', CONTRIBUTION_YEAR]],
  [BOOK]: [
    ['Publisher', PUBLISHER],
    ['BookTitle', BOOK_TITLE],
    ['PubDate', PUB_DATE],
    ['AuthorList', AUTHOR_LIST],
    ['Volume', VOLUME],
  ],
  [PUBLISHER]: [
    ['PublisherName', PUBLISHER_NAME],
    ['PublisherLocation', PUBLISHER_LOCATION],
  ],
};

/** Child-name → context maps, indexed by the parent's context (undefined: every child is skipped). */
export function buildChildTable(): (ReadonlyMap<string, number> | undefined)[] {
  const table: (ReadonlyMap<string, number> | undefined)[] = new Array<undefined>(CONTEXT_COUNT).fill(
    undefined,
  );
  for (const [parent, children] of Object.entries(CHILDREN)) table[Number(parent)] = new Map(children);
  return table;
}
