// Each citation style against the examples its manual prints (test/fixtures/citations/manual-examples.json):
// the manual's text is the expectation, so a style rule that drifts fails here, not in a pasted slide.

import fs from 'node:fs';
import path from 'node:path';
import type { Article, Author } from '../../../src/core/article';
import { formatCitation } from '../../../src/core/cite';
import type { CitationFormat } from '../../../src/core/reply';

interface Example {
  style: CitationFormat;
  source: string;
  record: {
    pmid?: string;
    doi?: string;
    authors: string[];
    title: string;
    journal?: string;
    journalTitle?: string;
    year: string;
    pubDate?: string;
    volume: string;
    issue: string;
    pages: string;
  };
  expected: string;
}

const FILE = path.join(__dirname, '..', '..', 'fixtures', 'citations', 'manual-examples.json');
const { examples } = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { examples: Example[] };

function author(display: string): Author {
  if (display.startsWith('*')) return { display: display.slice(1), collective: true };
  const split = display.lastIndexOf(' ');
  return { display, lastName: display.slice(0, split), initials: display.slice(split + 1) };
}

function articleOf(record: Example['record']): Article {
  const { authors, title, pmid, ...rest } = record;
  return {
    kind: 'article',
    // Where the manual prints no PMID none is invented; the field is required, so it holds a marker.
    pmid: pmid ?? 'none',
    title: [{ text: title }],
    abstract: [],
    authors: authors.map(author),
    publicationTypes: ['Journal Article'],
    evidence: 'other',
    retracted: false,
    notices: [],
    mesh: [],
    trials: [],
    ...rest,
    ...(record.journal ? { medlineJournal: record.journal } : {}),
  };
}

it('the fixture holds an example for each text style', () => {
  expect(new Set(examples.map((e) => e.style))).toEqual(new Set(['ama', 'vancouver', 'apa']));
});

it.each(examples.map((e) => [e.style, e.source, e] as const))('%s: %s', (style, _source, example) => {
  const text = formatCitation(articleOf(example.record), style);
  expect(text.slice(0, example.expected.length)).toBe(example.expected);
  if (style === 'vancouver') {
    const tail = text.slice(example.expected.length);
    const doi = example.record.doi ? ` doi:${example.record.doi}.` : '';
    const pmid = example.record.pmid ? ` PMID: ${example.record.pmid}.` : ' PMID: none.';
    expect(tail).toBe(`${doi}${pmid}`);
  } else {
    expect(text).toBe(example.expected);
  }
});
