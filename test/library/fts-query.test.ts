// PubMed-style query text → FTS5 MATCH: every output is run against a real FTS5 table, so a translation
// that SQLite would reject fails here, whatever the input.

import Database from 'better-sqlite3';
import { ARTICLE_QUERY } from '../../src/library/article-index';
import { anyOf, ftsString, toFtsMatch, type FtsQueryOptions } from '../../src/library/fts-query';

const plain: FtsQueryOptions = {
  columns: ['title', 'body'],
  resolveTag: (tag) => (tag === 'ti' ? { columns: ['title'] } : tag === 'skip' ? null : undefined),
};

let db: Database.Database;
let match: (expression: string) => number[];

beforeAll(() => {
  db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2')`);
  const insert = db.prepare('INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)');
  insert.run(1, 'Lung cancer immunotherapy', 'Pembrolizumab in non-small cell lung cancer');
  insert.run(2, 'Breast cancer', 'Trastuzumab and chemotherapy');
  insert.run(3, 'Melanoma', 'BRAF V600E mutation, MEK inhibition; PD-L1 expression');
  insert.run(4, 'Café au lait spots', 'Review of pigmentation');
  const query = db.prepare<[string], number>('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').pluck();
  match = (expression) => query.all(expression);
});
afterAll(() => db.close());

function all(input: string, options: FtsQueryOptions = plain): string {
  const result = toFtsMatch(input, options);
  if (result === undefined) throw new Error(`nothing searchable in ${input}`);
  return result.all;
}

describe('translation', () => {
  it('requires every word, searching the default columns', () => {
    expect(all('lung cancer')).toBe('({title body} : "lung" AND {title body} : "cancer")');
    expect(match(all('lung cancer'))).toEqual([1]);
  });

  it('keeps quoted phrases and field tags, tag attached or spaced', () => {
    expect(match(all('"non-small cell"'))).toEqual([1]);
    expect(match(all('"small non-cell"'))).toEqual([]);
    expect(all('cancer[ti]')).toBe('{title} : "cancer"');
    expect(all('cancer [TI]')).toBe('{title} : "cancer"');
    expect(match(all('pembrolizumab[ti]'))).toEqual([]);
    expect(match(all('pembrolizumab'))).toEqual([1]);
  });

  it('applies a tag to the whole run of bare words before it, as PubMed does', () => {
    expect(all('lung cancer[ti]')).toBe('({title} : "lung" AND {title} : "cancer")');
    expect(all('pembrolizumab lung cancer[ti]')).toBe(
      '({title} : "pembrolizumab" AND {title} : "lung" AND {title} : "cancer")',
    );
    expect(all('pembrolizumab AND lung cancer[ti]')).toBe(
      '({title body} : "pembrolizumab" AND ({title} : "lung" AND {title} : "cancer"))',
    );
    expect(all('"non-small cell" lung[ti]')).toBe('({title body} : "non-small cell" AND {title} : "lung")');
    expect(all('Flaherty[ti] melanoma[ti] cancer')).toBe(
      '({title} : "Flaherty" AND {title} : "melanoma" AND {title body} : "cancer")',
    );
  });

  it('drops terms whose tag means nothing here and ignores unknown tags', () => {
    expect(all('melanoma AND foo[skip]')).toBe('{title body} : "melanoma"');
    expect(all('melanoma[zz]')).toBe('{title body} : "melanoma"');
  });

  it('applies AND/OR/NOT left to right like PubMed, with juxtaposition binding tighter', () => {
    expect(all('lung OR breast AND cancer')).toBe(
      '(({title body} : "lung" OR {title body} : "breast") AND {title body} : "cancer")',
    );
    expect(match(all('lung OR breast AND cancer'))).toEqual([1, 2]);
    expect(match(all('cancer NOT breast'))).toEqual([1]);
    expect(match(all('breast cancer OR melanoma'))).toEqual([2, 3]);
  });

  it('turns PubMed truncation into an FTS5 prefix, but not for very short stems', () => {
    expect(all('immun*')).toBe('{title body} : "immun" *');
    expect(match(all('immun*'))).toEqual([1]);
    expect(all('im*')).toBe('{title body} : "im"');
  });

  it('skips stop words unless they are all there is to search', () => {
    expect(all('the melanoma of')).toBe('{title body} : "melanoma"');
    expect(toFtsMatch('the of and', plain)).toBeUndefined();
  });

  it('folds diacritics and stems like the index does', () => {
    expect(match(all('cafe'))).toEqual([4]);
    expect(match(all('reviews'))).toEqual([4]);
  });

  it('quotes every term, so operators inside words are just text', () => {
    expect(ftsString('say "hi"')).toBe('"say ""hi"""');
    expect(match(all('PD-L1'))).toEqual([3]);
    expect(match(all('V600E'))).toEqual([3]);
  });
});

