import type { SearchQuery } from '../../src/core/query';
import { toEntrezTerm, toEsearchSort } from '../../src/pubmed/query';

const q = (over: Partial<SearchQuery>): SearchQuery => ({
  terms: 'pembrolizumab nsclc',
  types: [],
  sort: 'relevance',
  start: 0,
  pageSize: 5,
  ...over,
});

describe('toEntrezTerm', () => {
  it('passes plain terms through untouched when there is no filter', () => {
    expect(toEntrezTerm(q({}))).toBe('pembrolizumab nsclc');
  });

  it('keeps Entrez syntax the user typed: field tags, booleans, quotes, parentheses', () => {
    const terms = '("non-small cell lung cancer"[mh] OR nsclc[tiab]) AND pembrolizumab NOT review[pt]';
    expect(toEntrezTerm(q({ terms }))).toBe(terms);
  });

  it('wraps the terms in parentheses when filters are AND-ed, so their OR keeps its scope', () => {
    expect(toEntrezTerm(q({ terms: 'melanoma OR nevus', types: ['rct'] }))).toBe(
      '(melanoma OR nevus) AND (randomized controlled trial[pt])',
    );
  });

  it('ORs several types in one group, in the order asked, without duplicates', () => {
    expect(toEntrezTerm(q({ types: ['meta', 'sr', 'meta'] }))).toBe(
      '(pembrolizumab nsclc) AND (meta-analysis[pt] OR systematic[sb])',
    );
    expect(toEntrezTerm(q({ types: ['guideline', 'trial', 'case', 'review'] }))).toBe(
      '(pembrolizumab nsclc) AND (guideline[pt] OR practice guideline[pt] OR clinical trial[pt] OR case reports[pt] OR review[pt])',
    );
  });

  it('turns since/until into an inclusive publication-date range with open ends', () => {
    expect(toEntrezTerm(q({ since: 2020 }))).toBe('(pembrolizumab nsclc) AND ("2020"[dp] : "3000"[dp])');
    expect(toEntrezTerm(q({ until: 2015 }))).toBe('(pembrolizumab nsclc) AND ("1800"[dp] : "2015"[dp])');
    expect(toEntrezTerm(q({ since: 2018, until: 2022, types: ['rct'] }))).toBe(
      '(pembrolizumab nsclc) AND (randomized controlled trial[pt]) AND ("2018"[dp] : "2022"[dp])',
    );
  });

  it('trims the terms but does not rewrite them', () => {
    expect(toEntrezTerm(q({ terms: '  her2  breast  ' }))).toBe('her2  breast');
  });
});

describe('toEsearchSort', () => {
  it('maps date to pub_date and relevance to Best Match', () => {
    expect(toEsearchSort('date')).toBe('pub_date');
    expect(toEsearchSort('relevance')).toBe('relevance');
  });
});
