// The MEDLINE-format reader on PubMed "Save → PubMed format" exports: every expected value below was read
// from the fixture files by hand.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Article } from '../../../src/core/article';
import type { ImportItem } from '../../../src/library/import/items';
import { readLines } from '../../../src/library/import/lines';
import { looksLikeMedline, streamMedline } from '../../../src/library/import/medline';
import { abstractSections } from '../../../src/library/import/medline-record';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'medline');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

async function read(text: string, chunkSize = 7): Promise<ImportItem[]> {
  // Small chunks: lines and UTF-8 characters split across chunk boundaries must not matter.
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const items: ImportItem[] = [];
  for await (const item of streamMedline(readLines(Readable.from(chunks)))) items.push(item);
  return items;
}

async function articles(text: string): Promise<Article[]> {
  return (await read(text)).flatMap((item) => (item.kind === 'article' ? [item.article] : []));
}

describe('pubmed_result1.txt (one record)', () => {
  let article: Article;
  beforeAll(async () => {
    [article] = (await articles(fixture('medline_pubmed_result1.txt'))) as [Article];
  });

  it('reads identifiers, title, citation and dates', () => {
    expect(article).toMatchObject({
      kind: 'article',
      pmid: '12230038',
      title: [{ text: 'The Bio* toolkits--a brief overview.' }],
      journal: 'Brief Bioinform',
      journalTitle: 'Briefings in bioinformatics',
      medlineJournal: 'Brief Bioinform',
      pubDate: '2002 Sep',
      year: '2002',
      volume: '3',
      issue: '3',
      pages: '296-302',
      languages: ['eng'],
      entrezDate: '2002/09/17',
      publicationTypes: ['Journal Article'],
      evidence: 'other',
      retracted: false,
      notices: [],
      trials: [],
    });
    expect(article.doi).toBeUndefined();
    expect(article.pmcid).toBeUndefined();
  });

  it('joins wrapped abstract lines into one unstructured section', () => {
    expect(article.abstract).toHaveLength(1);
    expect(article.abstract[0]?.label).toBeUndefined();
    const text = article.abstract[0]?.text[0]?.text ?? '';
    expect(
      text.startsWith(
        'Bioinformatics research is often difficult to do with commercial software. The Open Source',
      ),
    ).toBe(true);
    expect(text.endsWith('particularly from the point of view of the beginning biologist programmer.')).toBe(
      true,
    );
  });

  it('pairs FAU with AU and lists major MeSH topics first', () => {
    expect(article.authors).toEqual([{ display: 'Mangalam H', lastName: 'Mangalam', initials: 'H' }]);
    expect(article.mesh.map((m) => `${m.major ? '*' : ''}${m.descriptor}`)).toEqual([
      '*Computational Biology',
      '*Programming Languages',
      '*Software',
      'Computer Systems',
      'Humans',
      'Internet',
      'User-Computer Interface',
    ]);
  });
});

