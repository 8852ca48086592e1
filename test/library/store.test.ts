// The library store on a real SQLite file: upserts, lookups, ranked/filtered search and trials, with
// records parsed from the recorded efetch and ClinicalTrials.gov fixtures (values read from those files).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import type { Article } from '../../src/core/article';
import type { Clock } from '../../src/core/clock';
import { parseStudy, parseStudyPage } from '../../src/clinicaltrials/study';
import { RANK_WINDOW } from '../../src/library/articles';
import { openLibrary, type LibraryStore } from '../../src/library/store';
import { parseArticleSet } from '../../src/pubmed/xml';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const efetch = (name: string): Article[] =>
  parseArticleSet(fs.readFileSync(path.join(FIXTURES, 'ncbi', name), 'utf8')).articles;
const json = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'clinicaltrials', name), 'utf8'));

/** Bytes the WAL outgrows only with bulk checkpoints: 16,000 copies write ~40 MB of it, ~6 MB with 1,000-page ones. */
const WAL_BULK_MIN = 20_000_000;
const METRIC = 'efetch_pubmed_rct_phase3_databank_22663011.xml';
const ALL_EFETCH = fs.readdirSync(path.join(FIXTURES, 'ncbi')).filter((n) => n.startsWith('efetch_'));

let dir: string;
let now = 1_700_000_000_000;
const clock: Clock = { now: () => now, sleep: async () => undefined };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-library-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function open(name: string): LibraryStore {
  return openLibrary({ path: path.join(dir, name, 'library.sqlite'), clock });
}

