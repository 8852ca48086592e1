// Each signal service through the real HTTP boundary to its fake peer serving recorded answers: one batched
// request for a page of PMIDs, the contact e-mail on every Unpaywall and Crossref call, 404 as "no answer",
// and the cache answering the next identical question without a request.

import { startPeers, resetPeers, buildServices, TEST_EMAIL, type Peers, type Built } from './harness';

let peers: Peers;
let built: Built;

beforeAll(async () => {
  peers = await startPeers();
});
afterAll(async () => {
  await peers.close();
});
beforeEach(async () => {
  resetPeers(peers);
  built = await buildServices(peers);
});
afterEach(async () => {
  await built.close();
});

describe('Europe PMC', () => {
  it('asks for a page of PMIDs in one lite search and answers by PMID', async () => {
    const got = await built.epmc.signalsFor([
      { pmid: '36457512' },
      { pmid: '32081490' },
      { pmid: '99999999' }, // a PMID Europe PMC does not know: left out
    ]);
    expect(peers.epmc.requests).toHaveLength(1);
    const params = peers.epmc.requests[0]?.params ?? {};
    expect(params.query).toBe('(EXT_ID:36457512 OR EXT_ID:32081490 OR EXT_ID:99999999) AND SRC:MED');
    expect(params).toMatchObject({ resultType: 'lite', format: 'json', pageSize: '3' });
    expect([...got.keys()]).toEqual(['36457512', '32081490']);
    expect(got.get('32081490')?.citedBy?.count).toBe(39);
  });

  it('answers again from the cache, unknown PMIDs included, without a request', async () => {
    const refs = [{ pmid: '36457512' }, { pmid: '99999999' }];
    await built.epmc.signalsFor(refs);
    const again = await built.epmc.signalsFor(refs);
    expect(peers.epmc.requests).toHaveLength(1);
    expect(again.get('36457512')?.citedBy?.count).toBe(4);
  });

  it('asks only for the PMIDs the cache lacks', async () => {
    await built.epmc.signalsFor([{ pmid: '36457512' }]);
    await built.epmc.signalsFor([{ pmid: '36457512' }, { pmid: '19142183' }]);
    expect(peers.epmc.requests.map((r) => r.params.query)).toEqual([
      '(EXT_ID:36457512) AND SRC:MED',
      '(EXT_ID:19142183) AND SRC:MED',
    ]);
  });

  it('retries one server error, then fails the batch as upstream_unavailable', async () => {
    peers.epmc.fail([{ kind: 'status', status: 503 }]);
    const ok = await built.epmc.signalsFor([{ pmid: '36457512' }]);
    expect(ok.get('36457512')?.citedBy?.count).toBe(4);
    peers.epmc.always({ kind: 'status', status: 500 });
    await expect(built.epmc.signalsFor([{ pmid: '19142183' }])).rejects.toMatchObject({
      code: 'upstream_unavailable',
      source: 'europepmc',
    });
  });

  it('pages the "Cited by" list from the recorded page', async () => {
    const list = await built.epmc.citedBy('24073682', 0, 5);
    expect(list.total).toBe(1257);
    expect(list.works.map((w) => w.pmid)).toHaveLength(5);
    expect(peers.epmc.requests[0]).toMatchObject({
      path: '/MED/24073682/citations',
      params: { page: '1', pageSize: '5', format: 'json' },
    });
  });
});

describe('Unpaywall', () => {
  it('asks per DOI with the contact e-mail, and says gold, hybrid or closed', async () => {
    const got = await built.unpaywall.signalsFor([
      { pmid: '1', doi: '10.1016/j.xgen.2025.100814' },
      { pmid: '2', doi: '10.1016/J.ADDR.2015.01.008' },
      { pmid: '3', doi: '10.1007/s40278-023-41815-2' },
      { pmid: '4' }, // no DOI: not asked
      { pmid: '5', doi: '10.9999/unknown' }, // 404: no answer
    ]);
    expect(peers.unpaywall.requests).toHaveLength(4);
    expect(peers.unpaywall.requests.every((r) => r.params.email === TEST_EMAIL)).toBe(true);
    expect(got.get('1')?.openAccess).toMatchObject({ status: 'open', kind: 'gold' });
    expect(got.get('2')?.openAccess).toMatchObject({ status: 'open', kind: 'hybrid' });
    expect(got.get('3')?.openAccess).toEqual({ service: 'unpaywall', status: 'closed' });
    expect(got.has('4')).toBe(false);
    expect(got.has('5')).toBe(false);
  });

  it('a week of cache: asked once per DOI, the 404 included', async () => {
    const refs = [
      { pmid: '1', doi: '10.1016/j.xgen.2025.100814' },
      { pmid: '5', doi: '10.9999/unknown' },
    ];
    await built.unpaywall.signalsFor(refs);
    await built.unpaywall.signalsFor(refs);
    expect(peers.unpaywall.requests).toHaveLength(2);
  });

  it('a failure for one DOI costs only that DOI', async () => {
    peers.unpaywall.fail([{ kind: 'reset' }, { kind: 'reset' }]);
    const got = await built.unpaywall.signalsFor([
      { pmid: '1', doi: '10.1016/j.xgen.2025.100814' },
      { pmid: '2', doi: '10.1016/j.addr.2015.01.008' },
    ]);
    expect(got.size).toBeGreaterThanOrEqual(1);
  });
});

describe('Crossref', () => {
  it('asks /works/{doi} in the polite pool and reads the publisher correction', async () => {
    const got = await built.crossref.signalsFor([
      { pmid: '1', doi: '10.1371/journal.pone.0033693' },
      { pmid: '2', doi: '10.1371/journal.ppat.1008184' }, // only a new version: no notice
      { pmid: '3', doi: '10.9999/unknown' }, // not a Crossref DOI: nothing registered there
    ]);
    expect(peers.crossref.requests.map((r) => r.path).sort()).toEqual([
      '/works/10.1371/journal.pone.0033693',
      '/works/10.1371/journal.ppat.1008184',
      '/works/10.9999/unknown',
    ]);
    expect(peers.crossref.requests.every((r) => r.params.mailto === TEST_EMAIL)).toBe(true);
    expect(got.get('1')?.publisherNotices).toEqual([
      expect.objectContaining({ type: 'correction', date: '2012-05-08', registeredBy: 'publisher' }),
    ]);
    expect(got.has('2')).toBe(false);
    expect(got.has('3')).toBe(false);
  });

  it('reads the preprint a journal article registered, and caches notices and versions together', async () => {
    const refs = [{ pmid: '7', doi: '10.1371/journal.pone.0173707' }];
    const got = await built.crossref.signalsFor(refs);
    expect(got.get('7')).toEqual({
      versions: [expect.objectContaining({ relation: 'preprint', doi: '10.1101/074898' })],
    });
    expect(await built.crossref.signalsFor(refs)).toEqual(got);
    expect(peers.crossref.requests).toHaveLength(1);
  });

  it('fails the batch only when every DOI failed', async () => {
    peers.crossref.always({ kind: 'garbage' });
    await expect(
      built.crossref.signalsFor([{ pmid: '1', doi: '10.1371/journal.pone.0033693' }]),
    ).rejects.toMatchObject({ code: 'bad_response', source: 'crossref' });
  });
});
