// parseArticleSet against every recorded efetch file: counts, PMIDs, and field values read from the files.
// Records' other fields: xml-records; hostile edits: xml-edge, xml-markup; streaming: xml-stream.

import { parseArticleSet } from '../../src/pubmed/xml';
import { articleByPmid, efetchFixtures, fixture, onlyArticle, plain } from './xml-fixtures';

/** Record counts read from the files (PubmedArticle + PubmedBookArticle elements). */
const RECORD_COUNTS: Record<string, number> = {
  'efetch_pubmed_11748933.xml': 2,
  'efetch_pubmed_23657305.xml': 1,
  'efetch_pubmed_24084238.xml': 1,
  'efetch_pubmed_25364329.xml': 1,
  'efetch_pubmed_2records_2013.xml': 2,
  'efetch_pubmed_2records_nct_2018.xml': 2,
  'efetch_pubmed_31588070.xml': 1,
  'efetch_pubmed_32051057.xml': 1,
  'efetch_pubmed_33856845.xml': 1,
  'efetch_pubmed_34529508.xml': 1,
  'efetch_pubmed_34843274.xml': 1,
  'efetch_pubmed_35649368.xml': 1,
  'efetch_pubmed_35726897.xml': 1,
  'efetch_pubmed_35830032.xml': 1,
  'efetch_pubmed_35856662.xml': 1,
  'efetch_pubmed_37167981.xml': 1,
  'efetch_pubmed_37729413.xml': 1,
  'efetch_pubmed_38048813.xml': 1,
  'efetch_pubmed_38962805.xml': 1,
  'efetch_pubmed_39337530.xml': 1,
  'efetch_pubmed_multi_111records_2012.xml': 111,
  'efetch_pubmed_multi_15records_asthma_2012.xml': 15,
  'efetch_pubmed_multi_93records_oncology_2019.xml': 93,
  'efetch_pubmed_rct_phase3_databank_22663011.xml': 1,
  'efetch_pubmed_rct_phase3_databank_29768149.xml': 1,
  'efetch_pubmed_rct_structured_28731372.xml': 1,
  'efetch_pubmed_review_12091962.xml': 2,
  'efetch_pubmed_structured_28775130.xml': 1,
  'efetch_pubmed_structured_italic_title_27797938.xml': 1,
  'efetch_pubmedbook_20301577.xml': 1,
};

/** A record's own PMID is the first element of MedlineCitation / BookDocument. */
const OWN_PMID = /<(?:MedlineCitation|BookDocument)\b[^>]*>\s*<PMID[^>]*>(\d+)<\/PMID>/g;

describe('parseArticleSet over every recorded efetch file', () => {
  it('knows the record count of every efetch fixture', () => {
    expect(efetchFixtures().sort()).toEqual(Object.keys(RECORD_COUNTS).sort());
  });

  it.each(efetchFixtures())('%s: every record maps, none is lost', (name) => {
    const xml = fixture(name);
    const result = parseArticleSet(xml);
    expect(result.problems).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(result.articles).toHaveLength(RECORD_COUNTS[name] ?? -1);
    expect(result.articles.map((article) => article.pmid)).toEqual(
      [...xml.matchAll(OWN_PMID)].map((m) => m[1]),
    );
    for (const article of result.articles) {
      expect(plain(article.title)).not.toBe('');
      expect(article.year).toMatch(/^\d{4}$/);
      expect(article.entrezDate).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
    }
  });
});

