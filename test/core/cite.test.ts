import type { Article } from '../../src/core/article';
import { formatCitation } from '../../src/core/cite';

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

it('AMA lists three authors then et al., the abbreviated journal and the DOI without a final period', () => {
  expect(formatCitation(article, 'ama')).toBe(
    'Gandhi L, Rodríguez-Abreu D, Gadgeel S, et al. Pembrolizumab plus Chemotherapy in Metastatic Non-Small-Cell Lung Cancer. N Engl J Med. 2018;378(22):2078–2092. doi:10.1056/NEJMoa1801005',
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
