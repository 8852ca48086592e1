// `library sync` against the fake E-utilities over HTTP: history-server batches, a run stopped halfway
// and resumed, an incremental run by Entrez and modification dates, and windows split past 9,999 records.

import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { openLibrary, type LibraryStore } from '../../src/library/store';
import { syncPubmed, type PubmedSyncDeps } from '../../src/library/sync-pubmed';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { PUBMED_RETRY, PUBMED_SOURCE } from '../../src/pubmed/errors';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createSourceCaller } from '../../src/sources/caller';
import type { RateBudget } from '../../src/core/ports';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';

const QUERY = 'oncology[mh]';
/** Small batches: the recorded fixtures hold a few hundred records, not thousands. */
const BATCH = 50;
let eutils: FakeEutils;
let budget: RateBudget;
let library: LibraryStore;
let pmids: string[];

function deps(extra: Partial<PubmedSyncDeps> = {}): PubmedSyncDeps {
  return {
    library,
    client: createEutilsClient({ baseUrl: eutils.url, tool: 'paperbot-tests', attemptTimeoutMs: 5000 }),
    caller: createSourceCaller({
      source: PUBMED_SOURCE,
      budget,
      clock: systemClock,
      logger: silentLogger,
      random: () => 0,
      policy: { ...PUBMED_RETRY, baseDelayMs: 1 },
    }),
    clock: systemClock,
    batchSize: BATCH,
    ...extra,
  };
}

/** Spreads the records' Entrez dates over 2020 so windows and splits have something to cut. */
function dateAll(): void {
  pmids.forEach((pmid, i) => {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    eutils.setDates(pmid, { entrez: `2020/${month}/${day}`, modified: `2020/${month}/${day}` });
  });
}

const counts = (list: readonly string[]): Map<string, number> => {
  const seen = new Map<string, number>();
  for (const id of list) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
};

beforeAll(async () => {
  eutils = await startFakeEutils();
  budget = createMemoryRateBudget({ perSecond: 1000, clock: systemClock });
});
afterAll(async () => {
  await budget.close();
  await eutils.close();
});
beforeEach(() => {
  eutils.reset();
  library = openLibrary({ path: ':memory:' });
  // Articles only: the fake's book record has no Entrez date to window it by.
  pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  dateAll();
  eutils.setDatedSearch(QUERY, pmids);
});
afterEach(() => library.close());

