import { parseCommand, type Command } from '../../src/core/commands';
import { decodeCursor, encodeCursor } from '../../src/core/cursor';
import { parseLookupId } from '../../src/core/ids';

const parse = (text: string): Command => parseCommand(text, 2026);

function search(text: string) {
  const command = parse(text);
  if (command.kind !== 'search') throw new Error(`expected a search, got ${JSON.stringify(command)}`);
  return command.query;
}

describe('free text and filters', () => {
  it('is a PubMed search with relevance sort and a page of 5', () => {
    expect(search('immunotherapy liver metastases')).toEqual({
      terms: 'immunotherapy liver metastases',
      types: [],
      sort: 'relevance',
      start: 0,
      pageSize: 5,
    });
  });

  it('passes PubMed syntax through untouched', () => {
    const terms =
      '"liver metastases"[ti] AND (nivolumab[tiab] OR pembrolizumab) NOT review[pt] Gandhi L[au] neoplasms[mh]';
    expect(search(terms).terms).toBe(terms);
  });

  it('takes repeatable type filters, years and sort from anywhere in the text', () => {
    const q = search('type:rct pembrolizumab type:meta nsclc since:2020 until:2024 sort:date');
    expect(q).toMatchObject({
      terms: 'pembrolizumab nsclc',
      types: ['rct', 'meta'],
      since: 2020,
      until: 2024,
      sort: 'date',
    });
  });

  it('does not mistake a quoted colon or a PubMed date range for a filter', () => {
    expect(search('"type:rct" melanoma').terms).toBe('"type:rct" melanoma');
    expect(search('2020:2024[dp] melanoma').terms).toBe('2020:2024[dp] melanoma');
  });

  it('lists the valid values for an unknown type', () => {
    expect(parse('melanoma type:rtc')).toEqual({
      kind: 'invalid',
      message: '"rtc" is not a publication type I know.',
      hint: 'Use type: with one of rct, meta, sr, review, guideline, trial, case.',
    });
  });

  it('refuses malformed years, impossible ranges, unknown sorts and filter-only text', () => {
    expect(parse('melanoma since:20')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('four-digit year'),
    });
    expect(parse('melanoma since:1200')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('outside'),
    });
    expect(parse('melanoma since:2024 until:2020')).toMatchObject({
      kind: 'invalid',
      message: 'since:2024 is after until:2020.',
    });
    expect(parse('melanoma sort:popular')).toMatchObject({
      kind: 'invalid',
      hint: 'Use sort:relevance, sort:date or sort:cited.',
    });
    expect(parse('type:rct since:2020')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Add some words'),
    });
  });

  it('refuses text over 1,000 characters politely', () => {
    const command = parse('a '.repeat(600));
    expect(command).toMatchObject({
      kind: 'invalid',
      message: 'That is 1,199 characters; I take at most 1,000.',
    });
  });

  it('answers help for empty text and for help', () => {
    for (const text of ['', '   ', 'help', 'HELP', '?']) expect(parse(text)).toEqual({ kind: 'help' });
  });
});

