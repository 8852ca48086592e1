// The service when NCBI misbehaves: retries on what can clear, none on refusals, Retry-After, one deadline
// per call, and stale cached answers when the source is down.

import { PaperbotError } from '../../src/core/errors';
import type { SearchQuery } from '../../src/core/query';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startHarness, type Harness } from './service-harness';

let fake: FakeEutils;
let h: Harness;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEADLINES = { interactiveMs: 1500, batchMs: 5000 };

const query = (terms: string): SearchQuery => ({
  terms,
  types: [],
  sort: 'relevance',
  start: 0,
  pageSize: 5,
});
const sent = (utility: string) => fake.requests.filter((r) => r.utility === utility);

async function failure(p: Promise<unknown>): Promise<PaperbotError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof PaperbotError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  fake = await startFakeEutils();
});
beforeEach(async () => {
  fake.reset();
  fake.setSearch('braf melanoma', ['22663011', '35830032']);
  // random() = 0.5: half the backoff ceiling, so waits are short but not zero.
  h = await startHarness(fake, { deadlines: DEADLINES, random: () => 0.5 });
});
afterEach(() => h.close());
afterAll(() => fake.close());

describe('retries', () => {
  it('answers after a 429', async () => {
    fake.fail('esearch', [{ status: 429 }]);
    const r = await h.service.search(query('braf melanoma'));
    expect(r.pmids).toEqual(['22663011', '35830032']);
    expect(sent('esearch')).toHaveLength(2);
  });

  it('waits as long as Retry-After says when that fits in the deadline', async () => {
    fake.fail('esearch', [{ status: 429, headers: { 'retry-after': '1' } }]);
    const r = await h.service.search(query('braf melanoma'));
    expect(r.articles).toHaveLength(2);
    const [first, second] = sent('esearch');
    // Behaviour, not speed: the second attempt did not start before the second NCBI asked for.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('gives the 429 back at once when Retry-After outlasts the deadline', async () => {
    fake.fail('esearch', [{ status: 429, headers: { 'retry-after': '30' } }]);
    const e = await failure(h.service.search(query('braf melanoma')));
    expect([e.code, e.retryAfterSeconds]).toEqual(['rate_limited', 30]);
    expect(sent('esearch')).toHaveLength(1);
  });

  it.each([
    ['an HTML error page', { html: true }],
    ['a 502', { status: 502 }],
    ['a connection reset', { reset: true }],
    ['a truncated answer', { truncate: true }],
  ])('answers after %s on efetch', async (_name, step) => {
    fake.fail('efetch', [step]);
    const r = await h.service.search(query('braf melanoma'));
    expect(r.articles.map((a) => a.pmid)).toEqual(['22663011', '35830032']);
    expect(sent('efetch')).toHaveLength(2);
  });

  it('does not retry a query PubMed refused', async () => {
    fake.setSearchExtras('braf melanoma', { error: 'Invalid query: unbalanced parentheses' });
    const e = await failure(h.service.search(query('braf melanoma')));
    expect([e.code, e.retryable, e.message]).toEqual([
      'upstream_error',
      false,
      'Invalid query: unbalanced parentheses',
    ]);
    expect(sent('esearch')).toHaveLength(1);
  });

  it('gives up with the last error once the deadline leaves no room', async () => {
    fake.fail(
      'esearch',
      Array.from({ length: 20 }, () => ({ status: 503 })),
    );
    const started = Date.now();
    const e = await failure(h.service.search(query('braf melanoma')));
    expect(e.code).toBe('upstream_unavailable');
    expect(Date.now() - started).toBeLessThan(DEADLINES.interactiveMs + 500);
    expect(sent('esearch').length).toBeGreaterThan(1);
    expect(sent('esearch').length).toBeLessThanOrEqual(5);
  });
});

