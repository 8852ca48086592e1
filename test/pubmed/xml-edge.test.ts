// Hostile and edge inputs, built by editing real records: retractions (no fixture has one), broken
// documents, unmappable records, id traps, missing fields. Each edit is checked to hit exactly once.

import { isPaperbotError } from '../../src/core/errors';
import { parseArticleSet } from '../../src/pubmed/xml';
import { editOnce, fixture, onlyArticle } from './xml-fixtures';

const ERRATUM_IN = fixture('efetch_pubmed_35649368.xml');
const ERRATUM_LINK = '<CommentsCorrections RefType="ErratumIn">';
const JOURNAL_ARTICLE_TYPE = '<PublicationType UI="D016428">Journal Article</PublicationType>';

function withRefType(refType: string): string {
  return editOnce(ERRATUM_IN, ERRATUM_LINK, `<CommentsCorrections RefType="${refType}">`);
}

function withType(type: string): string {
  return editOnce(
    ERRATUM_IN,
    JOURNAL_ARTICLE_TYPE,
    `${JOURNAL_ARTICLE_TYPE}<PublicationType>${type}</PublicationType>`,
  );
}

describe('retractions and other notices, by direction', () => {
  it.each([
    ['RetractionIn', 'retraction', 'this', true],
    ['RetractedandRepublishedIn', 'retraction', 'this', true],
    ['RetractionOf', 'retraction', 'other', false],
    ['RetractedandRepublishedFrom', 'retraction', 'other', false],
    ['ExpressionOfConcernIn', 'expression-of-concern', 'this', false],
    ['ExpressionOfConcernFor', 'expression-of-concern', 'other', false],
    ['UpdateIn', 'update', 'this', false],
    ['UpdateOf', 'update', 'other', false],
    ['RepublishedIn', 'republished', 'this', false],
    ['RepublishedFrom', 'republished', 'other', false],
    ['CommentIn', 'comment', 'this', false],
    ['CommentOn', 'comment', 'other', false],
  ])('%s → %s about %s, retracted=%s', (refType, type, about, retracted) => {
    const article = onlyArticle(withRefType(refType));
    expect(article.notices).toEqual([
      {
        type,
        about,
        pmid: '35767954',
        source: 'Cell Rep. 2022 Jun 28;39(13):111044. doi: 10.1016/j.celrep.2022.111044.',
      },
    ]);
    expect(article.retracted).toBe(retracted);
  });

  it.each(['Cites', 'SummaryForPatientsIn', 'OriginalReportIn', 'ReprintOf', 'AssociatedDataset'])(
    '%s is not a notice',
    (refType) => {
      expect(onlyArticle(withRefType(refType)).notices).toEqual([]);
    },
  );

  it('the "Retracted Publication" type alone marks the record retracted', () => {
    const article = onlyArticle(withType('Retracted Publication'));
    expect(article.retracted).toBe(true);
    expect(article.publicationTypes).toEqual([
      'Journal Article',
      'Retracted Publication',
      'Research Support, N.I.H., Extramural',
    ]);
  });

  it('a "Retraction of Publication" notice is not itself retracted', () => {
    const notice = editOnce(
      withType('Retraction of Publication'),
      ERRATUM_LINK,
      '<CommentsCorrections RefType="RetractionOf">',
    );
    const article = onlyArticle(notice);
    expect(article.retracted).toBe(false);
    expect(article.notices[0]).toMatchObject({ type: 'retraction', about: 'other', pmid: '35767954' });
  });

  it('a concern then a retraction: both kept in order, and the record is retracted', () => {
    const concern =
      '<CommentsCorrections RefType="ExpressionOfConcernIn"><RefSource>Cell Rep. 2023</RefSource>' +
      '<PMID Version="1">11111111</PMID></CommentsCorrections>';
    const both = editOnce(
      withRefType('RetractionIn'),
      '<CommentsCorrectionsList>',
      `<CommentsCorrectionsList>${concern}`,
    );
    const article = onlyArticle(both);
    expect(article.notices.map((notice) => [notice.type, notice.about, notice.pmid])).toEqual([
      ['expression-of-concern', 'this', '11111111'],
      ['retraction', 'this', '35767954'],
    ]);
    expect(article.retracted).toBe(true);
  });
});

