// parseArticleSet: authors, corrections, evidence, MeSH, trials and book records, checked against the files.
// Expected values were read from the fixture XML by hand; none is a snapshot of the parser's output.

import { parseArticleSet } from '../../src/pubmed/xml';
import { articleByPmid, fixture, onlyArticle, plain } from './xml-fixtures';

describe('authors', () => {
  it('34843274: a CollectiveName is one collective author', () => {
    const article = onlyArticle(fixture('efetch_pubmed_34843274.xml'));
    expect(article.authors).toEqual([
      { display: 'Guideline Development Panel for the Treatment of Depressive Disorders', collective: true },
    ]);
  });

  it('22663011: persons then the study group; ORCID-less authors carry no orcid', () => {
    const article = onlyArticle(fixture('efetch_pubmed_rct_phase3_databank_22663011.xml'));
    expect(article.authors).toHaveLength(26);
    expect(article.authors[0]).toEqual({ display: 'Flaherty KT', lastName: 'Flaherty', initials: 'KT' });
    expect(article.authors[17]?.display).toBe('Becker JC');
    expect(article.authors.at(-1)).toEqual({ display: 'METRIC Study Group', collective: true });
  });

  it('16786252: an author with ValidYN="N" is left out', () => {
    const articles = parseArticleSet(fixture('efetch_pubmed_multi_111records_2012.xml')).articles;
    expect(articleByPmid(articles, '16786252').authors.map((author) => author.display)).toEqual([
      'Lin DH',
      'Lin YF',
      'Chai HM',
      'Han YC',
      'Jan MH',
    ]);
  });

  it('10807180: a Suffix is appended to the display name', () => {
    const articles = parseArticleSet(fixture('efetch_pubmed_multi_111records_2012.xml')).articles;
    expect(articleByPmid(articles, '10807180').authors[5]).toEqual({
      display: 'Bezougli I I',
      lastName: 'Bezougli',
      initials: 'I',
    });
  });

  it('ORCIDs are bare ids, whether given bare or as an http://orcid.org/ URL', () => {
    expect(onlyArticle(fixture('efetch_pubmed_35830032.xml')).authors[1]).toEqual({
      display: 'Domingues G',
      lastName: 'Domingues',
      initials: 'G',
      orcid: '0000-0003-0431-451X',
    });
    const articles = parseArticleSet(fixture('efetch_pubmed_multi_93records_oncology_2019.xml')).articles;
    expect(articleByPmid(articles, '30413706').authors).toContainEqual({
      display: 'Zhang X',
      lastName: 'Zhang',
      initials: 'X',
      orcid: '0000-0001-9674-7886',
    });
  });
});

describe('corrections and comments (direction matters)', () => {
  it('35649368: ErratumIn — an erratum was published about this record; it is not retracted', () => {
    const article = onlyArticle(fixture('efetch_pubmed_35649368.xml'));
    expect(article.notices).toEqual([
      {
        type: 'erratum',
        about: 'this',
        pmid: '35767954',
        source: 'Cell Rep. 2022 Jun 28;39(13):111044. doi: 10.1016/j.celrep.2022.111044.',
      },
    ]);
    expect(article.retracted).toBe(false);
  });

  it('38962805: a Published Erratum points at the record it corrects and is not retracted', () => {
    const article = onlyArticle(fixture('efetch_pubmed_38962805.xml'));
    expect(article.publicationTypes).toEqual(['Journal Article', 'Published Erratum']);
    expect(article.notices).toEqual([
      {
        type: 'erratum',
        about: 'other',
        pmid: '38446048',
        source: 'AIDS Care. 2024 Jul;36(sup1):24-35. doi: 10.1080/09540121.2024.2308745.',
      },
    ]);
    expect(article.retracted).toBe(false);
    expect(article.evidence).toBe('other');
    expect(article.authors).toEqual([]);
    expect(article.entrezDate).toBe('2024/07/04');
    expect(plain(article.title)).toBe('Correction.');
  });

  it('34529508: CommentOn — this editorial comments on another record', () => {
    const article = onlyArticle(fixture('efetch_pubmed_34529508.xml'));
    expect(article.publicationTypes).toEqual(['Editorial', 'Comment']);
    expect(article.notices).toEqual([
      {
        type: 'comment',
        about: 'other',
        pmid: '34473563',
        source: 'Am J Public Health. 2021 Oct;111(10):1815-1823. doi: 10.2105/AJPH.2021.306412.',
      },
    ]);
  });

  it('27797938: 48 Cites links are ignored, the one CommentIn is kept', () => {
    const xml = fixture('efetch_pubmed_structured_italic_title_27797938.xml');
    expect(xml.match(/RefType="Cites"/g)).toHaveLength(48);
    expect(onlyArticle(xml).notices).toHaveLength(1);
  });

  it('16786252: an ErratumIn without a PMID keeps its RefSource', () => {
    const articles = parseArticleSet(fixture('efetch_pubmed_multi_111records_2012.xml')).articles;
    expect(articleByPmid(articles, '16786252').notices).toEqual([
      { type: 'erratum', about: 'this', source: 'Clin Rheumatol. 2007 Apr;26(4):617' },
    ]);
  });
});

