// The grammar the signals add: sort:cited (and its aliases), cited-by and references like "similar", and
// their "more" cursors surviving a round trip through a button.

import { parseCommand, type Command } from '../../src/core/commands';
import { decodeCursor, encodeCursor } from '../../src/core/cursor';

const parse = (text: string): Command => parseCommand(text, 2026);

it('sort:cited, sort:citations and sort:most-cited order by citations', () => {
  for (const word of ['cited', 'citations', 'most-cited'])
    expect(parse(`pembrolizumab sort:${word}`)).toMatchObject({
      kind: 'search',
      query: { terms: 'pembrolizumab', sort: 'cited' },
    });
});

it('cited-by and references take a PMID, DOI or PMCID, as similar does', () => {
  expect(parse('cited-by 29658856')).toEqual({
    kind: 'works',
    list: 'cited-by',
    id: { type: 'pmid', value: '29658856' },
    start: 0,
  });
  expect(parse('references 10.1056/NEJMoa1801005')).toMatchObject({
    kind: 'works',
    list: 'references',
    id: { type: 'doi' },
  });
  expect(parse('refs PMC6081797')).toMatchObject({
    kind: 'works',
    list: 'references',
    id: { type: 'pmcid' },
  });
  expect(parse('cited-by melanoma')).toMatchObject({
    kind: 'invalid',
    message: '"melanoma" is not a PMID, DOI or PMCID.',
  });
  expect(parse('cited-by')).toMatchObject({ kind: 'invalid', hint: 'For example: cited-by 29658856' });
});

it('their cursors and a sort:cited search cursor round-trip; a forged one does not', () => {
  const cursor = { kind: 'works' as const, list: 'cited-by' as const, pmid: '24073682', start: 5 };
  expect(parse(`more ${encodeCursor(cursor)}`)).toEqual({ kind: 'more', cursor });
  const refs = { kind: 'works' as const, list: 'references' as const, pmid: '28815688', start: 10 };
  expect(decodeCursor(encodeCursor(refs))).toEqual(refs);
  const query = { terms: 'x', types: [], sort: 'cited' as const, start: 5, pageSize: 5 };
  expect(decodeCursor(encodeCursor({ kind: 'search', query }))).toEqual({ kind: 'search', query });
  const forged = Buffer.from(JSON.stringify({ k: 'c', p: 'DROP', s: 0 })).toString('base64url');
  expect(decodeCursor(forged)).toBeUndefined();
});
