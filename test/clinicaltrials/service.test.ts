// The trials service over real HTTP to the fake ClinicalTrials.gov (recorded fixtures), a real memory cache
// and rate budget, and a stepped clock: caching, stale fallback, retries, deadlines, coalescing, paging.

import { Agent } from 'undici';
import type { CachedDeps } from '../../src/cache/cached';
import { createSingleFlight } from '../../src/cache/singleflight';
import { createCacheStore } from '../../src/cache/store';
import { createCtgovClient } from '../../src/clinicaltrials/client';
import {
  createTrialsService,
  type TrialsService,
  type TrialsServiceDeps,
} from '../../src/clinicaltrials/service';
import { systemClock } from '../../src/core/clock';
import { PaperbotError } from '../../src/core/errors';
import type { CacheStore, RateBudget } from '../../src/core/ports';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';
import { readFixture } from '../peers/ctgov-data';
import { steppedClock, waitUntil, type SteppedClock } from './stepped-clock';

const DAY = 24 * 60 * 60 * 1000;

let peer: FakeCtgov;
let agent: Agent;
let budget: RateBudget;
let store: CacheStore;
let clock: SteppedClock;

beforeAll(async () => {
  peer = await startFakeCtgov();
  agent = new Agent();
  // Pacing runs on real time here: these tests step the service's clock, not the budget's.
  budget = createMemoryRateBudget({ perSecond: 100, clock: systemClock });
  // A KEYNOTE-189-like registration built from a recorded study, plus a longer acronym that the
  // Acronym area search also returns and that must not count as an exact match.
  const keynote = JSON.parse(readFixture('v2_study_NCT06382129_nsclc_fields.json')) as StudyCopy;
  Object.assign(keynote.protocolSection.identificationModule, {
    nctId: 'NCT02578680',
    acronym: 'KEYNOTE-189',
    briefTitle: 'Pemetrexed and Platinum With or Without Pembrolizumab in Nonsquamous NSCLC (KEYNOTE-189)',
  });
  const japan = structuredClone(keynote);
  Object.assign(japan.protocolSection.identificationModule, {
    nctId: 'NCT03950674',
    acronym: 'KEYNOTE-189 Japan',
    briefTitle: 'Japan extension',
  });
  peer.addStudy(keynote);
  peer.addStudy(japan);
});

afterAll(async () => {
  await budget.close();
  await agent.close();
  await peer.close();
});

type StudyCopy = { protocolSection: { identificationModule: Record<string, unknown> } };

beforeEach(async () => {
  peer.requests.length = 0;
  peer.setLatency(0);
  store = await createCacheStore({ kind: 'memory' });
  clock = steppedClock();
});

afterEach(async () => {
  await store.close();
});

function service(overrides: Partial<TrialsServiceDeps> = {}, attemptTimeoutMs = 2000): TrialsService {
  const cache: CachedDeps = { store, clock, flight: createSingleFlight() };
  return createTrialsService({
    client: createCtgovClient({ baseUrl: peer.url, dispatcher: agent, attemptTimeoutMs }),
    budget,
    cache,
    clock,
    random: () => 0.5, // backoff = 3/4 of each step: 188 ms, then 375 ms
    ...overrides,
  });
}

async function failure(work: Promise<unknown>): Promise<PaperbotError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof PaperbotError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('getTrial', () => {
  test('a cache hit makes zero requests', async () => {
    const trials = service();
    const first = await trials.getTrial('NCT02576665');
    expect(first).toMatchObject({ stale: false, trial: { nct: 'NCT02576665', leadSponsor: 'Tocagen Inc.' } });
    const again = await trials.getTrial('nct02576665');
    expect(again.trial).toEqual(first.trial);
    expect(peer.requests).toHaveLength(1);
  });

  test('identical concurrent lookups share one request', async () => {
    peer.setLatency(50);
    const trials = service();
    const results = await Promise.all([1, 2, 3].map(() => trials.getTrial('NCT06382129')));
    expect(results.map((r) => r.trial.nct)).toEqual(['NCT06382129', 'NCT06382129', 'NCT06382129']);
    expect(peer.requests).toHaveLength(1);
  });

  test('a caller that stops waiting leaves the shared lookup running for the others', async () => {
    peer.setLatency(50);
    const trials = service();
    const leaving = new AbortController();
    const first = trials.getTrial('NCT06382129', { signal: leaving.signal });
    const second = trials.getTrial('NCT06382129');
    leaving.abort();
    expect((await failure(first)).code).toBe('timeout');
    expect((await second).trial.nct).toBe('NCT06382129');
    expect(peer.requests).toHaveLength(1);
  });

  test('429 then success: waits the Retry-After, then asks again', async () => {
    peer.fail({ kind: 'rate_limit', retryAfter: '1' });
    const work = service().getTrial('NCT02576665');
    await waitUntil(
      () => peer.requests.length === 1 && clock.pending().includes(1000),
      'the retry waits 1 s',
    );
    expect(peer.requests).toHaveLength(1);
    clock.advance(1000);
    const { trial, stale } = await work;
    expect(trial.status).toBe('TERMINATED');
    expect(stale).toBe(false);
    expect(peer.requests).toHaveLength(2);
  });

  test('5xx and truncated JSON are retried with growing, jittered waits', async () => {
    peer.fail([{ kind: 'server_error' }, { kind: 'malformed_json' }]);
    const work = service().getTrial('NCT02576665');
    await waitUntil(() => clock.pending().includes(188), 'first backoff');
    clock.advance(188);
    await waitUntil(() => peer.requests.length === 2 && clock.pending().includes(375), 'second backoff');
    clock.advance(375);
    expect((await work).trial.nct).toBe('NCT02576665');
    expect(peer.requests).toHaveLength(3);
  });

  test('a Retry-After beyond the deadline ends the call at once with rate_limited', async () => {
    peer.fail({ kind: 'rate_limit', retryAfter: '30' });
    const error = await failure(service().getTrial('NCT02576665'));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(30);
    expect(peer.requests).toHaveLength(1);
  });

  test('the interactive deadline (2.5 s) bounds a hung source', async () => {
    peer.fail({ kind: 'hang' });
    const work = failure(service({}, 60_000).getTrial('NCT02576665'));
    await waitUntil(() => peer.requests.length === 1, 'the request is at the server');
    clock.advance(2500);
    expect((await work).code).toBe('timeout');
  });

  test('not_found and bad_input are not retried; bad_input sends nothing', async () => {
    const trials = service();
    expect((await failure(trials.getTrial('NCT00000001'))).code).toBe('not_found');
    expect(peer.requests).toHaveLength(1);
    expect((await failure(trials.getTrial('KEYNOTE-189'))).code).toBe('bad_input');
    expect(peer.requests).toHaveLength(1);
  });

  test('stale fallback: after the fresh day, a failing source yields the cached copy marked stale', async () => {
    const trials = service({ retry: { maxAttempts: 2 } });
    const fresh = await trials.getTrial('NCT06382129');
    clock.advance(2 * DAY);
    peer.fail([{ kind: 'server_error' }, { kind: 'server_error' }]);
    const work = trials.getTrial('NCT06382129');
    await waitUntil(() => clock.pending().includes(188), 'the retry wait');
    clock.advance(188);
    const result = await work;
    expect(result.stale).toBe(true);
    expect(result.trial).toEqual(fresh.trial);
    expect(peer.requests).toHaveLength(3);
  });

  test('past 30 days the stale copy is gone and the error comes through', async () => {
    const trials = service({ retry: { maxAttempts: 1 } });
    await trials.getTrial('NCT06382129');
    clock.advance(31 * DAY);
    peer.fail({ kind: 'server_error' });
    expect((await failure(trials.getTrial('NCT06382129'))).code).toBe('upstream_unavailable');
  });
});