describe('the deadline', () => {
  it('a hang past the deadline → timeout, within the deadline, and the service keeps working', async () => {
    fake.fail('esearch', [{ hangMs: 10_000 }]);
    const started = Date.now();
    const e = await failure(h.service.search(query('braf melanoma')));
    const elapsed = Date.now() - started;
    expect([e.code, e.source]).toEqual(['timeout', 'pubmed']);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINES.interactiveMs - 50);
    expect(elapsed).toBeLessThan(DEADLINES.interactiveMs + 500);
    // The next call is served normally.
    expect((await h.service.search(query('braf melanoma'))).articles).toHaveLength(2);
  });

  it('ends with the last failure an attempt met when a later attempt hangs past the deadline', async () => {
    fake.fail('esearch', [{ status: 503 }, { hangMs: 10_000 }]);
    const started = Date.now();
    const e = await failure(h.service.search(query('braf melanoma')));
    expect(e.code).toBe('upstream_unavailable');
    expect(Date.now() - started).toBeLessThan(DEADLINES.interactiveMs + 500);
    expect(sent('esearch')).toHaveLength(2);
  });

  it('one deadline covers esearch and efetch together', async () => {
    fake.fail('esearch', [{ hangMs: 1000 }]);
    fake.fail('efetch', [{ hangMs: 1000 }]);
    const started = Date.now();
    const e = await failure(h.service.search(query('braf melanoma')));
    expect(e.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(DEADLINES.interactiveMs + 500);
  });

  it('a caller that stops waiting does not cancel the identical call it joined', async () => {
    fake.fail('esearch', [{ hangMs: 300 }]);
    const controller = new AbortController();
    const first = h.service.search(query('braf melanoma'), { signal: controller.signal });
    const second = h.service.search(query('braf melanoma'));
    controller.abort();
    expect((await failure(first)).code).toBe('timeout');
    expect((await second).articles).toHaveLength(2);
    expect(sent('esearch')).toHaveLength(1);
  });
});

describe('stale fallback', () => {
  it('serves the cached search with stale: true when the page expired and NCBI is down', async () => {
    const fresh = await h.service.search(query('braf melanoma'));
    h.cacheClock.advance(2 * HOUR);
    fake.fail(
      'any',
      Array.from({ length: 20 }, () => ({ status: 503 })),
    );
    const r = await h.service.search(query('braf melanoma'));
    expect(r.stale).toBe(true);
    expect(r.pmids).toEqual(fresh.pmids);
    expect(r.articles).toEqual(fresh.articles);
  });

  it('serves cached records with stale: true when they expired and efetch fails', async () => {
    await h.service.fetchArticles(['22663011']);
    h.cacheClock.advance(8 * DAY);
    fake.fail(
      'efetch',
      Array.from({ length: 20 }, () => ({ html: true })),
    );
    const r = await h.service.fetchArticles(['22663011']);
    expect(r.stale).toBe(true);
    expect(r.articles.map((a) => a.doi)).toEqual(['10.1056/NEJMoa1203421']);
  });

  it('refreshes an expired page when NCBI answers', async () => {
    await h.service.search(query('braf melanoma'));
    h.cacheClock.advance(2 * HOUR);
    fake.setSearch('braf melanoma', ['35830032']);
    const r = await h.service.search(query('braf melanoma'));
    expect([r.stale, r.pmids]).toEqual([false, ['35830032']]);
  });

  it('fails rather than call a record missing when the source is down and only part is cached', async () => {
    await h.service.fetchArticles(['22663011']);
    h.cacheClock.advance(8 * DAY);
    fake.fail(
      'efetch',
      Array.from({ length: 20 }, () => ({ status: 503 })),
    );
    const e = await failure(h.service.fetchArticles(['22663011', '35830032']));
    expect(e.code).toBe('upstream_unavailable');
  });

  it('keeps stale copies 30 days, not longer', async () => {
    await h.service.search(query('braf melanoma'));
    h.cacheClock.advance(31 * DAY);
    fake.fail(
      'any',
      Array.from({ length: 20 }, () => ({ status: 503 })),
    );
    expect((await failure(h.service.search(query('braf melanoma')))).code).toBe('upstream_unavailable');
  });
});
