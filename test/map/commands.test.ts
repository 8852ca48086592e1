// `map <query>` in the one grammar: the words and years of a search, no type: or sort: (a map counts
// every type itself), and friendly refusals.

import { parseCommand } from '../../src/core/commands';
import { mapYears } from '../../src/core/evidence-map';

const parse = (text: string) => parseCommand(text, 2026);

describe('map grammar', () => {
  it('takes the words of a search', () => {
    expect(parse('map pembrolizumab nsclc')).toEqual({
      kind: 'map',
      query: { terms: 'pembrolizumab nsclc' },
    });
  });

  it('takes since: and until: anywhere, and PubMed syntax untouched', () => {
    expect(parse('MAP since:2015 "liver metastases"[ti] AND nivolumab until:2024')).toEqual({
      kind: 'map',
      query: { terms: '"liver metastases"[ti] AND nivolumab', since: 2015, until: 2024 },
    });
  });

  it('refuses type: with a reason, since the map is by type', () => {
    const c = parse('map pembrolizumab type:rct');
    expect(c).toMatchObject({ kind: 'invalid', hint: 'For example: map pembrolizumab nsclc since:2015' });
    expect(c.kind === 'invalid' && c.message).toMatch(/already counts every type of study/);
  });

  it('refuses sort:, which changes nothing about counts', () => {
    expect(parse('map melanoma sort:date')).toMatchObject({ kind: 'invalid' });
  });

  it('asks for words when there are none, or only filters', () => {
    expect(parse('map')).toMatchObject({ kind: 'invalid', message: '"map" needs words to map.' });
    expect(parse('map since:2020')).toMatchObject({
      kind: 'invalid',
      message: 'Add some words to search for, not only filters.',
    });
  });

  it('keeps the year checks of a search', () => {
    expect(parse('map melanoma since:2024 until:2020')).toEqual({
      kind: 'invalid',
      message: 'since:2024 is after until:2020.',
    });
    expect(parse('map melanoma since:20')).toMatchObject({ kind: 'invalid' });
  });

  it('leaves "map" inside a search alone', () => {
    expect(parse('heat map melanoma')).toMatchObject({ kind: 'search' });
  });
});

describe('the years a map charts', () => {
  it('are the last 20 ending this year', () => {
    expect(mapYears({ terms: 'x' }, 2026)).toEqual({ from: 2007, to: 2026 });
  });
  it('end at until: and start no earlier than since:', () => {
    expect(mapYears({ terms: 'x', until: 2020 }, 2026)).toEqual({ from: 2001, to: 2020 });
    expect(mapYears({ terms: 'x', since: 2018 }, 2026)).toEqual({ from: 2018, to: 2026 });
    expect(mapYears({ terms: 'x', since: 1990, until: 2030 }, 2026)).toEqual({ from: 2007, to: 2026 });
  });
});
