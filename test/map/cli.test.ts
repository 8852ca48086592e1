// The map in the terminal: counts by level, the years as a sparkline, the searches behind the numbers.

import { sparkline } from '../../adapters/cli/map';
import { renderReply } from '../../adapters/cli/render';
import { EVIDENCE_LEVELS } from '../../src/core/evidence-map';
import { mapCard } from '../../src/core/present/evidence-map';

describe('sparkline', () => {
  it('scales from nothing to the largest value', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 80])).toBe('▁█');
  });
  it('shows an unknown value as ?, and none as a blank, never as ▁', () => {
    expect(sparkline([undefined, 0, 4])).toBe('? █');
    expect(sparkline([0, 0])).toBe('  ');
    expect(sparkline([])).toBe('');
  });
  it('keeps a tiny year visible', () => {
    expect(sparkline([1, 1000])).toBe('▁█');
  });
});

describe('a map card as text', () => {
  const counts = {
    total: { search: 'braf melanoma', count: 23456 },
    levels: EVIDENCE_LEVELS.map((level, i) => ({
      level,
      search: `braf melanoma AND (t${i})`,
      ...(level === 'observational' ? {} : { count: (i + 1) * 100 }),
    })),
    years: [2024, 2025, 2026].map((year, i) => ({
      year,
      search: `(braf melanoma) AND ("${year}"[dp] : "${year}"[dp])`,
      count: (i + 1) * 50,
    })),
    notices: [],
    stale: false,
  };
  const text = renderReply(
    { cards: [mapCard({ terms: 'braf melanoma', since: 2024 }, counts, 2026)], visibility: 'private' },
    { color: false, width: 100 },
  );

  it('prints the counts, with unknown where PubMed did not answer', () => {
    expect(text).toContain('Evidence map: braf melanoma');
    expect(text).toContain('PubMed records (since 2024): 23,456');
    expect(text).toMatch(/Meta-analyses\s+100/);
    expect(text).toMatch(/Observational studies\s+unknown/);
    expect(text).toContain('not 0');
  });

  it('draws the years as a sparkline between the first and last year', () => {
    expect(text).toContain('2024 ▃▆█ 2026');
    expect(text).toContain('2024: 50 · 2025: 100 · 2026: 150');
    expect(text).toContain('2026 is the year so far.');
  });

  it('shows the PubMed search behind each number', () => {
    expect(text).toContain('Meta-analyses: braf melanoma AND (t0)');
    expect(text).toContain('2026 (each year alike): (braf melanoma) AND ("2026"[dp] : "2026"[dp])');
  });
});