describe('evidence', () => {
  it.each([
    ['efetch_pubmed_35830032.xml', 'meta-analysis'], // Journal Article, Meta-Analysis, Review
    ['efetch_pubmed_37729413.xml', 'meta-analysis'],
    ['efetch_pubmed_33856845.xml', 'systematic-review'],
    ['efetch_pubmed_rct_phase3_databank_22663011.xml', 'rct'], // Phase III + Multicenter + RCT
    ['efetch_pubmed_rct_structured_28731372.xml', 'rct'],
    ['efetch_pubmed_24084238.xml', 'review'],
    ['efetch_pubmed_25364329.xml', 'case-report'],
    ['efetch_pubmed_35726897.xml', 'letter'], // Letter
    ['efetch_pubmed_34529508.xml', 'editorial'], // Editorial, Comment
    ['efetch_pubmed_34843274.xml', 'other'], // a guideline panel, but not typed Guideline
  ])('%s → %s', (name, evidence) => {
    expect(onlyArticle(fixture(name)).evidence).toBe(evidence);
  });

  it('35830032: publication types in record order', () => {
    expect(onlyArticle(fixture('efetch_pubmed_35830032.xml')).publicationTypes).toEqual([
      'Journal Article',
      'Meta-Analysis',
      'Review',
    ]);
  });
});

describe('MeSH', () => {
  it('23657305: topics major through a qualifier come first, record order otherwise', () => {
    const mesh = onlyArticle(fixture('efetch_pubmed_23657305.xml')).mesh;
    expect(mesh.map((topic) => topic.descriptor)).toEqual([
      'Histocompatibility Antigens Class I',
      'Iron Overload',
      'Liver Diseases, Alcoholic',
      'Membrane Proteins',
      'Case-Control Studies',
      'Female',
      'Genotype',
      'Hemochromatosis Protein',
      'Humans',
      'Male',
      'Middle Aged',
      'Severity of Illness Index',
    ]);
    expect(mesh[1]).toEqual({
      descriptor: 'Iron Overload',
      major: true,
      qualifiers: ['genetics', 'pathology'],
    });
    expect(mesh[4]).toEqual({ descriptor: 'Case-Control Studies', major: false });
  });

  it('35830032: a descriptor flagged major makes the topic major', () => {
    const mesh = onlyArticle(fixture('efetch_pubmed_35830032.xml')).mesh;
    expect(mesh.filter((topic) => topic.major).map((topic) => topic.descriptor)).toEqual([
      'Dementia',
      'Kidney Diseases',
      'Stomach Neoplasms',
    ]);
    expect(mesh[0]).toEqual({
      descriptor: 'Dementia',
      major: true,
      qualifiers: ['chemically induced', 'drug therapy'],
    });
  });
});