describe('articles', () => {
  let store: LibraryStore;
  beforeAll(() => {
    store = open('articles');
    for (const name of ALL_EFETCH) store.upsertArticles(efetch(name));
  });
  afterAll(() => store.close());

  it('returns a stored article exactly as it was given', () => {
    const [metric] = efetch(METRIC) as [Article];
    expect(store.getArticles(['22663011'])).toEqual([metric]);
  });

  it('updates on re-import and never duplicates', () => {
    const before = store.counts().articles;
    const again = store.upsertArticles(efetch(METRIC));
    expect(again).toEqual({ inserted: 0, updated: 1, skipped: 0 });
    expect(store.counts().articles).toBe(before);
    expect(store.search({ terms: 'trametinib MEK BRAF', limit: 10 }).articles.map((a) => a.pmid)).toEqual([
      '22663011',
    ]);
  });

  it('gets articles in the order asked and skips unknown or malformed ids', () => {
    expect(store.getArticles(['35830032', '99999999', 'abc', '22663011']).map((a) => a.pmid)).toEqual([
      '35830032',
      '22663011',
    ]);
  });

  it('finds by DOI in any case or URL form, and by PMCID with or without the prefix', () => {
    expect(store.findByDoi('10.1056/NEJMoa1203421')?.pmid).toBe('22663011');
    expect(store.findByDoi('https://doi.org/10.1056/nejmoa1203421')?.pmid).toBe('22663011');
    expect(store.findByDoi('10.9999/none')).toBeUndefined();
    expect(store.findByPmcid('PMC6108041')?.pmid).toBe('28731372');
    expect(store.findByPmcid('6108041')?.pmid).toBe('28731372');
    expect(store.findByPmcid('not-an-id')).toBeUndefined();
  });

  it('keeps notices with their direction', () => {
    const [erratum] = store.getArticles(['38962805']);
    expect(erratum?.notices).toEqual([
      expect.objectContaining({ type: 'erratum', about: 'other', pmid: '38446048' }),
    ]);
    expect(erratum?.retracted).toBe(false);
  });

  it('ranks title matches first and reports that every word matched', () => {
    const result = store.search({ terms: 'melanoma', limit: 3 });
    expect(result.matchedAll).toBe(true);
    expect(result.total).toBeGreaterThan(3);
    const titles = result.articles.map((a) => a.title.map((span) => span.text).join(''));
    expect(titles.every((t) => /melanoma/i.test(t))).toBe(true);
  });

  it('honours field tags, phrases and Booleans', () => {
    expect(
      store.search({ terms: 'Flaherty[au] melanoma[ti]', limit: 5 }).articles.map((a) => a.pmid),
    ).toEqual(['22663011']);
    expect(store.search({ terms: '"METRIC Study Group"[au]', limit: 5 }).articles.map((a) => a.pmid)).toEqual(
      ['22663011'],
    );
    expect(store.search({ terms: 'N Engl J Med[ta] asthma', limit: 5 }).articles.map((a) => a.pmid)).toEqual([
      '29768149',
    ]);
    const melanomaNotRct = store.search({
      terms: 'melanoma NOT "randomized controlled trial"[pt]',
      limit: 50,
    });
    expect(melanomaNotRct.articles.map((a) => a.pmid)).not.toContain('22663011');
    expect(melanomaNotRct.total).toBe(store.search({ terms: 'melanoma', limit: 0 }).total - 1);
  });

  it('falls back to records with some of the words and says so', () => {
    const result = store.search({ terms: 'trametinib asthma', limit: 10 });
    expect(result.matchedAll).toBe(false);
    const either = [
      ...store.search({ terms: 'trametinib', limit: 50 }).articles,
      ...store.search({ terms: 'asthma', limit: 50 }).articles,
    ].map((a) => a.pmid);
    expect(either).toEqual(expect.arrayContaining(['22663011', '29768149']));
    expect(result.articles.map((a) => a.pmid).sort()).toEqual([...new Set(either)].sort());
  });

  it('names the words the relaxed results lack', () => {
    const both = store.search({ terms: 'trametinib asthma', limit: 10 });
    expect(both.dropped).toEqual(['trametinib', 'asthma']);
    // A field tag covers the run of bare words before it, as in PubMed; a phrase ends the run.
    const one = store.search({ terms: 'trametinib the "quokka phobia" melanoma[ti]', limit: 10 });
    expect(one).toMatchObject({ matchedAll: false, dropped: ['"quokka phobia"'] });
    expect(one.articles.map((a) => a.pmid)).toContain('22663011');
    expect(store.search({ terms: 'trametinib', limit: 10 }).dropped).toBeUndefined();
  });

  it('leaves out a word no record holds before loosening the rest: the same records in the same order', () => {
    const pmids = (terms: string) => store.search({ terms, limit: 50 }).articles.map((a) => a.pmid);
    const without = store.search({ terms: 'trametinib melanoma', limit: 50 });
    expect(without.total).toBeGreaterThan(0);
    const withAbsent = store.search({ terms: 'quokkaphobia trametinib melanoma', limit: 50 });
    expect(withAbsent).toMatchObject({ total: without.total, matchedAll: false, dropped: ['quokkaphobia'] });
    expect(withAbsent.articles.map((a) => a.pmid)).toEqual(without.articles.map((a) => a.pmid));
    // The words left still loosen to any one of them when no record holds both.
    expect(pmids('quokkaphobia trametinib asthma').sort()).toEqual(pmids('trametinib asthma').sort());
    expect(store.search({ terms: 'quokkaphobia zebrafinchitis', limit: 10 }).total).toBe(0);
  });

  it('with everyWord, only records with every word: no fallback to some of them', () => {
    expect(store.search({ terms: 'trametinib asthma', limit: 10, everyWord: true })).toEqual({
      total: 0,
      articles: [],
      matchedAll: true,
    });
    const exact = store.search({ terms: 'trametinib', limit: 10, everyWord: true });
    expect(exact.matchedAll).toBe(true);
    expect(exact.articles.map((a) => a.pmid)).toContain('22663011');
  });

  it('filters by publication type the way PubMed explodes them', () => {
    const pmids = (types: Parameters<LibraryStore['search']>[0]['types']) =>
      store.search({ terms: '', types, limit: 500 }).articles.map((a) => a.pmid);
    expect(pmids(['rct'])).toEqual(expect.arrayContaining(['22663011', '29768149', '28731372']));
    expect(pmids(['meta'])).toContain('35830032');
    expect(pmids(['sr'])).toEqual(expect.arrayContaining(['33856845', '35830032']));
    expect(pmids(['review'])).toEqual(expect.arrayContaining(['24084238', '35830032', '33856845']));
    expect(pmids(['trial'])).toEqual(expect.arrayContaining(['22663011', '29768149']));
    for (const article of store.getArticles(pmids(['rct']))) {
      expect(article.publicationTypes).toContain('Randomized Controlled Trial');
    }
  });

  it('filters by year and sorts by date, newest first', () => {
    const result = store.search({ terms: 'cancer', since: 2017, until: 2018, sort: 'date', limit: 500 });
    expect(result.total).toBeGreaterThan(0);
    const years = result.articles.map((a) => Number(a.year));
    expect(years.every((y) => y >= 2017 && y <= 2018)).toBe(true);
    expect([...years].sort((a, b) => b - a)).toEqual(years);
    expect(store.search({ terms: 'trametinib', since: 2013, limit: 5 }).total).toBe(0);
  });

  it('pages without repeating or skipping a record', () => {
    const everything = store.search({ terms: 'cancer', limit: 1000 });
    const paged: string[] = [];
    for (let offset = 0; offset < everything.total; offset += 7) {
      paged.push(...store.search({ terms: 'cancer', limit: 7, offset }).articles.map((a) => a.pmid));
    }
    expect(paged).toEqual(everything.articles.map((a) => a.pmid));
    expect(new Set(paged).size).toBe(everything.total);
  });

  it('answers nothing, without an error, for queries with nothing searchable', () => {
    for (const terms of ['***', '"', '()', 'NOT', ':-']) {
      expect(store.search({ terms, limit: 5 })).toEqual({ total: 0, articles: [], matchedAll: true });
    }
  });

  it('deletes records (DeleteCitation)', () => {
    const scratch = open('delete');
    scratch.upsertArticles(efetch(METRIC));
    expect(scratch.deleteArticles(['22663011', '11111111'])).toBe(1);
    expect(scratch.getArticles(['22663011'])).toEqual([]);
    expect(scratch.search({ terms: 'trametinib', limit: 5 }).total).toBe(0);
    scratch.close();
  });

  it('moves a record in the date order when its year changes', () => {
    const scratch = open('year-change');
    const [metric] = efetch(METRIC) as [Article];
    scratch.upsertArticles([{ ...metric, year: '2011' }]);
    scratch.upsertArticles([metric]);
    expect(scratch.search({ terms: 'trametinib', until: 2011, limit: 5 }).total).toBe(0);
    expect(scratch.search({ terms: 'trametinib', since: 2012, until: 2012, limit: 5 }).total).toBe(1);
    scratch.close();
  });
});