describe('titles and abstracts keep their inline markup', () => {
  it('27797938: italic TERT in the title, spaces around it kept', () => {
    const article = onlyArticle(fixture('efetch_pubmed_structured_italic_title_27797938.xml'));
    expect(article.title).toEqual([
      { text: 'Leucocyte telomere length, genetic variants at the ' },
      { text: 'TERT', style: ['italic'] },
      { text: ' gene region and risk of pancreatic cancer.' },
    ]);
    expect(article.abstract.map((section) => section.label)).toEqual([
      'OBJECTIVE',
      'DESIGN',
      'RESULTS',
      'CONCLUSIONS',
    ]);
    expect(article.abstract.every((section) => section.category === undefined)).toBe(true);
    const results = article.abstract[2]?.text ?? [];
    expect(results).toContainEqual({ text: 'trend', style: ['sub'] });
    expect(results).toContainEqual({ text: '2', style: ['sup'] });
    expect(plain(results)).toContain('95% CI 1.07 to 2.78; ptrend=0.048)');
    // CopyrightInformation sits inside <Abstract> but is not abstract text.
    expect(article.abstract.some((section) => plain(section.text).includes('BMJ Publishing'))).toBe(false);
  });

  it('37167981: italic Greek mu decoded from &#x3bc;, subscripts in the abstract', () => {
    const article = onlyArticle(fixture('efetch_pubmed_37167981.xml'));
    expect(article.title).toEqual([
      { text: 'Monte Carlo simulation of micro-x-ray fluorescence (' },
      { text: 'μ', style: ['italic'] },
      { text: '-XRF) based detection of immunomagnetically labeled tumor cells.' },
    ]);
    const abstract = article.abstract[0]?.text ?? [];
    expect(article.abstract).toHaveLength(1);
    expect(abstract[0]).toEqual({ text: 'Objective', style: ['italic'] });
    expect(plain(abstract)).toContain('tagged with Fe3O4@SiO2spherical nanoparticles');
    expect(abstract.filter((span) => span.style?.includes('sub')).map((span) => span.text)).toEqual([
      '3',
      '4',
      '2',
      '3',
      '4',
      '2',
    ]);
  });

  it('35856662: a Greek entity in the title is decoded', () => {
    const article = onlyArticle(fixture('efetch_pubmed_35856662.xml'));
    expect(plain(article.title)).toBe(
      'OXA-48-Like β-Lactamases: Global Epidemiology, Treatment Options, and Development Pipeline.',
    );
  });

  it('28731372: structured abstract labels without NLM categories', () => {
    const article = onlyArticle(fixture('efetch_pubmed_rct_structured_28731372.xml'));
    expect(article.abstract.map((section) => [section.label, section.category])).toEqual([
      ['BACKGROUND', undefined],
      ['OBJECTIVES', undefined],
      ['METHODS', undefined],
      ['RESULTS', undefined],
      ['CONCLUSION', undefined],
    ]);
    expect(article.abstract[1]?.text).toContainEqual({ text: '3', style: ['sub'] });
  });

  it('23657305: labels with their NLM categories', () => {
    const article = onlyArticle(fixture('efetch_pubmed_23657305.xml'));
    expect(article.abstract.map((section) => [section.label, section.category])).toEqual([
      ['CONTEXT', 'BACKGROUND'],
      ['OBJECTIVES', 'OBJECTIVE'],
      ['METHODS', 'METHODS'],
      ['RESULTS', 'RESULTS'],
      ['CONCLUSION', 'CONCLUSIONS'],
    ]);
    expect(plain(article.abstract[3]?.text ?? [])).toContain('(both P<0.05)');
  });

  it('38048813: the vernacular title is kept apart from the English one', () => {
    const article = onlyArticle(fixture('efetch_pubmed_38048813.xml'));
    expect(plain(article.title)).toBe('[A Broader Scope - Bio-Psycho-Social Medicine In Global Focus].');
    expect(article.vernacularTitle).toBe('A Broader Scope – Bio-psycho-soziale Medizin im globalen Fokus.');
    expect(article.languages).toEqual(['ger']);
    expect(article.abstract).toEqual([]);
  });
});