describe('trials', () => {
  it.each([
    ['efetch_pubmed_rct_phase3_databank_22663011.xml', ['NCT01245062']], // DataBank + abstract, once
    ['efetch_pubmed_rct_phase3_databank_29768149.xml', ['NCT02149199']],
  ])('%s → %j', (name, trials) => {
    expect(onlyArticle(fixture(name)).trials).toEqual(trials);
  });

  it('DataBank ids in the multi-record files; GENBANK and PDB accessions are not trials', () => {
    const nct2018 = parseArticleSet(fixture('efetch_pubmed_2records_nct_2018.xml')).articles;
    expect(articleByPmid(nct2018, '29730991').trials).toEqual(['NCT02233634']);
    expect(articleByPmid(nct2018, '29735362').trials).toEqual([]);
    const asthma = parseArticleSet(fixture('efetch_pubmed_multi_15records_asthma_2012.xml')).articles;
    expect(asthma.flatMap((article) => article.trials)).toEqual(['NCT00881296']);
    const oncology = parseArticleSet(fixture('efetch_pubmed_multi_93records_oncology_2019.xml')).articles;
    expect(oncology.filter((article) => article.trials.length > 0).map((a) => [a.pmid, a.trials])).toEqual([
      ['29514256', ['NCT01095302']],
    ]);
  });

  it('35856662: the four NCT ids of its ReferenceList belong to cited works, not to this review', () => {
    const xml = fixture('efetch_pubmed_35856662.xml');
    expect(new Set(xml.match(/NCT\d{8}/g))).toEqual(
      new Set(['NCT03630081', 'NCT02979951', 'NCT03840148', 'NCT04979806']),
    );
    expect(onlyArticle(xml).trials).toEqual([]);
  });
});

describe('journal names', () => {
  it("17284678: ISO abbreviation with periods for display, NLM's MedlineTA without them for citations", () => {
    const articles = parseArticleSet(fixture('efetch_pubmed_2records_2013.xml')).articles;
    const article = articleByPmid(articles, '17284678');
    expect(article.journal).toBe('Genome Res.');
    expect(article.medlineJournal).toBe('Genome Res');
  });
});

describe('book chapters (PubmedBookArticle)', () => {
  it('20301577: GeneReviews chapter', () => {
    const book = onlyArticle(fixture('efetch_pubmedbook_20301577.xml'));
    expect(book).toMatchObject({
      kind: 'book',
      pmid: '20301577',
      journal: 'GeneReviews®',
      journalTitle: 'GeneReviews®',
      bookTitle: 'GeneReviews®',
      publisher: 'University of Washington, Seattle',
      publisherLocation: 'Seattle (WA)',
      // The chapter's own date (ContributionDate 2006), not the series' start; PubDate stays the book's.
      year: '2006',
      pubDate: '1993',
      publicationTypes: ['Review'],
      evidence: 'review',
      retracted: false,
      languages: ['eng'],
      entrezDate: '2024/12/19',
      mesh: [],
      trials: [],
    });
    expect(book.title).toEqual([{ text: 'CACNA1C', style: ['italic'] }, { text: '-Related Disorders' }]);
    // The chapter's authors, not the book's six editors, who are kept apart.
    expect(book.authors.map((author) => author.display)).toEqual(['Napolitano C', 'Priori SG']);
    expect(book.editors?.map((editor) => editor.display)).toEqual([
      'Adam MP',
      'Feldman J',
      'Mirzaa GM',
      'Pagon RA',
      'Wallace SE',
      'Amemiya A',
    ]);
    expect(book.abstract.map((section) => section.label)).toEqual([
      'CLINICAL CHARACTERISTICS',
      'DIAGNOSIS/TESTING',
      'MANAGEMENT',
      'GENETIC COUNSELING',
    ]);
    expect(book.abstract[2]?.text[0]).toEqual({ text: 'Treatment of manifestations:', style: ['italic'] });
    // Only a bookaccession id and cited works' ids: no DOI, no PMCID of its own.
    expect(book.doi).toBeUndefined();
    expect(book.pmcid).toBeUndefined();
  });

  it('a whole edited book (no chapter title, no chapter authors): its editors are never its authors', () => {
    const xml = fixture('efetch_pubmedbook_20301577.xml')
      .replace(/<ArticleTitle[^>]*>[\s\S]*?<\/ArticleTitle>/, '')
      .replace(/<AuthorList Type="authors"[\s\S]*?<\/AuthorList>/, '')
      .replace(/<ContributionDate>[\s\S]*?<\/ContributionDate>/, '');
    const book = onlyArticle(xml);
    expect(book.authors).toEqual([]);
    expect(book.editors).toHaveLength(6);
    expect(book.bookTitle).toBeUndefined();
    expect(book.year).toBe('1993');
  });
});