describe('pubmed_result2.txt (four records)', () => {
  let list: Article[];
  beforeAll(async () => {
    list = await articles(fixture('medline_pubmed_result2.txt'));
  });

  it('reads every record in order', () => {
    expect(list.map((a) => a.pmid)).toEqual(['16403221', '16377612', '14871861', '14630660']);
  });

  it('splits a structured abstract at its labels', () => {
    const [first] = list as [Article];
    expect(first.abstract.map((s) => s.label)).toEqual(['BACKGROUND', 'RESULTS', 'CONCLUSION']);
    expect(first.abstract[2]?.text[0]?.text).toBe(
      'The modules make the analysis and generation of datasets for use in structural genomics easier and more principled.',
    );
    expect(list[1]?.abstract.map((s) => s.label)).toEqual([
      'SUMMARY',
      'AVAILABILITY',
      'SUPPLEMENTARY INFORMATION',
    ]);
  });

  it('does not split an abstract that does not start with a label', () => {
    const last = list[3] as Article;
    expect(last.abstract).toHaveLength(1);
    expect(last.abstract[0]?.text[0]?.text).toContain(
      'detect obvious errors. AVAILABILITY: The Biopython distribution',
    );
  });

  it('takes the DOI from AID [doi], not the pii, and the PMCID from PMC', () => {
    expect(list[0]).toMatchObject({
      doi: '10.1186/1471-2105-7-10',
      pmcid: 'PMC1373603',
      year: '2006',
      pubDate: '2006',
    });
    expect(list[1]).toMatchObject({
      doi: '10.1093/bioinformatics/btk021',
      pages: '616-7',
      issue: '5',
      volume: '22',
    });
    expect(list[2]?.doi).toBe('10.1093/bioinformatics/bth078');
  });

  it('keeps particles in last names and the AU display form', () => {
    expect(list[2]?.authors[0]).toEqual({ display: 'de Hoon MJ', lastName: 'de Hoon', initials: 'MJ' });
    expect(list[0]?.authors.map((a) => a.display)).toEqual(['Casbon JA', 'Crooks GE', 'Saqi MA']);
  });

  it('reads MeSH qualifiers and marks a heading major when a qualifier is starred', () => {
    expect(list[3]?.mesh.find((m) => m.descriptor === 'Information Storage and Retrieval')).toEqual({
      descriptor: 'Information Storage and Retrieval',
      major: true,
      qualifiers: ['methods', 'standards'],
    });
    expect(list[3]?.mesh.find((m) => m.descriptor === 'Macromolecular Substances')).toEqual({
      descriptor: 'Macromolecular Substances',
      major: false,
    });
  });
});

describe('pubmed_result3.txt', () => {
  it('joins a wrapped MeSH heading and reads the DOI from LID/AID', async () => {
    const [article] = (await articles(fixture('medline_pubmed_result3.txt'))) as [Article];
    expect(article.pmid).toBe('23039619');
    expect(article.doi).toBe('10.1118/1.4748329');
    expect(article.mesh[0]).toEqual({
      descriptor: 'High-Intensity Focused Ultrasound Ablation',
      major: true,
      qualifiers: ['adverse effects', 'instrumentation', 'methods'],
    });
    expect(article.abstract.map((s) => s.label)).toEqual(['PURPOSE', 'METHODS', 'RESULTS', 'CONCLUSIONS']);
    expect(
      article.abstract[2]?.text[0]?.text.startsWith('Based on the results of the fast-scanning method'),
    ).toBe(true);
    expect(article.entrezDate).toBe('2012/10/09');
  });
});

