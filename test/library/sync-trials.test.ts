// `library sync-trials` against the fake ClinicalTrials.gov over HTTP: pageToken paging, a run stopped
// halfway and resumed without refetching, and a later run asking only for studies updated since.

import { createCtgovClient } from '../../src/clinicaltrials/client';
import { CTGOV_RETRY, CTGOV_SOURCE } from '../../src/clinicaltrials/errors';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import type { RateBudget } from '../../src/core/ports';
import { openLibrary, type LibraryStore } from '../../src/library/store';
import { syncTrials, trialsTerm, type TrialsSyncDeps } from '../../src/library/sync-trials';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createSourceCaller } from '../../src/sources/caller';
import { startFakeCtgov, type FakeCtgov } from '../peers/ctgov';
import { readFixture, RECORDED_STUDIES } from '../peers/ctgov-data';

const QUERY = 'quokka';
const PAGE = 4;
let ctgov: FakeCtgov;
let budget: RateBudget;
let library: LibraryStore;

/** A recorded study under a new NCT id, titled for QUERY, last updated on `updated` (YYYY-MM-DD). */
function study(n: number, updated: string): unknown {
  const json = JSON.parse(readFixture(RECORDED_STUDIES.NCT02576665 as string)) as {
    protocolSection: {
      identificationModule: { nctId: string; briefTitle: string };
      statusModule: { lastUpdatePostDateStruct?: { date: string } };
    };
  };
  json.protocolSection.identificationModule.nctId = `NCT9${String(n).padStart(7, '0')}`;
  json.protocolSection.identificationModule.briefTitle = `Quokka study ${n}`;
  json.protocolSection.statusModule.lastUpdatePostDateStruct = { date: updated };
  return json;
}

function deps(extra: Partial<TrialsSyncDeps> = {}): TrialsSyncDeps {
  return {
    library,
    client: createCtgovClient({ baseUrl: ctgov.url, attemptTimeoutMs: 5000 }),
    caller: createSourceCaller({
      source: CTGOV_SOURCE,
      budget,
      clock: systemClock,
      logger: silentLogger,
      policy: { ...CTGOV_RETRY, baseDelayMs: 1 },
      random: () => 0,
    }),
    clock: systemClock,
    pageSize: PAGE,
    ...extra,
  };
}

const searches = () => ctgov.requests.filter((r) => r.path === '/studies');

beforeAll(async () => {
  budget = createMemoryRateBudget({ perSecond: 1000, clock: systemClock });
});
afterAll(() => budget.close());
beforeEach(async () => {
  ctgov = await startFakeCtgov();
  for (let n = 1; n <= 10; n += 1) ctgov.addStudy(study(n, '2024-01-10'));
  library = openLibrary({ path: ':memory:' });
});
afterEach(async () => {
  library.close();
  await ctgov.close();
});

it('pages with pageToken and stores every study once, then lists the sync', async () => {
  const summary = await syncTrials(deps(), QUERY);
  expect(summary).toMatchObject({ finished: true, stored: 10 });
  expect(searches().map((r) => r.params.pageSize)).toEqual(['4', '4', '4']);
  expect(searches()[0]?.params).toMatchObject({ 'query.term': QUERY, countTotal: 'true' });
  expect(searches()[1]?.params.pageToken).toBeDefined();
  expect(library.counts().trials).toBe(10);
  expect(library.listSyncs()[0]).toMatchObject({
    source: 'clinicaltrials',
    query: QUERY,
    records: 10,
    lastCount: 10,
  });
});

it('resumes at the page after the last one stored', async () => {
  const stop = new AbortController();
  const first = await syncTrials(deps({ signal: stop.signal, onProgress: () => stop.abort() }), QUERY);
  expect(first).toMatchObject({ finished: false, stored: PAGE });
  expect(library.listSyncs()[0]?.run).toBeDefined();
  const before = searches().length;
  const rest = await syncTrials(deps(), QUERY);
  expect(rest).toMatchObject({ resumed: true, finished: true, stored: 10 - PAGE });
  expect(
    searches()
      .slice(before)
      .every((r) => r.params.pageToken !== undefined),
  ).toBe(true);
  expect(library.counts().trials).toBe(10);
});

it('starts the run over when the API no longer knows the saved page token', async () => {
  const stop = new AbortController();
  await syncTrials(deps({ signal: stop.signal, onProgress: () => stop.abort() }), QUERY);
  // A restarted API has forgotten its tokens, as a token too old would be refused.
  await ctgov.close();
  ctgov = await startFakeCtgov();
  for (let n = 1; n <= 10; n += 1) ctgov.addStudy(study(n, '2024-01-10'));
  const rest = await syncTrials(deps(), QUERY);
  expect(rest).toMatchObject({ resumed: true, finished: true, stored: 10 });
  expect(searches().map((r) => r.params.pageToken === undefined)).toEqual([false, true, false, false]);
  expect(library.counts().trials).toBe(10);
});

it('a later run asks only for studies updated since the last one', async () => {
  await syncTrials(deps(), QUERY);
  const coveredTo = library.listSyncs()[0]?.coveredTo as string;
  ctgov.addStudy(study(3, '2099-02-01'));
  ctgov.addStudy(study(11, '2099-02-02'));
  ctgov.requests.length = 0;
  const later = await syncTrials(deps({ clock: { ...systemClock, now: () => Date.UTC(2099, 1, 3) } }), QUERY);
  expect(later).toMatchObject({ finished: true, stored: 2 });
  expect(searches()[0]?.params['query.term']).toBe(trialsTerm(QUERY, coveredTo));
  expect(trialsTerm(QUERY, '2024/05/06')).toBe('(quokka) AND AREA[LastUpdatePostDate]RANGE[2024-05-06,MAX]');
  expect(library.counts().trials).toBe(11);
  expect(library.listSyncs()[0]).toMatchObject({ coveredTo: '2099/02/03', lastCount: 2 });
});