describe('one transaction, index rows written in key order', () => {
  /** Rows in the full-text index: every one carries the "every record" facet. */
  const indexed = (store: LibraryStore): number => store.search({ terms: '', limit: 0 }).total;

  it('keeps one index row per record when a batch repeats a PMID with another year', () => {
    const store = open('same-batch');
    const [metric] = efetch(METRIC) as [Article];
    expect(store.upsertArticles([{ ...metric, year: '2011' }, metric])).toEqual({
      inserted: 1,
      updated: 1,
      skipped: 0,
    });
    expect(indexed(store)).toBe(1);
    expect(store.search({ terms: 'trametinib', until: 2011, limit: 5 }).total).toBe(0);
    expect(store.search({ terms: 'trametinib', since: 2012, until: 2012, limit: 5 }).total).toBe(1);
    store.close();
  });

  it('updates and inserts mixed in one batch, years out of order, leave the index matching the table', () => {
    const store = open('mixed-batch');
    const articles = ALL_EFETCH.flatMap(efetch);
    const unique = new Set(articles.map((a) => a.pmid)).size;
    store.upsertArticles(articles.slice(0, 60));
    const shuffled = [...articles].sort((a, b) => (b.year ?? '').localeCompare(a.year ?? ''));
    const result = store.upsertArticles(shuffled);
    expect(result.inserted + result.updated).toBe(articles.length);
    expect(store.counts().articles).toBe(unique);
    expect(indexed(store)).toBe(unique);
    expect(store.search({ terms: 'trametinib MEK BRAF', limit: 10 }).articles.map((a) => a.pmid)).toContain(
      '22663011',
    );
    store.close();
  });
});

describe('ranking window', () => {
  it('ranks the most recent matches once there are more than the window, and pages on by date', () => {
    const store = open('window');
    const [metric] = efetch(METRIC) as [Article];
    const copies = Array.from({ length: RANK_WINDOW + 30 }, (_, i) => ({
      ...metric,
      pmid: String(90_000_001 + i),
    }));
    store.upsertArticles(copies);
    const total = RANK_WINDOW + 30;
    const page = store.search({ terms: 'melanoma', limit: 20, offset: RANK_WINDOW - 10 });
    expect(page.total).toBe(total);
    expect(page.articles).toHaveLength(20);
    // The last ten come after the window: the oldest matches, newest first.
    expect(page.articles.slice(10).map((a) => a.pmid)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(90_000_001 + 29 - i)),
    );
    store.close();
  });
});

describe('bundled records and user records', () => {
  it('never lets a bundled copy overwrite a record the user imported', () => {
    const store = open('origin');
    const [metric] = efetch(METRIC) as [Article];
    store.upsertArticles([{ ...metric, retracted: true }]);
    expect(store.upsertArticles([metric], { origin: 'seed' })).toEqual({
      inserted: 0,
      updated: 0,
      skipped: 1,
    });
    expect(store.getArticles(['22663011'])[0]?.retracted).toBe(true);
    store.close();
  });
});

