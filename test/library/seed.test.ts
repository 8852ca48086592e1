// The bundled dataset: imported once per version, never over the user's records, and made only of files
// whose source licences allow redistribution (checked against data/seed/SOURCES.md and the fixtures).

import fs from 'node:fs';
import path from 'node:path';
import { ensureSeeded } from '../../src/library/seed';
import { useTempLibraries } from '../support/libraries';

const ROOT = path.join(__dirname, '..', '..');
const SEED = path.join(ROOT, 'data', 'seed');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const FIXTURE_DIR: Record<string, string> = { pubmed: 'ncbi', clinicaltrials: 'clinicaltrials' };
const ALLOWED_LICENSES = new Set(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause']);

function seedFiles(): string[] {
  return Object.keys(FIXTURE_DIR).flatMap((sub) =>
    fs.readdirSync(path.join(SEED, sub)).map((name) => `${sub}/${name}`),
  );
}

/** Records in the seed, counted straight from the files. */
function seedRecordCount(): number {
  let count = 0;
  for (const file of seedFiles()) {
    const text = fs.readFileSync(path.join(SEED, file), 'utf8');
    if (file.endsWith('.xml')) count += (text.match(/<\/Pubmed(?:Book)?Article>/g) ?? []).length;
    else {
      const value = JSON.parse(text) as { studies?: unknown[] };
      count += value.studies?.length ?? 1;
    }
  }
  return count;
}

const { dir, fresh } = useTempLibraries('seed');

describe('licences', () => {
  const rows = fs
    .readFileSync(path.join(SEED, 'SOURCES.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  const fixtureRows = fs
    .readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'));

  it.each(seedFiles().map((f) => [f]))(
    '%s is listed, redistributable and byte-identical to its fixture',
    (file) => {
      const [sub, name] = file.split('/') as [string, string];
      const row = rows.find((r) => r.startsWith(`| \`${file}\``));
      expect(row).toBeDefined();
      const license = row?.split('|')[5]?.trim() ?? '';
      expect(ALLOWED_LICENSES.has(license)).toBe(true);
      const fixture = `${FIXTURE_DIR[sub]}/${name}`;
      expect(fixtureRows).toContain(row?.replace(`| \`${file}\``, `| \`${fixture}\``));
      expect(
        fs.readFileSync(path.join(SEED, file)).equals(fs.readFileSync(path.join(FIXTURES, fixture))),
      ).toBe(true);
    },
  );

  it('lists no file that is not there', () => {
    expect(rows).toHaveLength(seedFiles().length);
  });
});

describe('ensureSeeded', () => {
  it('imports the seed once, then only checks its version', async () => {
    const store = fresh();
    const first = await ensureSeeded(store, SEED);
    expect(first).toMatchObject({ seeded: true, records: seedRecordCount(), problems: 0 });
    const counts = store.counts();
    expect(counts.articles).toBeGreaterThan(0);
    expect(counts.trials).toBeGreaterThan(0);
    const second = await ensureSeeded(store, SEED);
    expect(second).toEqual({ seeded: false, version: first.version, records: 0, problems: 0 });
    expect(store.counts()).toEqual(counts);
  });

  it('answers the README example offline, saying that not every word matched', async () => {
    const store = fresh();
    await ensureSeeded(store, SEED);
    const result = store.search({ terms: 'immunotherapy liver metastases', limit: 5 });
    expect(result.articles.length).toBeGreaterThan(0);
    expect(result.matchedAll).toBe(false);
    expect(store.search({ terms: 'melanoma', limit: 5 }).articles.map((a) => a.pmid)).toContain('22663011');
  });

  it('re-seeds when the seed changes', async () => {
    const copy = path.join(dir(), 'seed-copy');
    fs.cpSync(SEED, copy, { recursive: true });
    const store = fresh();
    const first = await ensureSeeded(store, copy);
    fs.copyFileSync(
      path.join(FIXTURES, 'ncbi', 'efetch_pubmed_multi_15records_asthma_2012.xml'),
      path.join(copy, 'pubmed', 'extra.xml'),
    );
    const second = await ensureSeeded(store, copy);
    expect(second.seeded).toBe(true);
    expect(second.version).not.toBe(first.version);
    expect(store.search({ terms: 'asthma', limit: 20 }).total).toBeGreaterThan(1);
  });

  it('never overwrites a record the user imported', async () => {
    const store = fresh();
    await ensureSeeded(store, SEED);
    const [metric] = store.getArticles(['22663011']);
    if (metric === undefined) throw new Error('the seed should hold PMID 22663011');
    store.upsertArticles([{ ...metric, retracted: true }]);
    const copy = path.join(dir(), 'seed-copy-2');
    fs.cpSync(SEED, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'pubmed', 'README-extra.txt'), 'PMID- 1\nTI  - changed seed\n');
    expect((await ensureSeeded(store, copy)).seeded).toBe(true);
    expect(store.getArticles(['22663011'])[0]?.retracted).toBe(true);
  });

  it('starts empty, without failing, when there is no seed directory', async () => {
    const store = fresh();
    expect(await ensureSeeded(store, path.join(dir(), 'nowhere'))).toEqual({
      seeded: false,
      records: 0,
      problems: 0,
    });
    expect(store.counts()).toEqual({ articles: 0, trials: 0 });
  });
});