describe('relaxation when not every word matches', () => {
  it('offers any n-1 of n terms first, down to any one', () => {
    const result = toFtsMatch('melanoma braf trastuzumab', plain);
    expect(result?.relaxed).toHaveLength(2);
    expect(match(result?.all ?? '')).toEqual([]);
    expect(match(result?.relaxed[0] ?? '')).toEqual([3]);
    expect(match(result?.relaxed[1] ?? '')).toEqual([2, 3]);
  });

  it('names the items of a plain list, so any k of some of them can be spelled', () => {
    const result = toFtsMatch('melanoma braf trastuzumab', plain);
    const parts = result?.parts ?? [];
    expect(parts).toHaveLength(3);
    expect(anyOf(parts, 2)).toBe(result?.relaxed[0]);
    expect(match(anyOf(parts.slice(0, 2), 2))).toEqual([3]);
    expect(match(anyOf([parts[2] as string], 1))).toEqual(match(all('trastuzumab')));
    expect(toFtsMatch('cancer NOT breast', plain)?.parts).toBeUndefined();
  });

  it('never loosens what a NOT excludes', () => {
    const result = toFtsMatch('cancer NOT (breast trastuzumab)', plain);
    expect(result?.relaxed).toEqual([]);
    const nested = toFtsMatch('(lung pembrolizumab) NOT (breast trastuzumab)', plain);
    expect(nested?.relaxed[0]).toContain('NOT ({title body} : "breast" AND {title body} : "trastuzumab")');
  });

  it('has nothing to loosen for one term or explicit operators only', () => {
    expect(toFtsMatch('melanoma', plain)?.relaxed).toEqual([]);
    expect(toFtsMatch('melanoma OR lung', plain)?.relaxed).toEqual([]);
  });
});

describe('hostile input never produces an FTS5 syntax error', () => {
  const hostile = [
    '',
    '   ',
    '"',
    '"unbalanced phrase',
    '((((lung',
    'lung))))',
    ')(',
    '()',
    '*',
    '***',
    '-',
    ':',
    '^',
    'NEAR(lung cancer, 2)',
    'NEAR',
    'lung NEAR cancer',
    'title:cancer',
    '{title}:cancer',
    'rowid:1',
    't:lung',
    'AND',
    'OR OR OR',
    'NOT',
    'NOT lung',
    'lung AND',
    'lung NOT',
    'AND OR NOT lung',
    'lung AND OR breast',
    '[ti]',
    'cancer[',
    'cancer[ti',
    '"cancer"[ti]*',
    '- lung -cancer',
    'a + b',
    'lung\u0000cancer',
    '\uE000all',
    '😀 💊',
    'x'.repeat(5000),
    '('.repeat(500) + 'lung' + ')'.repeat(500),
    Array.from({ length: 300 }, (_, i) => `term${i}`).join(' '),
    '"""',
    "O'Brien[au]",
    'lung AND (cancer OR NOT breast)',
    '\\"',
    'cancer*" OR "',
  ];

  it.each(hostile.map((input) => [input.slice(0, 40), input]))('%s', (_label, input) => {
    for (const options of [plain, ARTICLE_QUERY]) {
      const result = toFtsMatch(input, options);
      if (result === undefined) continue;
      const table = options === plain ? 't' : 'a';
      if (table === 'a') {
        db.exec(
          `CREATE VIRTUAL TABLE IF NOT EXISTS a USING fts5(title, mesh, abstract, authors, journal, facets, tokenize='porter unicode61 remove_diacritics 2')`,
        );
      }
      for (const expression of [result.all, ...result.relaxed]) {
        expect(() =>
          db.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).get(expression),
        ).not.toThrow();
      }
    }
  });

  it('caps the number of terms of a pasted wall of text', () => {
    const result = toFtsMatch(Array.from({ length: 300 }, (_, i) => `term${i}`).join(' '), plain);
    expect(result?.all.match(/"term\d+"/g)).toHaveLength(64);
  });

  it('strips private-use characters, which the library reserves for its facet tokens', () => {
    expect(toFtsMatch('\uE000all', ARTICLE_QUERY)?.all).toBe('"all"');
  });

  it('uses the "everything" expression for a leading NOT when it has one, and drops the NOT otherwise', () => {
    expect(toFtsMatch('NOT review[pt]', ARTICLE_QUERY)?.all).toBe('("\uE000all" NOT "\uE000freview")');
    expect(toFtsMatch('NOT lung', plain)).toBeUndefined();
  });
});