describe('library sync (PubMed)', () => {
  it('fetches every record through the history server in batches and remembers the sync', async () => {
    expect(pmids.length).toBeGreaterThan(BATCH * 3);
    const summary = await syncPubmed(deps(), QUERY, { since: '2020/01/01' });
    expect(summary).toMatchObject({ finished: true, resumed: false, stored: pmids.length });
    const search = eutils.requests.find((r) => r.utility === 'esearch');
    expect(search?.params).toMatchObject({ usehistory: 'y', datetype: 'edat', mindate: '2020/01/01' });
    const fetches = eutils.requests.filter((r) => r.utility === 'efetch');
    expect(fetches.every((r) => r.params.WebEnv === 'MCID_fake1' && r.params.query_key === '1')).toBe(true);
    expect(fetches.map((r) => r.params.retmax)).toEqual(fetches.map(() => String(BATCH)));
    expect(library.counts().articles).toBe(pmids.length);
    const [saved] = library.listSyncs();
    expect(saved).toMatchObject({ source: 'pubmed', query: QUERY, records: pmids.length });
    expect(saved?.coveredTo).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
    expect(saved?.run).toBeUndefined();
  });

  it('resumes a run stopped halfway and fetches each record once', async () => {
    // The second EFetch fails for good (HTTP 400 is not retried): the run stops after one batch.
    eutils.fail('efetch', [{ status: undefined }, { status: 400 }]);
    await expect(syncPubmed(deps(), QUERY)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(library.counts().articles).toBe(BATCH);
    expect(library.listSyncs()[0]?.run).toBeDefined();

    const again = await syncPubmed(deps(), QUERY);
    expect(again).toMatchObject({ resumed: true, finished: true, stored: pmids.length - BATCH });
    expect(library.counts().articles).toBe(pmids.length);
    const served = counts(eutils.served());
    expect(served.size).toBe(pmids.length);
    expect([...served.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops cleanly on its signal after the batch in hand, and continues later', async () => {
    const stop = new AbortController();
    const first = await syncPubmed(deps({ signal: stop.signal, onProgress: () => stop.abort() }), QUERY);
    expect(first).toMatchObject({ finished: false, stored: BATCH });
    const second = await syncPubmed(deps(), QUERY);
    expect(second).toMatchObject({ finished: true, resumed: true });
    expect([...counts(eutils.served()).values()].every((n) => n === 1)).toBe(true);
  });

  it('a later run fetches only records added or revised since the last one', async () => {
    const old = pmids.slice(0, 5);
    await syncPubmed(deps(), QUERY);
    const coveredTo = library.listSyncs()[0]?.coveredTo as string;
    eutils.reset();
    dateAll();
    const [added, revised] = pmids.slice(-2) as [string, string];
    // `added` enters PubMed after the last run; `revised` is an old record NLM changed since.
    eutils.setDates(added, { entrez: '2099/01/02', modified: '2099/01/02' });
    eutils.setDates(revised, { modified: '2099/01/03' });
    const xml = eutils.records.get(revised)?.xml ?? '';
    eutils.reviseRecord(
      revised,
      xml.replace(/<ArticleTitle>[\s\S]*?<\/ArticleTitle>/, '<ArticleTitle>Revised title.</ArticleTitle>'),
    );
    eutils.setDatedSearch(QUERY, pmids);
    const clock = { ...systemClock, now: () => Date.UTC(2099, 0, 5) };

    const later = await syncPubmed(deps({ clock }), QUERY);
    expect(later).toMatchObject({ finished: true, stored: 2 });
    expect(eutils.served()).toEqual(expect.arrayContaining([added, revised]));
    expect(eutils.served()).toHaveLength(2);
    const searches = eutils.requests.filter((r) => r.utility === 'esearch').map((r) => r.params);
    expect(searches).toEqual([
      expect.objectContaining({ datetype: 'edat', mindate: coveredTo, maxdate: '2099/01/05', term: QUERY }),
      expect.objectContaining({
        datetype: 'mdat',
        mindate: coveredTo,
        term: `(${QUERY}) NOT ("${coveredTo}"[EDAT] : "2099/01/05"[EDAT])`,
      }),
    ]);
    expect(library.getArticles([revised])[0]?.title).toEqual([{ text: 'Revised title.' }]);
    expect(library.getArticles(old)).toHaveLength(5);
    expect(library.listSyncs()[0]).toMatchObject({ coveredTo: '2099/01/05', lastCount: 2 });
  });

  it('halves a window PubMed would cut at 9,999 records, by days, until each half fits', async () => {
    // 12,000 PMIDs over 2020, of which the fake knows the recorded ones: the counts are what matter.
    const many = Array.from({ length: 12_000 }, (_, i) => String(40_000_000 + i));
    many.forEach((id, i) =>
      eutils.setDates(id, { entrez: `2020/${String((i % 12) + 1).padStart(2, '0')}/15` }),
    );
    eutils.setDatedSearch(QUERY, [...pmids, ...many]);
    const summary = await syncPubmed(deps(), QUERY, { since: '2020/01/01' });
    expect(summary.finished).toBe(true);
    const windows = eutils.requests
      .filter((r) => r.utility === 'esearch')
      .map((r) => [r.params.mindate, r.params.maxdate]);
    expect(windows.length).toBeGreaterThan(2);
    expect(library.counts().articles).toBe(pmids.length);
    expect([...counts(eutils.served()).values()].every((n) => n === 1)).toBe(true);
  });
});
