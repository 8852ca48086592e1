// The E-utilities client against the fake NCBI: what we send, what we read back, and how every failure
// becomes a PaperbotError. One attempt per call: no retries happen here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaperbotError } from '../../src/core/errors';
import { createEutilsClient, type EutilsClient } from '../../src/pubmed/eutils';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { testDispatcher } from './service-harness';
import { NCBI_FIXTURES } from './xml-fixtures';

let fake: FakeEutils;
const dispatcher = testDispatcher();

function client(
  over: { apiKey?: string; email?: string; attemptTimeoutMs?: number; baseUrl?: string } = {},
): EutilsClient {
  return createEutilsClient({
    baseUrl: over.baseUrl ?? fake.url,
    tool: 'paperbot-tests',
    ...(over.email !== undefined ? { email: over.email } : {}),
    ...(over.apiKey !== undefined ? { apiKey: over.apiKey } : {}),
    dispatcher,
    attemptTimeoutMs: over.attemptTimeoutMs ?? 5000,
  });
}

async function failure(p: Promise<unknown>): Promise<PaperbotError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof PaperbotError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const search = { term: 'braf melanoma', retstart: 0, retmax: 5, sort: 'relevance' as const };

beforeAll(async () => {
  fake = await startFakeEutils();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  await dispatcher.close();
});

