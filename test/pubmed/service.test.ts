// The PubMed service end to end over real HTTP to the fake NCBI: search → one efetch, per-PMID caching,
// coalescing, notices, similar, DOI/PMCID resolution and digest windows.

import { PaperbotError } from '../../src/core/errors';
import type { SearchQuery } from '../../src/core/query';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startHarness, type Harness } from './service-harness';

let fake: FakeEutils;
let h: Harness;

const query = (terms: string, over: Partial<SearchQuery> = {}): SearchQuery => ({
  terms,
  types: [],
  sort: 'relevance',
  start: 0,
  pageSize: 5,
  ...over,
});

const sent = (utility: string) => fake.requests.filter((r) => r.utility === utility);

beforeAll(async () => {
  fake = await startFakeEutils();
});
beforeEach(async () => {
  fake.reset();
  h = await startHarness(fake);
});
afterEach(() => h.close());
afterAll(() => fake.close());

describe('search', () => {
  it('runs esearch, then ONE efetch of those PMIDs, and returns the records in PubMed order', async () => {
    fake.setSearch('braf melanoma', ['35830032', '22663011', '33856845']);
    const r = await h.service.search(query('braf melanoma'));
    expect(r.total).toBe(3);
    expect(r.pmids).toEqual(['35830032', '22663011', '33856845']);
    expect(r.articles.map((a) => a.pmid)).toEqual(['35830032', '22663011', '33856845']);
    // Titles from the recorded files efetch_pubmed_35830032.xml and efetch_pubmed_rct_phase3_databank_22663011.xml
    expect(r.articles[0]?.title.map((s) => s.text).join('')).toBe(
      'SAFETY OF LONG-TERM PROTON PUMP INHIBITORS: FACTS AND MYTHS.',
    );
    expect(r.articles[1]?.doi).toBe('10.1056/NEJMoa1203421');
    expect(r.notices).toEqual([]);
    expect(r.stale).toBe(false);
    expect(sent('esearch')).toHaveLength(1);
    expect(sent('efetch')).toHaveLength(1);
    expect(sent('efetch')[0]?.params.id).toBe('35830032,22663011,33856845');
  });

  it('sends the Entrez term with filters, the sort and the page', async () => {
    fake.setSearch(/melanoma/, []);
    await h.service.search(
      query('melanoma', { types: ['rct'], since: 2020, sort: 'date', start: 10, pageSize: 10 }),
    );
    expect(sent('esearch')[0]?.params).toMatchObject({
      term: '(melanoma) AND (randomized controlled trial[pt]) AND ("2020"[dp] : "3000"[dp])',
      sort: 'pub_date',
      retstart: '10',
      retmax: '10',
    });
  });

  it('answers an empty result without an efetch', async () => {
    const r = await h.service.search(query('zzqqxx nothing'));
    expect(r).toEqual({ total: 0, pmids: [], articles: [], notices: [], stale: false });
    expect(sent('efetch')).toHaveLength(0);
  });

  it('fetches only the records it does not hold (per-PMID cache)', async () => {
    await h.service.fetchArticles(['22663011']);
    fake.setSearch('mek inhibition', ['35830032', '22663011']);
    const r = await h.service.search(query('mek inhibition'));
    expect(r.articles.map((a) => a.pmid)).toEqual(['35830032', '22663011']);
    expect(sent('efetch').map((x) => x.params.id)).toEqual(['22663011', '35830032']);
  });

  it('answers a second identical search from the cache with zero requests', async () => {
    fake.setSearch('braf melanoma', ['22663011', '35830032']);
    const first = await h.service.search(query('braf melanoma'));
    const before = fake.requests.length;
    const second = await h.service.search(query('braf melanoma'));
    expect(fake.requests.length).toBe(before);
    expect(second).toEqual(first);
  });

  it('coalesces 10 identical concurrent searches into 1 esearch and 1 efetch', async () => {
    fake.setSearch('braf melanoma', ['22663011', '35830032']);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.service.search(query('braf melanoma'))),
    );
    expect(sent('esearch')).toHaveLength(1);
    expect(sent('efetch')).toHaveLength(1);
    expect(new Set(results.map((r) => r.articles.map((a) => a.pmid).join()))).toEqual(
      new Set(['22663011,35830032']),
    );
  });

  it('surfaces PubMed\'s remarks as notices, but leaves "No items found." to the core', async () => {
    fake.setSearch('braf xyzzyq melanoma', ['22663011']);
    fake.setSearchExtras('braf xyzzyq melanoma', { phrasesNotFound: ['xyzzyq'], phrasesIgnored: ['the'] });
    fake.setSearchExtras('qqqzzz', { phrasesNotFound: ['qqqzzz'] });
    const r = await h.service.search(query('braf xyzzyq melanoma'));
    expect(r.notices).toEqual([
      'PubMed did not recognise “xyzzyq” and searched without it.',
      'PubMed ignored “the”.',
    ]);
    const empty = await h.service.search(query('qqqzzz'));
    expect(empty.notices).toEqual(['PubMed did not recognise “qqqzzz” and searched without it.']);
  });

  it('refuses a page beyond what PubMed serves without asking it', async () => {
    await expect(h.service.search(query('x', { start: 9999 }))).rejects.toMatchObject({ code: 'bad_input' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fetchArticles', () => {
  it('returns records in the order asked, once each, and lists the PMIDs PubMed does not have', async () => {
    const r = await h.service.fetchArticles(['33856845', '99999999', '22663011', '33856845']);
    expect(r.articles.map((a) => a.pmid)).toEqual(['33856845', '22663011']);
    expect(r.missing).toEqual(['99999999']);
    expect(r.stale).toBe(false);
  });

  it('fetches more than 200 PMIDs with one form POST', async () => {
    const known = [...fake.records.keys()].slice(0, 240);
    const unknown = Array.from({ length: 10 }, (_, i) => String(99_999_000 + i));
    const r = await h.service.fetchArticles([...known, ...unknown], { priority: 'batch' });
    expect(r.articles.map((a) => a.pmid)).toEqual(known);
    expect(r.missing).toEqual(unknown);
    expect(sent('efetch')).toHaveLength(1);
    expect(sent('efetch')[0]?.method).toBe('POST');
    expect(new URLSearchParams(sent('efetch')[0]?.body).get('id')?.split(',')).toHaveLength(250);
  });

  it('refuses ids that are not PMIDs', async () => {
    await expect(h.service.fetchArticles(['12', 'abc'])).rejects.toBeInstanceOf(PaperbotError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('similar', () => {
  it('returns neighbours best first without the record itself, cached', async () => {
    fake.setLinks('22663011', [
      { id: '35830032', score: 12 },
      { id: '33856845', score: 48 },
    ]);
    expect(await h.service.similar('22663011')).toEqual({ pmids: ['33856845', '35830032'], stale: false });
    await h.service.similar('22663011');
    expect(sent('elink')).toHaveLength(1);
  });
});

describe('resolveDoi', () => {
  it('finds the PMID through [aid] and confirms the DOI on the record', async () => {
    // 22663011's record carries DOI 10.1056/NEJMoa1203421 (efetch_pubmed_rct_phase3_databank_22663011.xml).
    fake.setSearch('"10.1056/NEJMoa1203421"[aid]', ['22663011']);
    expect(await h.service.resolveDoi('10.1056/NEJMoa1203421')).toBe('22663011');
  });

  it('matches the DOI case-insensitively', async () => {
    fake.setSearch(/^"10\.1056\/nejmoa1203421"\[aid\]$/i, ['22663011']);
    expect(await h.service.resolveDoi('10.1056/nejmoa1203421')).toBe('22663011');
  });

  it('does not accept a hit whose record carries another DOI', async () => {
    fake.setSearch('"10.1056/NEJMoa9999999"[aid]', ['22663011']);
    expect(await h.service.resolveDoi('10.1056/NEJMoa9999999')).toBeUndefined();
  });

  it('answers undefined for an unknown DOI without fetching anything', async () => {
    expect(await h.service.resolveDoi('10.9999/unknown')).toBeUndefined();
    expect(sent('efetch')).toHaveLength(0);
  });
});

describe('resolvePmcid', () => {
  it('finds the PMID through [pmcid], with or without the PMC prefix', async () => {
    // 28775130 carries PMC5771820 in its ArticleIdList (efetch_pubmed_structured_28775130.xml).
    fake.setSearch('PMC5771820[pmcid]', ['28775130']);
    expect(await h.service.resolvePmcid('PMC5771820')).toBe('28775130');
    expect(await h.service.resolvePmcid('5771820')).toBe('28775130');
  });

  it('confirms on the records when several PMIDs come back', async () => {
    fake.setSearch('PMC5771820[pmcid]', ['22663011', '28775130']);
    expect(await h.service.resolvePmcid('pmc5771820')).toBe('28775130');
  });
});

describe('searchEntrezWindow', () => {
  it('asks ESearch for the Entrez-date window, newest first, up to 10,000 ids', async () => {
    const r = await h.service.searchEntrezWindow('cancer', { from: '2022/06/01', to: '2022/07/20' });
    // Entrez dates read from the fixtures: 35856662 2022/7/20, 35830032 7/13, 35726897 6/21, 35649368 6/1.
    expect(r).toEqual({ total: 4, pmids: ['35856662', '35830032', '35726897', '35649368'] });
    expect(sent('esearch')[0]?.params).toMatchObject({
      term: 'cancer',
      datetype: 'edat',
      mindate: '2022/06/01',
      maxdate: '2022/07/20',
      sort: 'pub_date',
      retstart: '0',
      retmax: '10000',
    });
  });

  it('is never cached: a digest wants the current answer', async () => {
    await h.service.searchEntrezWindow('cancer', { from: '2022/06/01', to: '2022/07/20' });
    await h.service.searchEntrezWindow('cancer', { from: '2022/06/01', to: '2022/07/20' });
    expect(sent('esearch')).toHaveLength(2);
  });

  it('refuses dates that are not YYYY/MM/DD', async () => {
    await expect(
      h.service.searchEntrezWindow('cancer', { from: '2022-06-01', to: '2022/07/20' }),
    ).rejects.toMatchObject({
      code: 'bad_input',
    });
  });
});
