import fs from 'node:fs';
import path from 'node:path';
import type { Article } from '../../src/core/article';
import { CITATION_FORMATS, formatCitation } from '../../src/core/cite';
import { dateParts, fullPageRange, printedJournalTitle } from '../../src/core/csl';
import { parseArticleSet } from '../../src/pubmed/xml';

// Fields as PubMed gives them for KEYNOTE-189 (PMID 29658856), trimmed to what a citation uses.
const article: Article = {
  kind: 'article',
  pmid: '29658856',
  doi: '10.1056/NEJMoa1801005',
  title: [{ text: 'Pembrolizumab plus Chemotherapy in Metastatic Non-Small-Cell Lung Cancer.' }],
  abstract: [],
  authors: [
    { display: 'Gandhi L', lastName: 'Gandhi', initials: 'L' },
    { display: 'Rodríguez-Abreu D', lastName: 'Rodríguez-Abreu', initials: 'D' },
    { display: 'Gadgeel S', lastName: 'Gadgeel', initials: 'S' },
    { display: 'Esteban E', lastName: 'Esteban', initials: 'E' },
    { display: 'Felip E', lastName: 'Felip', initials: 'E' },
    { display: 'De Angelis F', lastName: 'De Angelis', initials: 'F' },
    { display: 'Domine M', lastName: 'Domine', initials: 'M' },
    { display: 'KEYNOTE-189 Investigators', collective: true },
  ],
  journal: 'N Engl J Med',
  journalTitle: 'The New England journal of medicine',
  year: '2018',
  volume: '378',
  issue: '22',
  pages: '2078-2092',
  publicationTypes: ['Journal Article', 'Randomized Controlled Trial'],
  evidence: 'rct',
  retracted: false,
  notices: [],
  mesh: [],
  trials: ['NCT02578680'],
};

it('AMA: three authors, et al, the group after a semicolon, a hyphenated whole page range, the DOI without a final period', () => {
  expect(formatCitation(article, 'ama')).toBe(
    'Gandhi L, Rodríguez-Abreu D, Gadgeel S, et al; KEYNOTE-189 Investigators. Pembrolizumab plus Chemotherapy in Metastatic Non-Small-Cell Lung Cancer. N Engl J Med. 2018;378(22):2078-2092. doi:10.1056/NEJMoa1801005',
  );
});

it('AMA keeps every initial of a multi-initial author', () => {
  const two = { ...article, authors: [{ display: 'Hellmann MD', lastName: 'Hellmann', initials: 'MD' }] };
  expect(formatCitation(two, 'ama')).toMatch(/^Hellmann MD\. /);
});

it('Vancouver comes without the list number', () => {
  const text = formatCitation(article, 'vancouver');
  expect(
    text.startsWith('Gandhi L, Rodríguez-Abreu D, Gadgeel S, Esteban E, Felip E, De Angelis F, et al.'),
  ).toBe(true);
  expect(text).toContain('N Engl J Med. 2018');
});

it('APA names the full journal title', () => {
  expect(formatCitation(article, 'apa')).toContain('(2018). Pembrolizumab plus Chemotherapy');
  expect(formatCitation(article, 'apa')).toContain('https://doi.org/10.1056/NEJMoa1801005');
});