describe('search and searchAll', () => {
  test('a search page: trials, total, next token; the same search again is served from the cache', async () => {
    const trials = service();
    const page = await trials.search({ cond: 'Phelan-McDermid', pageSize: 5 });
    expect(page.total).toBe(21);
    expect(page.nextPageToken).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw');
    expect(page.trials.map((t) => t.nct)).toEqual([
      'NCT02710084',
      'NCT05105685',
      'NCT01525901',
      'NCT03493607',
      'NCT07119606',
    ]);
    expect(peer.requests[0]?.params.countTotal).toBe('true');
    await trials.search({ cond: ' Phelan-McDermid ', pageSize: 5 });
    expect(peer.requests).toHaveLength(1);
  });

  test('searchAll pages until nextPageToken is absent, through an empty page, keeping every other parameter', async () => {
    const result = await service().searchAll({ cond: 'Phelan-McDermid', pageSize: 5 }, { maxPages: 10 });
    // Recorded page 1 → two more recorded studies → an empty page → the recorded last page (no token).
    expect(result.pages).toBe(4);
    expect(result.complete).toBe(true);
    expect(result.total).toBe(21);
    // The last page repeats three studies of page 1; each trial is kept once.
    expect(result.trials.map((t) => t.nct)).toEqual([
      'NCT02710084',
      'NCT05105685',
      'NCT01525901',
      'NCT03493607',
      'NCT07119606',
      'NCT02576665',
      'NCT06382129',
    ]);
    const tokens = peer.requests.map((r) => r.params.pageToken);
    expect(tokens[0]).toBeUndefined();
    expect(tokens[1]).toBe('ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw');
    expect(tokens.slice(2).every((t) => typeof t === 'string')).toBe(true);
    const rest = peer.requests.map(({ params }) => {
      const { pageToken: _t, countTotal: _c, ...other } = params;
      return other;
    });
    expect(new Set(rest.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  test('maxPages stops early and says the walk is incomplete', async () => {
    const result = await service().searchAll({ cond: 'Phelan-McDermid', pageSize: 5 }, { maxPages: 2 });
    expect(result).toMatchObject({ pages: 2, complete: false, total: 21 });
    expect(result.trials).toHaveLength(7);
  });
});

describe('findByAcronym', () => {
  test('the exact acronym, ignoring case, spaces and dashes; longer acronyms are not matches', async () => {
    const found = await service().findByAcronym('keynote 189');
    expect(found.map((t) => [t.nct, t.acronym])).toEqual([['NCT02578680', 'KEYNOTE-189']]);
    expect(peer.requests).toHaveLength(1);
    expect(peer.requests[0]?.params['query.term']).toBe('AREA[Acronym]"keynote 189"');
  });

  test('no registered acronym: a term search, keeping the studies whose title names it', async () => {
    const found = await service().findByAcronym('PANKU-Lung02');
    expect(found.map((t) => t.nct)).toEqual(['NCT06382129']);
    expect(peer.requests.map((r) => r.params['query.term'])).toEqual([
      'AREA[Acronym]"PANKU-Lung02"',
      'PANKU-Lung02',
    ]);
  });

  test('nothing anywhere: an empty list', async () => {
    expect(await service().findByAcronym('ZZTOP-9')).toEqual([]);
  });
});

test('a trial stays fresh for a day, then is asked for again', async () => {
  const trials = service();
  await trials.getTrial('NCT02576665');
  clock.advance(DAY - 1);
  await trials.getTrial('NCT02576665');
  expect(peer.requests).toHaveLength(1);
  clock.advance(2);
  expect((await trials.getTrial('NCT02576665')).stale).toBe(false);
  expect(peer.requests).toHaveLength(2);
});
