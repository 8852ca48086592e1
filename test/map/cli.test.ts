// The map in the terminal: counts by level, the years as a sparkline, the searches behind the numbers.

import fs from 'node:fs';
import { runCli, type CliRun } from '../support/cli';
import { sparkline } from '../../adapters/cli/map';
import { renderReply } from '../../adapters/cli/render';
import { EVIDENCE_LEVELS } from '../../src/core/evidence-map';
import { mapCard } from '../../src/core/present/evidence-map';
import type { Reply } from '../../src/core/reply';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { tempDataDir, testEnv } from '../support/graph';
import { countFor } from './terms';

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

describe('paperbot map, end to end', () => {
  let eutils: FakeEutils;
  let dataDir: string;

  beforeAll(async () => {
    eutils = await startFakeEutils();
    eutils.setCounts(countFor);
    dataDir = tempDataDir();
  });
  afterAll(async () => {
    await eutils.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const run = (argv: string[]): Promise<CliRun> =>
    runCli(
      argv,
      { ...testEnv({ eutilsUrl: eutils.url }, dataDir), NCBI_API_KEY: 'testkey0123456789' },
      dataDir,
    );

  it('prints the counts, the sparkline and the searches, and exits 0', async () => {
    const r = await run(['--no-color', 'map', 'braf', 'melanoma', 'since:2025']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Randomized controlled trials\s+1,890/);
    expect(r.stdout).toMatch(/2025 [▁▂▃▄▅▆▇█]{2} 2026/);
    expect(r.stdout).toContain(
      '(braf melanoma) AND (randomized controlled trial[pt]) AND ("2025"[dp] : "3000"[dp])',
    );
  });

  it('--json gives every number with its search', async () => {
    const r = await run(['--json', 'map', 'braf', 'melanoma', 'since:2025']);
    const reply = JSON.parse(r.stdout) as Reply;
    const card = reply.cards[0];
    expect(card?.type).toBe('map');
    if (card?.type !== 'map') return;
    expect(card.levels.find((l) => l.level === 'guideline')).toMatchObject({ count: 88, countText: '88' });
    expect(card.years.every((y) => typeof y.count === 'number' && y.search.includes(`"${y.year}"[dp]`))).toBe(
      true,
    );
  });

  it('refuses type: in words, exiting 1 like any refused query', async () => {
    const r = await run(['map', 'braf', 'type:rct']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already counts every type of study');
  });
});