describe('trials', () => {
  let store: LibraryStore;
  beforeAll(() => {
    store = open('trials');
    const page = json('v2_search_melanoma_recruiting_page1.json') as { studies: unknown[] };
    store.upsertTrials(page.studies.map((raw) => ({ trial: parseStudy(raw), raw })));
    const single = json('v2_study_NCT06382129_nsclc_fields.json');
    store.upsertTrials([{ trial: { ...parseStudy(single), acronym: 'BL-NSCLC' }, raw: single }]);
    const keytruda = parseStudyPage(json('v2_search_keytruda_page1.json'));
    store.upsertTrials(keytruda.studies.map((trial) => ({ trial, raw: undefined })));
  });
  afterAll(() => store.close());

  it('gets a trial by NCT id in any case', () => {
    expect(
      store.getTrial('nct06382129')?.briefTitle.startsWith('A Study Comparing BL-B01D1 With Docetaxel'),
    ).toBe(true);
    expect(store.getTrial('NCT00000000')).toBeUndefined();
    expect(store.getTrial('garbage')).toBeUndefined();
  });

  it('finds trials by acronym, case-insensitively', () => {
    expect(store.findTrialsByAcronym('bl-nsclc').map((t) => t.nct)).toEqual(['NCT06382129']);
    expect(store.findTrialsByAcronym('')).toEqual([]);
  });

  it('searches with status and phase filters', () => {
    expect(store.searchTrials({ terms: 'melanoma', limit: 10 }).trials.map((t) => t.nct)).toContain(
      'NCT06970236',
    );
    const recruiting = store.searchTrials({ terms: '', status: ['recruiting'], limit: 20 });
    expect(recruiting.trials.map((t) => t.nct).sort()).toEqual([
      'NCT04114136',
      'NCT04318717',
      'NCT05431270',
      'NCT06970236',
    ]);
    const phase2 = store.searchTrials({ terms: 'pembrolizumab', phase: ['2'], limit: 20 });
    // Every phase 2 study of the two pages names pembrolizumab somewhere; NCT03590054 is phase 1 only.
    expect(phase2.trials.map((t) => t.nct).sort()).toEqual([
      'NCT04114136',
      'NCT04318717',
      'NCT04795661',
      'NCT05431270',
    ]);
    expect(
      store.searchTrials({ terms: '', phase: ['PHASE3'], status: ['ACTIVE_NOT_RECRUITING'], limit: 5 }).total,
    ).toBe(1);
    expect(store.searchTrials({ terms: '((', limit: 5 })).toEqual({ total: 0, trials: [] });
  });

  it('updates a trial on re-import', () => {
    const single = json('v2_study_NCT06382129_nsclc_fields.json');
    expect(store.upsertTrials([{ trial: parseStudy(single), raw: single }])).toEqual({
      inserted: 0,
      updated: 1,
      skipped: 0,
    });
    expect(store.counts().trials).toBe(7);
  });
});

