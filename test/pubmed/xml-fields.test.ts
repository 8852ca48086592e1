// Field formats: author display names, ORCID ids, publication and Entrez dates.
// Pure functions, fed the strings the parser extracts; the fixture-level checks are in xml.test.ts.

import { authorDisplay, entrezDate, orcidOf, pubDateOf, yearOf } from '../../src/pubmed/xml-fields';

describe('authorDisplay', () => {
  it('uses Initials, else derives them from ForeName; appends Suffix', () => {
    expect(authorDisplay({ lastName: 'Gandhi', foreName: 'Leena', initials: 'L' })).toEqual({
      text: 'Gandhi L',
      initials: 'L',
    });
    expect(authorDisplay({ lastName: 'van der Berg', foreName: 'Jan Hendrik' })).toEqual({
      text: 'van der Berg JH',
      initials: 'JH',
    });
    expect(authorDisplay({ lastName: 'Baurain', foreName: 'Jean-François' })?.text).toBe('Baurain JF');
    expect(authorDisplay({ lastName: 'Smith', initials: 'JA', suffix: 'Jr' })?.text).toBe('Smith JA Jr');
    expect(authorDisplay({ lastName: 'Madonna' })).toEqual({ text: 'Madonna' });
    expect(authorDisplay({ foreName: 'Nobody' })).toBeUndefined();
  });
});

describe('orcidOf', () => {
  it.each([
    ['0000-0003-0431-451X', '0000-0003-0431-451X'],
    ['http://orcid.org/0000-0001-9674-7886', '0000-0001-9674-7886'],
    ['https://orcid.org/0000-0002-1825-009x', '0000-0002-1825-009X'],
    ['0000000218250097', '0000-0002-1825-0097'],
    ['not an orcid', undefined],
    ['0000-0002-1825-00977', undefined],
  ])('%s → %s', (input, output) => {
    expect(orcidOf(input)).toBe(output);
  });
});

describe('publication dates', () => {
  it.each([
    [{ year: '2024', month: 'Feb' }, '2024 Feb'],
    [{ year: '2024', month: 'Feb', day: '15' }, '2024 Feb 15'],
    [{ year: '2017', month: '06', day: '05' }, '2017 Jun 5'],
    [{ year: '1990', season: 'Spring' }, '1990 Spring'],
    [{ year: '2013', season: 'Jan-Mar' }, '2013 Jan-Mar'],
    [{ medlineDate: '1998 Dec-1999 Jan' }, '1998 Dec-1999 Jan'],
    [{ year: '2020' }, '2020'],
    [{}, undefined],
  ])('%j → %s', (date, printed) => {
    expect(pubDateOf(date)).toBe(printed);
  });

  it('takes the year from Year, else the first year of a MedlineDate', () => {
    expect(yearOf({ year: '2019', medlineDate: '2018' })).toBe('2019');
    expect(yearOf({ medlineDate: '1998 Dec-1999 Jan' })).toBe('1998');
    expect(yearOf({ medlineDate: 'Winter' })).toBeUndefined();
    expect(yearOf({})).toBeUndefined();
  });

  it('Entrez date is zero-padded YYYY/MM/DD, or absent when incomplete', () => {
    expect(entrezDate({ year: '2013', month: '5', day: '10' })).toBe('2013/05/10');
    expect(entrezDate({ year: '2016', month: '11', day: '1' })).toBe('2016/11/01');
    expect(entrezDate({ year: '2016', month: 'Nov', day: '01' })).toBe('2016/11/01');
    expect(entrezDate({ year: '2016', month: '11' })).toBeUndefined();
    expect(entrezDate({ year: '2016', month: '13', day: '01' })).toBeUndefined();
  });
});