describe('what we send', () => {
  it('esearch: db, JSON, term, paging, sort, tool and email on a GET; no api_key when none is configured', async () => {
    fake.setSearch('braf melanoma', ['22663011', '35830032']);
    await client({ email: 'dev@example.org' }).esearch(search);
    const [r] = fake.requests;
    expect(r?.method).toBe('GET');
    expect(r?.path).toBe('/entrez/eutils/esearch.fcgi');
    expect(r?.params).toEqual({
      db: 'pubmed',
      retmode: 'json',
      term: 'braf melanoma',
      retstart: '0',
      retmax: '5',
      sort: 'relevance',
      tool: 'paperbot-tests',
      email: 'dev@example.org',
    });
  });

  it('sends api_key on every utility when configured, and the date window of a digest', async () => {
    const c = client({ apiKey: 'abc123def456' });
    await c.esearch({
      ...search,
      sort: 'pub_date',
      datetype: 'edat',
      mindate: '2022/07/01',
      maxdate: '2022/07/31',
    });
    await c.efetch(['22663011']);
    await c.elink('22663011');
    expect(fake.requests.map((r) => [r.utility, r.params.api_key, r.params.tool])).toEqual([
      ['esearch', 'abc123def456', 'paperbot-tests'],
      ['efetch', 'abc123def456', 'paperbot-tests'],
      ['elink', 'abc123def456', 'paperbot-tests'],
    ]);
    expect(fake.requests[0]?.params).toMatchObject({
      sort: 'pub_date',
      datetype: 'edat',
      mindate: '2022/07/01',
      maxdate: '2022/07/31',
    });
    expect(fake.requests.every((r) => r.params.email === undefined)).toBe(true);
  });

  it('POSTs a long term form-encoded, with nothing in the URL', async () => {
    const term = Array.from({ length: 120 }, (_, i) => `"gene ${i}"[tiab]`).join(' OR ');
    fake.setSearch(term, ['22663011']);
    const r = await client().esearch({ ...search, term });
    expect(r.pmids).toEqual(['22663011']);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.query).toBe('');
    expect(new URLSearchParams(sent?.body).get('term')).toBe(term);
    expect(sent?.params.tool).toBe('paperbot-tests');
  });

  it('efetch: GET for up to 200 ids, POST with the id list in the form body above 200', async () => {
    const known = [...fake.records.keys()].slice(0, 201);
    await client().efetch(known.slice(0, 200));
    await client().efetch(known);
    const [get, post] = fake.requests;
    expect(get?.method).toBe('GET');
    expect(get?.params).toMatchObject({ db: 'pubmed', retmode: 'xml', id: known.slice(0, 200).join(',') });
    expect(post?.method).toBe('POST');
    expect(post?.query).toBe('');
    const form = new URLSearchParams(post?.body);
    expect(form.get('id')).toBe(known.join(','));
    expect(form.get('db')).toBe('pubmed');
    expect(form.get('tool')).toBe('paperbot-tests');
  });

  it('efetch of no ids sends nothing', async () => {
    expect((await client().efetch([])).articles).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('elink asks for scored pubmed_pubmed neighbours', async () => {
    await client().elink('22663011');
    expect(fake.requests[0]?.params).toMatchObject({
      dbfrom: 'pubmed',
      db: 'pubmed',
      linkname: 'pubmed_pubmed',
      cmd: 'neighbor_score',
      id: '22663011',
    });
  });
});

describe('what we read back', () => {
  it('efetch: the recorded records, parsed, unknown PMIDs absent', async () => {
    const set = await client().efetch(['35830032', '99999999', '22663011']);
    expect(set.articles.map((a) => a.pmid)).toEqual(['35830032', '22663011']);
    // Values from test/fixtures/ncbi/efetch_pubmed_rct_phase3_databank_22663011.xml
    expect(set.articles[1]?.doi).toBe('10.1056/NEJMoa1203421');
    expect(set.articles[1]?.trials).toEqual(['NCT01245062']);
  });

  it('efetch: the body is read as UTF-8 bytes, a byte-order mark and non-ASCII names included', async () => {
    const xml = readFileSync(join(NCBI_FIXTURES, 'efetch_pubmed_2records_nct_2018.xml'), 'utf8');
    fake.fail('efetch', [{ status: 200, body: `\uFEFF${xml}` }]);
    const set = await client().efetch(['29735362', '29730991']);
    expect(set.articles.map((a) => a.pmid)).toEqual(['29735362', '29730991']);
    expect(JSON.stringify(set.articles[1]?.abstract)).toMatch(/breath-hold duration of 48\s±\s23\ss/);
  });

  it('esearch: a JSON answer behind a byte-order mark is still read', async () => {
    const body = JSON.stringify({
      esearchresult: { count: '1', retmax: '1', retstart: '0', idlist: ['22663011'] },
    });
    fake.fail('esearch', [{ status: 200, body: `\uFEFF${body}` }]);
    expect((await client().esearch(search)).pmids).toEqual(['22663011']);
  });

  it('efetch of only unknown PMIDs is an empty set, not an error', async () => {
    expect((await client().efetch(['99999999'])).articles).toEqual([]);
  });

  it('elink: neighbours by score, best first, without the PMID itself', async () => {
    fake.setLinks('22663011', [
      { id: '35830032', score: 40 },
      { id: '35856662', score: 90 },
      { id: '33856845', score: 65 },
    ]);
    const links = await client().elink('22663011');
    expect(links.map((l) => l.id)).toEqual(['35856662', '33856845', '35830032']);
  });

  it('elink: a recorded answer (no scores) is read in document order', async () => {
    const links = await client().elink('14873513');
    expect(links.slice(0, 2).map((l) => l.id)).toEqual(['16450204', '18567069']);
  });

  it('esearch: the fake pages and counts like NCBI', async () => {
    fake.setSearch('x', ['1', '2', '3', '4', '5', '6', '7']);
    const r = await client().esearch({ term: 'x', retstart: 5, retmax: 5, sort: 'relevance' });
    expect([r.count, r.retstart, r.retmax, r.pmids]).toEqual([7, 5, 2, ['6', '7']]);
  });

  it('esearch: an Entrez-date window answers the recorded records entered in it, newest first', async () => {
    const r = await client().esearch({
      term: 'all',
      retstart: 0,
      retmax: 100,
      sort: 'pub_date',
      datetype: 'edat',
      mindate: '2022/06/01',
      maxdate: '2022/07/20',
    });
    // Entrez dates in the fixtures: 35856662 2022/7/20, 35830032 2022/7/13, 35726897 2022/6/21, 35649368 2022/6/1.
    expect(r.pmids).toEqual(['35856662', '35830032', '35726897', '35649368']);
  });

  it('esearch: nothing found is a count of 0 with PubMed remarks, not an error', async () => {
    fake.setSearchExtras('zzqqxx', { phrasesNotFound: ['zzqqxx'] });
    const r = await client().esearch({ ...search, term: 'zzqqxx' });
    expect(r.count).toBe(0);
    expect(r.phrasesNotFound).toEqual(['zzqqxx']);
    expect(r.outputMessages).toEqual(['No items found.']);
  });
});

describe('failures become PaperbotErrors', () => {
  it('429 → rate_limited with Retry-After; NCBI body kept in the message', async () => {
    fake.fail('esearch', [{ status: 429, headers: { 'retry-after': '2' } }]);
    const e = await failure(client().esearch(search));
    expect(e.code).toBe('rate_limited');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterSeconds).toBe(2);
    expect(e.source).toBe('pubmed');
    expect(e.message).toContain('API rate limit exceeded');
  });

  it('never puts the API key NCBI echoes in a 429 body into the error', async () => {
    fake.fail('esearch', [{ status: 429 }]);
    const e = await failure(client({ apiKey: 'secretkey0123456789' }).esearch(search));
    expect(e.code).toBe('rate_limited');
    expect(JSON.stringify([e.message, String(e.cause)])).not.toContain('secretkey0123456789');
    fake.fail('esearch', [{ status: 500, body: 'backend failed for api_key=secretkey0123456789' }]);
    expect((await failure(client({ apiKey: 'secretkey0123456789' }).esearch(search))).message).not.toContain(
      'secretkey0123456789',
    );
  });

  it('429 without Retry-After has no retryAfterSeconds', async () => {
    fake.fail('esearch', [{ status: 429 }]);
    expect((await failure(client().esearch(search))).retryAfterSeconds).toBeUndefined();
  });

  it.each([
    ['HTTP 503', 'upstream_unavailable', { status: 503 }, true],
    ['HTTP 502 with an HTML page', 'upstream_unavailable', { status: 502, html: true }, true],
    ['a connection reset', 'upstream_unavailable', { reset: true }, true],
    ['HTTP 200 with an HTML page', 'bad_response', { html: true }, true],
    ['a truncated body', 'bad_response', { truncate: true }, true],
    ['HTTP 400', 'upstream_error', { status: 400, body: 'Invalid parameter' }, false],
    [
      'an ESearch ERROR',
      'upstream_error',
      { body: '{"header":{"type":"esearch","version":"0.3"},"esearchresult":{"ERROR":"Invalid query"}}' },
      false,
    ],
  ])('esearch: %s → %s', async (_name, code, step, retryable) => {
    fake.fail('esearch', [step]);
    const e = await failure(client().esearch(search));
    expect([e.code, e.retryable, e.source]).toEqual([code, retryable, 'pubmed']);
  });

  it('an ESearch ERROR reporting backend trouble is retryable', async () => {
    fake.fail('esearch', [
      { body: '{"esearchresult":{"ERROR":"Search Backend failed: Search is temporarily unavailable."}}' },
    ]);
    const e = await failure(client().esearch(search));
    expect([e.code, e.retryable]).toEqual(['upstream_unavailable', true]);
  });

  it('the 10k window error reads as PubMed wrote it', async () => {
    const e = await failure(client().esearch({ ...search, retstart: 10_000 }));
    expect(e.code).toBe('upstream_error');
    expect(e.message).toMatch(/^Search Backend failed: Exception: 'retstart' cannot be larger than 9998\./);
  });

  it.each([
    ['a truncated PubmedArticleSet', 'bad_response', { truncate: true }],
    ['an HTML page', 'bad_response', { html: true }],
    [
      'an <ERROR> answer',
      'upstream_error',
      {
        body: '<?xml version="1.0" ?>\n<eFetchResult>\n\t<ERROR>Empty id list - nothing todo</ERROR>\n</eFetchResult>\n',
      },
    ],
  ])('efetch: %s → %s', async (_name, code, step) => {
    fake.fail('efetch', [step]);
    const e = await failure(client().efetch(['22663011', '35830032']));
    expect(e.code).toBe(code);
    expect(e.source).toBe('pubmed');
  });

  it('elink: a truncated answer → bad_response', async () => {
    fake.fail('elink', [{ truncate: true }]);
    expect((await failure(client().elink('14873513'))).code).toBe('bad_response');
  });

  it('no headers within attemptTimeoutMs → timeout', async () => {
    fake.fail('esearch', [{ hangMs: 3000 }]);
    const e = await failure(client({ attemptTimeoutMs: 200 }).esearch(search));
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
  });

  it("an aborted signal's PaperbotError reason is what the call throws", async () => {
    fake.fail('esearch', [{ hangMs: 3000 }]);
    const controller = new AbortController();
    const reason = new PaperbotError('timeout', 'deadline', { source: 'pubmed' });
    setTimeout(() => controller.abort(reason), 50);
    expect(await failure(client().esearch(search, { signal: controller.signal }))).toBe(reason);
  });

  it('nothing listening → upstream_unavailable', async () => {
    const e = await failure(client({ baseUrl: 'http://127.0.0.1:9/entrez/eutils' }).esearch(search));
    expect([e.code, e.retryable]).toEqual(['upstream_unavailable', true]);
  });

  it('refuses ids that are not PMIDs without sending anything', async () => {
    expect((await failure(client().efetch(['22663011', '1 OR 2']))).code).toBe('bad_input');
    expect(fake.requests).toHaveLength(0);
  });
});