describe('exact lookups', () => {
  const cases: [string, ReturnType<typeof parseLookupId>][] = [
    ['29658856', { type: 'pmid', value: '29658856' }],
    ['pmid:29658856', { type: 'pmid', value: '29658856' }],
    ['PMID: 29658856', { type: 'pmid', value: '29658856' }],
    ['https://pubmed.ncbi.nlm.nih.gov/29658856/', { type: 'pmid', value: '29658856' }],
    ['https://www.ncbi.nlm.nih.gov/pubmed/29658856', { type: 'pmid', value: '29658856' }],
    [
      '<https://pubmed.ncbi.nlm.nih.gov/29658856/|pubmed.ncbi.nlm.nih.gov/29658856>',
      { type: 'pmid', value: '29658856' },
    ],
    ['10.1056/NEJMoa1801005', { type: 'doi', value: '10.1056/NEJMoa1801005' }],
    ['doi:10.1056/NEJMoa1801005.', { type: 'doi', value: '10.1056/NEJMoa1801005' }],
    [
      'https://doi.org/10.1016/S0140-6736(18)31473-7',
      { type: 'doi', value: '10.1016/S0140-6736(18)31473-7' },
    ],
    ['https://dx.doi.org/10.1038%2Fs41416-023-02482-w', { type: 'doi', value: '10.1038/s41416-023-02482-w' }],
    ['PMC6081797', { type: 'pmcid', value: 'PMC6081797' }],
    ['pmc6081797', { type: 'pmcid', value: 'PMC6081797' }],
    ['https://pmc.ncbi.nlm.nih.gov/articles/PMC6081797/', { type: 'pmcid', value: 'PMC6081797' }],
    ['https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6081797/', { type: 'pmcid', value: 'PMC6081797' }],
    ['0123', undefined],
    ['melanoma', undefined],
  ];
  it.each(cases)('%s', (text, expected) => expect(parseLookupId(text)).toEqual(expected));

  it('turns a text made only of ids into one show command, in order', () => {
    expect(parse('29658856, 10.1056/NEJMoa1801005 PMC6081797')).toEqual({
      kind: 'show',
      ids: [
        { type: 'pmid', value: '29658856' },
        { type: 'doi', value: '10.1056/NEJMoa1801005' },
        { type: 'pmcid', value: 'PMC6081797' },
      ],
    });
  });

  it('parses the verbs buttons carry', () => {
    expect(parse('show 29658856')).toEqual({ kind: 'show', ids: [{ type: 'pmid', value: '29658856' }] });
    expect(parse('similar 29658856')).toEqual({
      kind: 'similar',
      id: { type: 'pmid', value: '29658856' },
      start: 0,
    });
    expect(parse('share 29658856')).toEqual({ kind: 'share', id: { type: 'pmid', value: '29658856' } });
    expect(parse('cite 29658856')).toEqual({
      kind: 'cite',
      id: { type: 'pmid', value: '29658856' },
      format: 'ama',
    });
    expect(parse('cite 29658856 BibTeX')).toEqual({
      kind: 'cite',
      id: { type: 'pmid', value: '29658856' },
      format: 'bibtex',
    });
    expect(parse('trial KEYNOTE-189')).toEqual({ kind: 'trial', text: 'KEYNOTE-189' });
  });

  it('explains a bad id or format', () => {
    expect(parse('similar melanoma')).toMatchObject({
      kind: 'invalid',
      message: '"melanoma" is not a PMID, DOI or PMCID.',
    });
    expect(parse('cite 29658856 harvard')).toMatchObject({
      kind: 'invalid',
      hint: 'Use one of ama, vancouver, apa, bibtex, ris.',
    });
    expect(parse('show 29658856 melanoma')).toMatchObject({
      kind: 'invalid',
      message: '"melanoma" is not a PMID, DOI or PMCID.',
    });
    expect(parse('more not-a-cursor!')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('expired'),
    });
  });
});

describe('cursors', () => {
  it('round-trip a search and reject tampering', () => {
    const query = {
      terms: 'pembrolizumab',
      types: ['rct' as const],
      since: 2020,
      sort: 'date' as const,
      start: 5,
      pageSize: 5,
    };
    const encoded = encodeCursor({ kind: 'search', query });
    expect(parse(`more ${encoded}`)).toEqual({ kind: 'more', cursor: { kind: 'search', query } });
    const forged = Buffer.from(
      JSON.stringify({ k: 's', t: 'x', y: ['bogus'], o: 'date', s: 0, n: 5 }),
    ).toString('base64url');
    expect(decodeCursor(forged)).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"k":"s"').toString('base64url'))).toBeUndefined();
  });

  it('round-trip similar and trial pages', () => {
    expect(decodeCursor(encodeCursor({ kind: 'similar', pmid: '29658856', start: 10 }))).toEqual({
      kind: 'similar',
      pmid: '29658856',
      start: 10,
    });
    const search = {
      term: 'pembrolizumab',
      status: ['RECRUITING' as const],
      phase: ['PHASE3'],
      pageSize: 5,
      pageToken: 'NF0g5JGBlPMq',
    };
    expect(decodeCursor(encodeCursor({ kind: 'trials', search }))).toEqual({ kind: 'trials', search });
  });
});