describe('citation fields', () => {
  it('27797938: journal, date, volume, pages, ids, Entrez date', () => {
    const article = onlyArticle(fixture('efetch_pubmed_structured_italic_title_27797938.xml'));
    expect(article).toMatchObject({
      kind: 'article',
      pmid: '27797938',
      doi: '10.1136/gutjnl-2016-312510',
      pmcid: 'PMC5442267',
      journal: 'Gut',
      journalTitle: 'Gut',
      year: '2017',
      pubDate: '2017 Jun',
      volume: '66',
      issue: '6',
      pages: '1116-1122',
      languages: ['eng'],
      entrezDate: '2016/11/01',
    });
    expect(article.authors).toHaveLength(22);
    expect(article.authors[0]).toEqual({ display: 'Bao Y', lastName: 'Bao', initials: 'Y' });
    expect(article.authors[19]?.display).toBe('De Vivo I');
    expect(article.mesh).toHaveLength(21);
    expect(article.notices).toEqual([
      { type: 'comment', about: 'this', pmid: '27920200', source: 'Gut. 2017 Jun;66(6):1' },
    ]);
  });

  it('37167981: no Pagination and no PMCID means no pages and no pmcid (never guessed)', () => {
    const article = onlyArticle(fixture('efetch_pubmed_37167981.xml'));
    expect(article.pages).toBeUndefined();
    expect(article.pmcid).toBeUndefined();
    expect(article.doi).toBe('10.1088/1361-6560/acd48e');
    expect(article.pubDate).toBe('2023 May 30');
    expect(article.entrezDate).toBe('2023/05/11');
  });

  it('seasons and MedlineDate are printed as PubMed prints them', () => {
    const seasons = parseArticleSet(fixture('efetch_pubmed_review_12091962.xml')).articles;
    expect(articleByPmid(seasons, '12091962')).toMatchObject({ year: '1990', pubDate: '1990 Spring' });
    expect(articleByPmid(seasons, '12091962').doi).toBeUndefined();
    expect(articleByPmid(seasons, '9997')).toMatchObject({
      pubDate: '1976 Sep 28',
      doi: '10.1016/0005-2795(76)90109-4',
    });
    expect(onlyArticle(fixture('efetch_pubmed_23657305.xml')).pubDate).toBe('2013 Jan-Mar');
    const old = parseArticleSet(fixture('efetch_pubmed_multi_111records_2012.xml')).articles;
    expect(articleByPmid(old, '15774942')).toMatchObject({ year: '2005', pubDate: '2005 Mar-Apr' });
    expect(articleByPmid(old, '10346867')).toMatchObject({ year: '1999', pubDate: '1999 May-Jun' });
    expect(articleByPmid(old, '9258445')).toMatchObject({ year: '1997', pubDate: '1997 Jul-Aug' });
  });

  it('23657305 (metapub): numeric character references in names are decoded', () => {
    const article = onlyArticle(fixture('efetch_pubmed_23657305.xml'));
    expect(article.authors.map((author) => author.display)).toEqual([
      'Costa-Matos L',
      'Batista P',
      'Monteiro N',
      'Henriques P',
      'Girão F',
      'Carvalho A',
    ]);
    expect(article).toMatchObject({
      doi: '10.1590/s0004-28032013000100008',
      entrezDate: '2013/05/10',
      pages: '35-41',
    });
  });

  it('32051057: DOI and PMCID come from the record, never from its 149 cited works', () => {
    const article = onlyArticle(fixture('efetch_pubmed_32051057.xml'));
    expect(article.doi).toBe('10.1017/S0954422419000301');
    expect(article.pmcid).toBe('PMC7653990');
    expect(article.entrezDate).toBe('2020/02/14');
    expect(article.authors.at(-1)).toEqual({
      display: 'Kell DB',
      lastName: 'Kell',
      initials: 'DB',
      orcid: '0000-0001-5838-7963',
    });
  });

  it('languages are normalised to lower case (ENG/Eng/eng in the 2012 export)', () => {
    const articles = parseArticleSet(fixture('efetch_pubmed_multi_111records_2012.xml')).articles;
    expect(new Set(articles.map((article) => article.languages?.join()))).toEqual(new Set(['eng']));
  });
});