it('BibTeX and RIS carry the identifiers, one RIS tag per line', () => {
  expect(formatCitation(article, 'bibtex')).toMatch(/^@article\{/);
  expect(formatCitation(article, 'bibtex')).toContain('doi = {10.1056/NEJMoa1801005}');
  const ris = formatCitation(article, 'ris');
  expect(ris.split('\n').every((line) => /^[A-Z][A-Z0-9] {2}-/.test(line))).toBe(true);
  expect(ris).toContain('TI  - Pembrolizumab plus Chemotherapy in Metastatic Non-Small-Cell Lung Cancer.');
  expect(ris).toContain('DO  - 10.1056/NEJMoa1801005');
});

// J Clin Oncol as PubMed catalogues it: ISO abbreviation with periods, NLM's title with its subtitle.
const jco: Article = {
  ...article,
  pmid: '12345678',
  journal: 'J. Clin. Oncol.',
  medlineJournal: 'J Clin Oncol',
  journalTitle:
    'Journal of clinical oncology : official journal of the American Society of Clinical Oncology',
  pages: '2078-92',
};

it("AMA and Vancouver cite NLM's MedlineTA, never the ISO abbreviation with periods", () => {
  expect(formatCitation(jco, 'ama')).toContain(' J Clin Oncol. 2018;378(22):2078-2092.');
  expect(formatCitation(jco, 'vancouver')).toContain(
    ' J Clin Oncol. 2018;378(22):2078-92. doi:10.1056/NEJMoa1801005. PMID: 12345678.',
  );
  for (const format of CITATION_FORMATS) expect(formatCitation(jco, format)).not.toContain('J. Clin. Oncol.');
});

it("APA, BibTeX and RIS name the journal as printed, without NLM's subtitle", () => {
  expect(formatCitation(jco, 'apa')).toContain('. Journal of Clinical Oncology, 378(22), 2078–2092.');
  expect(formatCitation(jco, 'bibtex')).toContain('journal = {Journal of Clinical Oncology}');
  expect(formatCitation(jco, 'ris')).toContain('T2  - Journal of Clinical Oncology\n');
  expect(formatCitation(jco, 'ris')).toContain('J2  - J Clin Oncol\n');
});

it('RIS splits the page range into SP and EP and ends with "ER  - " and its space', () => {
  const ris = formatCitation(jco, 'ris');
  expect(ris).toContain('SP  - 2078\nEP  - 2092\n');
  expect(ris.endsWith('\nER  - ')).toBe(true);
  expect(ris.split('\n').every((line) => /^[A-Z][A-Z0-9] {2}- /.test(line))).toBe(true);
});

describe('the warnings a card shows travel with every citation', () => {
  const retracted: Article = {
    ...jco,
    retracted: true,
    notices: [
      { type: 'retraction', about: 'this', pmid: '999001', source: 'Biochem J. 1977;164(1):287-8' },
      { type: 'erratum', about: 'this', pmid: '999002', source: 'N Engl J Med. 2019;381(2):201' },
      { type: 'comment', about: 'this', pmid: '999003' },
    ],
  };

  it.each(['ama', 'vancouver', 'apa'] as const)(
    '%s: the notices follow the reference, retraction first',
    (format) => {
      const text = formatCitation(retracted, format);
      expect(text).toMatch(
        / Retraction in: Biochem J\. 1977;164\(1\):287-8\. PMID: 999001\. Erratum in: N Engl J Med\. 2019;381\(2\):201\. PMID: 999002\.$/,
      );
      // Comments are not warnings.
      expect(text).not.toContain('999003');
    },
  );

  it('BibTeX carries them in note, RIS in N1', () => {
    expect(formatCitation(retracted, 'bibtex')).toContain(
      'note = {Retraction in: Biochem J. 1977;164(1):287-8. PMID: 999001. Erratum in: N Engl J Med. 2019;381(2):201. PMID: 999002.}',
    );
    expect(formatCitation(retracted, 'ris')).toContain(
      'N1  - Retraction in: Biochem J. 1977;164(1):287-8. PMID: 999001.',
    );
  });

  it('an expression of concern, and a retraction known only from the publication type', () => {
    const concern: Article = {
      ...jco,
      notices: [{ type: 'expression-of-concern', about: 'this', pmid: '999004' }],
    };
    expect(formatCitation(concern, 'ama')).toMatch(/ Expression of concern in: PMID: 999004\.$/);
    const typedOnly: Article = { ...jco, retracted: true, publicationTypes: ['Retracted Publication'] };
    for (const format of CITATION_FORMATS)
      expect(formatCitation(typedOnly, format)).toContain('Retracted publication.');
  });

  it('a notice about another record (this one is the retraction notice) is not a warning about this one', () => {
    const notice: Article = { ...jco, notices: [{ type: 'retraction', about: 'other', pmid: '999005' }] };
    for (const format of CITATION_FORMATS) expect(formatCitation(notice, format)).not.toContain('Retract');
  });
});

describe('a book chapter (GeneReviews, PMID 20301577)', () => {
  const chapter = parseArticleSet(
    fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ncbi', 'efetch_pubmedbook_20301577.xml'), 'utf8'),
  ).articles[0] as Article;

  it('AMA: chapter authors, "In:" the editors, eds, the book, publisher; the chapter\'s year', () => {
    expect(formatCitation(chapter, 'ama')).toBe(
      'Napolitano C, Priori SG. CACNA1C-Related Disorders. In: Adam MP, Feldman J, Mirzaa GM, Pagon RA, Wallace SE, Amemiya A, eds. GeneReviews®. University of Washington, Seattle; 2006.',
    );
  });

  it('Vancouver: editors, place: publisher; year', () => {
    expect(formatCitation(chapter, 'vancouver')).toBe(
      'Napolitano C, Priori SG. CACNA1C-Related Disorders. In: Adam MP, Feldman J, Mirzaa GM, Pagon RA, Wallace SE, Amemiya A, editors. GeneReviews®. Seattle (WA): University of Washington, Seattle; 2006. PMID: 20301577.',
    );
  });

  it('APA names the editors as editors; the title is never repeated', () => {
    const apa = formatCitation(chapter, 'apa');
    expect(apa).toContain(
      'In M. P. Adam, J. Feldman, G. M. Mirzaa, R. A. Pagon, S. E. Wallace, & A. Amemiya (Eds.), GeneReviews®.',
    );
    expect(apa.split('CACNA1C-Related Disorders')).toHaveLength(2);
  });

  it('RIS is a chapter (TY CHAP) with its publisher, editors as A2 and the book as T2; BibTeX an @inbook', () => {
    const ris = formatCitation(chapter, 'ris');
    expect(ris).toMatch(/^TY {2}- CHAP\n/);
    expect(ris).toContain('PB  - University of Washington, Seattle\n');
    expect(ris).toContain('A2  - Adam, M P\n');
    expect(ris).toContain('AU  - Napolitano, C\n');
    expect(ris).not.toContain('AU  - Adam');
    expect(ris).toContain('T2  - GeneReviews®\n');
    expect(ris).toContain('PY  - 2006\n');
    expect(formatCitation(chapter, 'bibtex')).toMatch(/^@inbook\{/);
  });
});

describe('the data handed to every style', () => {
  it('printedJournalTitle drops the subtitle and place, title-cases the rest', () => {
    expect(printedJournalTitle('The New England journal of medicine')).toBe(
      'The New England Journal of Medicine',
    );
    expect(printedJournalTitle('Lancet (London, England)')).toBe('Lancet');
    expect(printedJournalTitle('BMJ (Clinical research ed.)')).toBe('BMJ');
    expect(
      printedJournalTitle('Proceedings of the National Academy of Sciences of the United States of America'),
    ).toBe('Proceedings of the National Academy of Sciences of the United States of America');
  });

  it('fullPageRange restores what MEDLINE abbreviates and leaves the rest alone', () => {
    expect(fullPageRange('2078-92')).toBe('2078-2092');
    expect(fullPageRange('112-6')).toBe('112-116');
    expect(fullPageRange('e91-e220')).toBe('e91-e220');
    expect(fullPageRange('e91-220')).toBe('e91-e220');
    expect(fullPageRange('1820')).toBe('1820');
    expect(fullPageRange('S1-S12')).toBe('S1-S12');
  });

  it('dateParts reads a month only where PubMed printed one', () => {
    expect(dateParts({ year: '2018', pubDate: '2018 May 31' })).toEqual([2018, 5, 31]);
    expect(dateParts({ year: '2005', pubDate: '2005 Jan' })).toEqual([2005, 1]);
    expect(dateParts({ year: '1990', pubDate: '1990 Spring' })).toEqual([1990]);
    expect(dateParts({ year: '1998', pubDate: '1998 Dec-1999 Jan' })).toEqual([1998]);
    expect(dateParts({})).toBeUndefined();
  });
});