describe('documents that are not a PubmedArticleSet', () => {
  const rejects = (xml: string, message: RegExp): void => {
    let thrown: unknown;
    try {
      parseArticleSet(xml);
    } catch (error) {
      thrown = error;
    }
    expect(isPaperbotError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'bad_response', source: 'pubmed', retryable: true });
    expect((thrown as Error).message).toMatch(message);
  };

  it('an HTML error page', () => {
    rejects(
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Bad Gateway</title></head>' +
        '<body><h1>502 Bad Gateway</h1>&nbsp;</body></html>',
      /HTML page/,
    );
  });

  it('not XML at all: JSON, plain text, nothing', () => {
    rejects('{"error":"API rate limit exceeded","count":"5","limit":"3"}', /not well-formed/);
    rejects('Service Temporarily Unavailable', /not well-formed/);
    rejects('', /not well-formed/);
  });

  it('truncated XML (the connection dropped mid-record)', () => {
    const xml = fixture('efetch_pubmed_multi_93records_oncology_2019.xml');
    rejects(xml.slice(0, Math.floor(xml.length / 2)), /not well-formed.*unclosed/s);
    rejects(xml.slice(0, xml.lastIndexOf('</PubmedArticleSet>')), /not well-formed/);
  });

  it('another root: an esearch answer, an efetch error envelope', () => {
    rejects(fixture('esearch_pubmed_biopython.xml'), /PubmedArticleSet, got <eSearchResult>/);
    rejects(
      '<?xml version="1.0"?><eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>',
      /<eFetchResult>/,
    );
  });

  it('malformed markup inside a record', () => {
    rejects(editOnce(ERRATUM_IN, '<Language>eng</Language>', '<Language>eng</Lang>'), /not well-formed/);
  });
});

describe('sets that are valid but unusual', () => {
  it('an empty set (efetch of unknown PMIDs) is zero articles, not an error', () => {
    const empty =
      '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n';
    expect(parseArticleSet(`${empty}<PubmedArticleSet/>\n`)).toEqual({
      articles: [],
      deleted: [],
      problems: [],
    });
    expect(parseArticleSet(`${empty}<PubmedArticleSet>\n</PubmedArticleSet>`).articles).toEqual([]);
  });

  it('DeleteCitation PMIDs are reported as deleted', () => {
    const xml = editOnce(
      ERRATUM_IN,
      '</PubmedArticleSet>',
      '<DeleteCitation>\n<PMID Version="1">12345</PMID>\n<PMID Version="1">67890</PMID>\n</DeleteCitation>\n</PubmedArticleSet>',
    );
    const result = parseArticleSet(xml);
    expect(result.deleted).toEqual(['12345', '67890']);
    expect(result.articles.map((article) => article.pmid)).toEqual(['35649368']);
  });

  it('a record without a PMID is a problem with its index and line; the others still map', () => {
    const two = fixture('efetch_pubmed_2records_nct_2018.xml');
    const xml = editOnce(two, '<PMID Version="1">29735362</PMID>', '');
    const result = parseArticleSet(xml);
    expect(result.articles.map((article) => article.pmid)).toEqual(['29730991']);
    const line = two.slice(0, two.indexOf('<PubmedArticle>')).split('\n').length;
    expect(result.problems).toEqual([{ index: 0, line, message: 'record has no PMID' }]);
  });

  it('a PMID that is not a number is a problem that names it', () => {
    const xml = editOnce(
      ERRATUM_IN,
      '<PMID Version="1">35649368</PMID>',
      '<PMID Version="1">35649368a</PMID>',
    );
    expect(parseArticleSet(xml).problems).toEqual([
      { index: 0, line: 4, pmid: '35649368a', message: 'PMID is not a number: "35649368a"' },
    ]);
  });
});

