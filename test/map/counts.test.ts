// An evidence map's counts through the real PubMed service and client to the fake E-utilities: one
// ESearch count (retmax=0) per level, per year and for the total, with the terms of a search's own type
// filters; paced by the rate budget; cached for a day; a failed count is unknown, never 0.

import { EVIDENCE_LEVELS } from '../../src/core/evidence-map';
import { ARRIVAL_MARGIN_MS } from '../../src/sources/budget';
import { silentLogger } from '../../src/core/logger';
import { createEvidenceMap, levelTerm } from '../../src/pubmed/evidence-map';
import { maxStartsInWindow, startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startHarness, type Harness } from '../pubmed/service-harness';
import { countFor, LEVEL_COUNTS, TOTAL_COUNT, yearCount } from './terms';

let eutils: FakeEutils;
let h: Harness;

beforeAll(async () => {
  eutils = await startFakeEutils();
});
afterAll(async () => {
  await eutils.close();
});
beforeEach(async () => {
  eutils.reset();
  eutils.setCounts(countFor);
  h = await startHarness(eutils, { perSecond: 100 });
});
afterEach(async () => {
  await h.close();
});

const map = () => createEvidenceMap({ pubmed: h.service, logger: silentLogger });

describe('the terms of a map', () => {
  const q = { terms: 'pembrolizumab OR nivolumab', since: 2015, until: 2024 };

  it('reuse the type: filters of a search, AND-ed to the terms in parentheses, with the years', () => {
    const years = '("2015"[dp] : "2024"[dp])';
    expect(levelTerm(q, 'rct')).toBe(
      `(pembrolizumab OR nivolumab) AND (randomized controlled trial[pt]) AND ${years}`,
    );
    expect(levelTerm(q, 'systematic-review')).toBe(
      `(pembrolizumab OR nivolumab) AND (systematic[sb]) AND ${years}`,
    );
    expect(levelTerm(q, 'guideline')).toBe(
      `(pembrolizumab OR nivolumab) AND (guideline[pt] OR practice guideline[pt]) AND ${years}`,
    );
  });

  it('count other trials as clinical trials that are not RCTs, and observational studies by their type', () => {
    expect(levelTerm(q, 'other-trial')).toBe(
      '(pembrolizumab OR nivolumab) AND (clinical trial[pt]) AND ("2015"[dp] : "2024"[dp]) NOT (randomized controlled trial[pt])',
    );
    expect(levelTerm({ terms: 'melanoma' }, 'observational')).toBe('melanoma AND (observational study[pt])');
  });
});

describe('counting', () => {
  it('asks one count per level, per year and for the total, and gets each back by its term', async () => {
    const counts = await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2007, to: 2026 });
    const searches = eutils.requests.filter((r) => r.utility === 'esearch');
    expect(searches).toHaveLength(1 + EVIDENCE_LEVELS.length + 20);
    for (const r of searches) expect(r.params).toMatchObject({ db: 'pubmed', retmode: 'json', retmax: '0' });
    expect(new Set(searches.map((r) => r.params.term)).size).toBe(searches.length);
    expect(counts.total).toEqual({ search: 'braf melanoma', count: TOTAL_COUNT });
    expect(counts.levels.map((l) => [l.level, l.count])).toEqual(
      EVIDENCE_LEVELS.map((level) => [level, LEVEL_COUNTS[level]]),
    );
    expect(counts.years.map((y) => y.year)).toEqual(Array.from({ length: 20 }, (_, i) => 2007 + i));
    expect(counts.years.every((y) => y.count === yearCount(y.year))).toBe(true);
    expect(counts.years[0]?.search).toBe('(braf melanoma) AND ("2007"[dp] : "2007"[dp])');
    expect(counts).toMatchObject({ stale: false, notices: [] });
  });

  it('costs nothing the second time within a day (each count is cached)', async () => {
    await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2020, to: 2026 });
    const first = eutils.requests.length;
    const again = await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2020, to: 2026 });
    expect(eutils.requests.length).toBe(first);
    expect(again.levels.every((l) => l.count !== undefined)).toBe(true);
    h.cacheClock.advance(24 * 3_600_000 + 1);
    await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2020, to: 2026 });
    expect(eutils.requests.length).toBe(2 * first);
  });

  it('leaves a count PubMed refused without a number, and says what failed', async () => {
    eutils.setSearchExtras(/observational study\[pt\]/, { error: 'Search Backend failed: unknown field' });
    const counts = await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2025, to: 2026 });
    const observational = counts.levels.find((l) => l.level === 'observational');
    expect(observational).toEqual({
      level: 'observational',
      search: 'braf melanoma AND (observational study[pt])',
    });
    expect(counts.levels.filter((l) => l.count === undefined)).toHaveLength(1);
    expect(counts.failure).toBeDefined();
  });

  it('stops waiting at the caller’s deadline, leaving the rest unknown, and still caches what comes back', async () => {
    eutils.delayMs = 400;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('reply deadline')), 100);
    const started = Date.now();
    const late = await map().evidenceCounts(
      { terms: 'kras colorectal' },
      { from: 2026, to: 2026 },
      {
        signal: controller.signal,
      },
    );
    expect(Date.now() - started).toBeLessThan(350);
    expect([late.total, ...late.levels, ...late.years].every((c) => c.count === undefined)).toBe(true);
    expect(late.failure).toBeDefined();
    await new Promise((r) => setTimeout(r, 800));
    eutils.delayMs = 0;
    const asked = eutils.requests.length;
    const again = await map().evidenceCounts({ terms: 'kras colorectal' }, { from: 2026, to: 2026 });
    expect(eutils.requests.length).toBe(asked);
    expect([again.total, ...again.levels, ...again.years].every((c) => c.count !== undefined)).toBe(true);
  });

  it('passes on what PubMed said about the words of the query', async () => {
    eutils.setSearchExtras('braf melanomaa', { phrasesNotFound: ['melanomaa'] });
    const counts = await map().evidenceCounts({ terms: 'braf melanomaa' }, { from: 2026, to: 2026 });
    expect(counts.notices.join(' ')).toContain('melanomaa');
  });
});

describe('the NCBI budget', () => {
  it('keeps a map within 3 requests a second without a key, levels first, and NCBI never refuses one', async () => {
    await h.close();
    await eutils.close();
    eutils = await startFakeEutils({ enforceRateLimit: true });
    eutils.setCounts(countFor);
    h = await startHarness(eutils, { perSecond: 3, budgetMarginMs: ARRIVAL_MARGIN_MS });
    const counts = await map().evidenceCounts({ terms: 'braf melanoma' }, { from: 2025, to: 2026 });
    expect(eutils.requests).toHaveLength(11);
    expect(maxStartsInWindow(eutils.requests)).toBeLessThanOrEqual(3);
    // The budget grants in the order asked: the total and the levels go first, the years after.
    const terms = [...eutils.requests].sort((a, b) => a.at - b.at).map((r) => r.params.term ?? '');
    expect(new Set(terms.slice(0, 9))).toEqual(
      new Set([counts.total.search, ...counts.levels.map((l) => l.search)]),
    );
    expect([counts.total, ...counts.levels, ...counts.years].every((c) => c.count !== undefined)).toBe(true);
  }, 15_000);
});