describe('the database file', () => {
  it('merges the article index into one segment after a bulk write, not after a small one', () => {
    const store = open('settle');
    const [metric] = efetch(METRIC) as [Article];
    for (let batch = 0; batch < 12; batch += 1) {
      const copies = Array.from({ length: 1000 }, (_, i) => ({
        ...metric,
        pmid: String(80_000_000 + batch * 1000 + i),
      }));
      store.upsertArticles(copies);
    }
    const segments = (): number => {
      const raw = new Database(path.join(dir, 'settle', 'library.sqlite'), { readonly: true });
      const n = raw.prepare('SELECT count(DISTINCT segid) FROM articles_fts_idx').pluck().get() as number;
      raw.close();
      return n;
    };
    expect(segments()).toBeGreaterThan(1);
    expect(store.settleIndex(9_999)).toBe(false);
    expect(segments()).toBeGreaterThan(1);
    expect(store.settleIndex(12_000)).toBe(true);
    expect(segments()).toBe(1);
    expect(store.search({ terms: 'trametinib', limit: 1 }).total).toBe(12_000);
    store.close();
  });

  it('leaves segments unmerged through a bulk write, then merges them at once and puts merging back', () => {
    const file = path.join(dir, 'deferred', 'library.sqlite');
    const store = open('deferred');
    const [metric] = efetch(METRIC) as [Article];
    const copies = (from: number, n: number): Article[] =>
      Array.from({ length: n }, (_, i) => ({ ...metric, pmid: String(from + i) }));
    const read = <T>(sql: string): T => {
      const raw = new Database(file, { readonly: true });
      const value = raw.prepare(sql).pluck().get() as T;
      raw.close();
      return value;
    };
    const segments = (): number => read('SELECT count(DISTINCT segid) FROM articles_fts_idx');
    const automerge = (): number => read(`SELECT v FROM articles_fts_config WHERE k = 'automerge'`);
    expect(automerge()).toBe(8);
    store.deferMerges();
    expect(automerge()).toBe(0);
    // At least a segment a transaction: automerge 8 would have merged the first eight long before the 16th.
    for (let batch = 0; batch < 16; batch += 1) store.upsertArticles(copies(80_000_000 + batch * 1000, 1000));
    expect(segments()).toBeGreaterThanOrEqual(16);
    // Checkpoints wait for 10,000 WAL pages (40 MB) instead of 1,000.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(WAL_BULK_MIN);
    expect(store.search({ terms: 'trametinib', limit: 1 }).total).toBe(16_000);
    expect(store.settleIndex(16_000)).toBe(true);
    expect([segments(), automerge()]).toEqual([1, 8]);
    // Later small writes are merged as usual again, and newer copies and deletions still apply.
    for (let batch = 0; batch < 20; batch += 1) store.upsertArticles(copies(80_000_000 + batch * 10, 10));
    expect(segments()).toBeLessThan(20);
    expect(store.deleteArticles(['80000001', '80015999'])).toBe(2);
    expect(store.search({ terms: 'trametinib', limit: 1 }).total).toBe(15_998);
    // A small bulk write is not merged, but merging is put back all the same.
    store.deferMerges();
    expect(store.settleIndex(10)).toBe(false);
    expect(automerge()).toBe(8);
    store.close();
  });

  it('stores records packed, and still reads the plain JSON rows of libraries written before', () => {
    const store = open('packed');
    const [metric] = efetch(METRIC) as [Article];
    store.upsertArticles([metric]);
    store.close();
    const file = path.join(dir, 'packed', 'library.sqlite');
    const raw = new Database(file);
    const stored = raw.prepare('SELECT json FROM articles WHERE pmid = 22663011').pluck().get() as Buffer;
    expect(Buffer.isBuffer(stored)).toBe(true);
    expect(stored.length).toBeLessThan(JSON.stringify(metric).length * 0.6);
    // What earlier paperbots wrote: the same Article as raw deflate, and before that as JSON text.
    const update = raw.prepare('UPDATE articles SET json = ? WHERE pmid = 22663011');
    for (const earlier of [
      zlib.deflateRawSync(JSON.stringify(metric), { level: 1 }),
      JSON.stringify(metric),
    ]) {
      update.run(earlier);
      const again = open('packed');
      expect(again.getArticles(['22663011'])).toEqual([metric]);
      expect(again.findByDoi(metric.doi as string)).toEqual(metric);
      expect(again.search({ terms: 'trametinib', limit: 5 }).articles).toEqual([metric]);
      again.close();
    }
    raw.close();
  });

  it('persists across reopen, in WAL mode, with a schema version', () => {
    const first = open('persist');
    first.upsertArticles(efetch(METRIC));
    first.setMeta('k', 'v');
    first.close();
    first.close(); // closing twice is harmless
    const again = open('persist');
    expect(again.getArticles(['22663011'])).toHaveLength(1);
    expect(again.getMeta('k')).toBe('v');
    expect(again.getMeta('missing')).toBeUndefined();
    again.close();
    const raw = new Database(path.join(dir, 'persist', 'library.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(4); // 2: saved syncs, 3: trial sites and eligibility limits, 4: trial facets
    raw.close();
  });

  it('refuses a file written by a newer paperbot', () => {
    const file = path.join(dir, 'newer', 'library.sqlite');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openLibrary({ path: file })).toThrow(expect.objectContaining({ code: 'store_failure' }));
  });

  it('stamps updates with the clock', () => {
    const store = open('clock');
    now = 1_800_000_000_000;
    store.upsertArticles(efetch(METRIC));
    store.close();
    const raw = new Database(path.join(dir, 'clock', 'library.sqlite'), { readonly: true });
    expect(raw.prepare('SELECT updated_at FROM articles WHERE pmid = 22663011').pluck().get()).toBe(
      1_800_000_000_000,
    );
    raw.close();
  });
});