describe('ids: only the record’s own', () => {
  const review = fixture('efetch_pubmed_32051057.xml');
  const ownIds =
    '<ArticleId IdType="pmc">PMC7653990</ArticleId><ArticleId IdType="doi">10.1017/S0954422419000301</ArticleId>';
  const eLocation = '<ELocationID EIdType="doi" ValidYN="Y">10.1017/S0954422419000301</ELocationID>';

  it('with no ids of its own, none of the 149 cited works’ ids leak in', () => {
    const article = onlyArticle(editOnce(editOnce(review, ownIds, ''), eLocation, ''));
    expect(article.doi).toBeUndefined();
    expect(article.pmcid).toBeUndefined();
  });

  it('not even when the ReferenceList comes first', () => {
    const withoutIds = editOnce(editOnce(review, ownIds, ''), eLocation, '');
    const start = withoutIds.indexOf('<ReferenceList>');
    const end = withoutIds.indexOf('</ReferenceList>') + '</ReferenceList>'.length;
    const references = withoutIds.slice(start, end);
    const moved = editOnce(
      withoutIds.slice(0, start) + withoutIds.slice(end),
      '<History>',
      `${references}<History>`,
    );
    const article = onlyArticle(moved);
    expect(article.doi).toBeUndefined();
    expect(article.pmcid).toBeUndefined();
  });

  it('the ELocationID DOI is the fallback, unless marked invalid', () => {
    const noListDoi = editOnce(review, ownIds, '<ArticleId IdType="pmc">PMC7653990</ArticleId>');
    expect(onlyArticle(noListDoi).doi).toBe('10.1017/S0954422419000301');
    const invalid = editOnce(noListDoi, 'EIdType="doi" ValidYN="Y"', 'EIdType="doi" ValidYN="N"');
    expect(onlyArticle(invalid).doi).toBeUndefined();
  });

  it('CommentsCorrections PMIDs never replace the record PMID', () => {
    const article = onlyArticle(ERRATUM_IN);
    expect(article.pmid).toBe('35649368');
    expect(article.notices[0]?.pmid).toBe('35767954');
  });
});

describe('fallbacks when a field is missing', () => {
  it('journal falls back to the full title without an ISOAbbreviation', () => {
    const article = onlyArticle(editOnce(ERRATUM_IN, '<ISOAbbreviation>Cell Rep</ISOAbbreviation>', ''));
    expect(article.journal).toBe('Cell reports');
    expect(article.journalTitle).toBe('Cell reports');
  });

  it('pages fall back to StartPage-EndPage without a MedlinePgn', () => {
    const rct = fixture('efetch_pubmed_rct_phase3_databank_22663011.xml');
    expect(onlyArticle(rct).pages).toBe('107-14');
    expect(onlyArticle(editOnce(rct, '<MedlinePgn>107-14</MedlinePgn>', '')).pages).toBe('107-114');
  });

  it('initials fall back to the ForeName initials', () => {
    const rct = fixture('efetch_pubmed_rct_phase3_databank_22663011.xml');
    const edited = editOnce(
      rct,
      '<ForeName>James M G</ForeName><Initials>JM</Initials>',
      '<ForeName>James M G</ForeName>',
    );
    expect(onlyArticle(edited).authors[12]).toEqual({
      display: 'Larkin JMG',
      lastName: 'Larkin',
      initials: 'JMG',
    });
  });

  it('a book chapter without its own ArticleTitle takes the book title', () => {
    const book = fixture('efetch_pubmedbook_20301577.xml');
    const title = '<ArticleTitle book="gene" part="timothy"><i>CACNA1C</i>-Related Disorders</ArticleTitle>';
    expect(onlyArticle(editOnce(book, title, '')).title).toEqual([
      { text: 'GeneReviews' },
      { text: '®', style: ['sup'] },
    ]);
  });
});
