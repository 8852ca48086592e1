// The shared rate budget seen from NCBI's side: however many distinct lookups run at once through one
// service, the fake (which answers 429 past NCBI's limit, as NCBI does) never sees more starts per second.

import { ARRIVAL_MARGIN_MS } from '../../src/sources/budget';
import { maxStartsInWindow, startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startHarness, type Harness } from './service-harness';

let fake: FakeEutils;
let h: Harness | undefined;

beforeAll(async () => {
  fake = await startFakeEutils({ enforceRateLimit: true });
});
beforeEach(() => fake.reset());
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => fake.close());

/**
 * NCBI counts arrivals, the budget counts grants: a start waits a little past its second (the margin)
 * to absorb the spread between grant and arrival. Here that spread reaches tens of ms (a cold socket, the
 * event loop busy parsing a record), so the budget is given 100 ms, as production should be (see report).
 */
const MARGIN_MS = ARRIVAL_MARGIN_MS;

/** 30 distinct single-record lookups, all started at once. */
async function thirtyLookups(harness: Harness): Promise<number> {
  const pmids = [...fake.records.keys()].slice(0, 30);
  const results = await Promise.all(
    pmids.map((p) => harness.service.fetchArticles([p], { priority: 'batch' })),
  );
  return results.filter((r) => r.articles.length === 1).length;
}

it('without a key: 30 concurrent lookups, never more than 3 request starts in any rolling second', async () => {
  h = await startHarness(fake, {
    perSecond: 3,
    budgetMarginMs: MARGIN_MS,
    deadlines: { interactiveMs: 2500, batchMs: 30_000 },
  });
  expect(await thirtyLookups(h)).toBe(30);
  expect(fake.requests).toHaveLength(30);
  expect(maxStartsInWindow(fake.requests)).toBeLessThanOrEqual(3);
  // The fake answers 429 past the limit; none was needed.
  expect(new Set(fake.requests.map((r) => r.params.api_key))).toEqual(new Set([undefined]));
}, 30_000);

it('with an API key: 30 concurrent lookups, never more than 10 request starts in any rolling second', async () => {
  h = await startHarness(fake, {
    perSecond: 10,
    budgetMarginMs: MARGIN_MS,
    apiKey: 'testkey0123456789',
    deadlines: { interactiveMs: 2500, batchMs: 30_000 },
  });
  expect(await thirtyLookups(h)).toBe(30);
  expect(fake.requests).toHaveLength(30);
  expect(maxStartsInWindow(fake.requests)).toBeLessThanOrEqual(10);
  expect(fake.requests.every((r) => r.params.api_key === 'testkey0123456789')).toBe(true);
}, 30_000);

it('the fake itself answers 429 past 3 starts a second without a key (so the tests above can fail)', async () => {
  h = await startHarness(fake, { perSecond: 10, deadlines: { interactiveMs: 2500, batchMs: 30_000 } });
  const client = h.client;
  const pmids = [...fake.records.keys()].slice(0, 6);
  // The bare client: one attempt each, no budget.
  const outcomes = await Promise.all(
    pmids.map((p) =>
      client.efetch([p]).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      ),
    ),
  );
  expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
  expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(3);
});