describe('comments, corrections and retractions', () => {
  // The fixture record with links added the way PubMed prints them (a wrapped PMID included).
  const withLinks = (lines: string[]): string =>
    fixture('medline_pubmed_result1.txt').replace('PST - ppublish', [...lines, 'PST - ppublish'].join('\n'));

  it('RIN means this record was retracted', async () => {
    const [article] = (await articles(
      withLinks([
        'RIN - Brief Bioinform. 2003 Jan;4(1):99. doi: 10.1093/bib/4.1.99. PMID:',
        '      12345678',
      ]),
    )) as [Article];
    expect(article.retracted).toBe(true);
    expect(article.notices).toEqual([
      {
        type: 'retraction',
        about: 'this',
        pmid: '12345678',
        source: 'Brief Bioinform. 2003 Jan;4(1):99. doi: 10.1093/bib/4.1.99',
      },
    ]);
    expect(article.doi).toBeUndefined();
  });

  it('ROF means this record IS the retraction notice: not retracted itself', async () => {
    const [article] = (await articles(
      withLinks(['ROF - Brief Bioinform. 2001;2(1):1-2. PMID: 11111111']),
    )) as [Article];
    expect(article.retracted).toBe(false);
    expect(article.notices).toEqual([
      { type: 'retraction', about: 'other', pmid: '11111111', source: 'Brief Bioinform. 2001;2(1):1-2' },
    ]);
  });

  it('maps errata, concerns, comments and updates with their direction', async () => {
    const [article] = (await articles(
      withLinks([
        'EIN - Brief Bioinform. 2002 Dec;3(4):400. PMID: 22222222',
        'EFR - Other. 2001. PMID: 33333333',
        'ECI - Brief Bioinform. 2004;5:1. PMID: 44444444',
        'CIN - Nat Rev Genet. 2002;3:700.',
        'CON - Other. 2000. PMID: 55555555',
        'UIN - Brief Bioinform. 2010;11:1. PMID: 66666666',
      ]),
    )) as [Article];
    expect(article.retracted).toBe(false);
    expect(article.notices.map((n) => [n.type, n.about, n.pmid])).toEqual([
      ['erratum', 'this', '22222222'],
      ['erratum', 'other', '33333333'],
      ['expression-of-concern', 'this', '44444444'],
      ['comment', 'this', undefined],
      ['comment', 'other', '55555555'],
      ['update', 'this', '66666666'],
    ]);
    expect(article.notices[3]?.source).toBe('Nat Rev Genet. 2002;3:700.');
  });

  it('collects NCT ids from SI and the abstract, and reads collective authors in order', async () => {
    const text = fixture('medline_pubmed_result1.txt')
      .replace('LA  - eng', 'CN  - METRIC Study Group\nLA  - eng')
      .replace('PL  - England', 'SI  - ClinicalTrials.gov/NCT01245062\nPL  - England')
      .replace('programmer.', 'programmer. Registered as NCT02149199.');
    const [article] = (await articles(text)) as [Article];
    expect(article.trials).toEqual(['NCT01245062', 'NCT02149199']);
    expect(article.authors.map((a) => a.display)).toEqual(['Mangalam H', 'METRIC Study Group']);
    expect(article.authors[1]?.collective).toBe(true);
  });
});

describe('broken records', () => {
  it('reports a broken record with its position and reads on', async () => {
    const records = fixture('medline_pubmed_result2.txt').split(/\n(?=PMID- )/);
    // The second record loses its PMID line's tag: the record is garbage, the others are fine.
    // records[0] is the blank text before the first PMID line.
    records[2] = (records[2] as string).replace('PMID- 16377612', '<html>PMID 16377612');
    const items = await read(records.join('\n'));
    const problems = items.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []));
    expect(items.flatMap((i) => (i.kind === 'article' ? [i.article.pmid] : []))).toEqual([
      '16403221',
      '14871861',
      '14630660',
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ index: 1, line: 67 });
    expect(problems[0]?.message).toMatch(/line 67: not a MEDLINE field/);
  });

  it('reports a record whose PMID is not a number', async () => {
    const items = await read(
      fixture('medline_pubmed_result1.txt').replace('PMID- 12230038', 'PMID- 12230O38'),
    );
    expect(items).toEqual([
      {
        kind: 'problem',
        problem: { index: 0, line: 2, id: '12230O38', message: 'PMID is not a number: "12230O38"' },
      },
    ]);
  });

  it('reads a file with CRLF line ends and a BOM the same way', async () => {
    const crlf = '\uFEFF' + fixture('medline_pubmed_result2.txt').replace(/\n/g, '\r\n');
    expect((await articles(crlf)).map((a) => a.pmid)).toEqual([
      '16403221',
      '16377612',
      '14871861',
      '14630660',
    ]);
  });
});

describe('sniffing and labels', () => {
  it('recognises a MEDLINE file by its first line', () => {
    expect(looksLikeMedline(fixture('medline_pubmed_result1.txt'))).toBe(true);
    expect(looksLikeMedline('<?xml version="1.0"?>')).toBe(false);
    expect(looksLikeMedline('PMID is a PubMed identifier')).toBe(false);
  });

  it('does not take a short capitalised word for a heading', () => {
    expect(abstractSections('HIV: a review. CD4: counts. RESULTS: none.')).toHaveLength(1);
  });
});
