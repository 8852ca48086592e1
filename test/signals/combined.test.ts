// The combiner over the three services and their fake peers: one deadline for all, a slow or failing
// service dropping only its own fields (never the answer, never past the deadline), the merge, and DOIs
// learned from Europe PMC handed to Unpaywall and Crossref.

import { startPeers, resetPeers, buildServices, type Peers, type Built } from './harness';
import type { PeerFailure } from '../peers/json-peer';

let peers: Peers;
let built: Built;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  peers = await startPeers();
  // A PubMed record whose DOI Europe PMC knows: the recorded result of 32081490, under PMID 1 with a DOI
  // that Unpaywall and Crossref have recorded answers for.
  peers.epmc.answerAs('1', '32081490', { doi: '10.1371/journal.pone.0033693' });
  peers.unpaywall.serveAs('10.1371/journal.pone.0033693', '10.1016/j.addr.2015.01.008');
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

const REFS = [{ pmid: '1', doi: '10.1371/journal.pone.0033693' }];

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('merging', () => {
  it('takes the count from Europe PMC, the classified open copy from Unpaywall, notices from Crossref', async () => {
    const got = (await built.combined(2000).signalsFor(REFS)).get('1');
    expect(got?.citedBy).toMatchObject({ service: 'europepmc', count: 39 });
    expect(got?.openAccess).toMatchObject({ service: 'unpaywall', status: 'open', kind: 'hybrid' });
    expect(got?.publisherNotices).toEqual([
      expect.objectContaining({ service: 'crossref', type: 'correction' }),
    ]);
  });
});

describe('a slow service', () => {
  it('drops only its own fields, and the answer comes at the deadline', async () => {
    peers.epmc.delayMs = 3000;
    const { value, ms } = await timed(built.combined(300).signalsFor(REFS));
    expect(ms).toBeLessThan(300 + 150);
    expect(ms).toBeGreaterThanOrEqual(280);
    const got = value.get('1');
    expect(got?.citedBy).toBeUndefined();
    expect(got?.openAccess).toMatchObject({ kind: 'hybrid' });
    expect(got?.publisherNotices).toHaveLength(1);
  });

  it('the caller stopping waiting ends it at once, with what has arrived', async () => {
    peers.unpaywall.delayMs = 3000;
    peers.crossref.delayMs = 3000;
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const { value, ms } = await timed(built.combined(2000).signalsFor(REFS, { signal: stop.signal }));
    expect(ms).toBeLessThan(200 + 150);
    expect(value.get('1')?.citedBy?.count).toBe(39);
    expect(value.get('1')?.openAccess).toMatchObject({ service: 'europepmc' });
  });
});

describe('a failing service', () => {
  const failures: [string, PeerFailure][] = [
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['a body that is not JSON', { kind: 'garbage' }],
    ['a connection reset', { kind: 'reset' }],
  ];
  it.each(failures)('%s from Europe PMC drops its fields only', async (_name, failure) => {
    peers.epmc.always(failure);
    const { value, ms } = await timed(built.combined(600).signalsFor(REFS));
    expect(ms).toBeLessThan(600);
    const got = value.get('1');
    expect(got?.citedBy).toBeUndefined();
    expect(got?.openAccess).toMatchObject({ service: 'unpaywall' });
  });

  it('every service failing is an empty answer, not an error', async () => {
    for (const peer of [peers.epmc, peers.unpaywall, peers.crossref])
      peer.always({ kind: 'status', status: 503 });
    await expect(built.combined(600).signalsFor(REFS)).resolves.toEqual(new Map());
  });
});

describe('DOIs learned on the way', () => {
  it('are handed to Unpaywall and Crossref, whose answers fill the cache for the next answer', async () => {
    const combined = built.combined(2000);
    const first = (await combined.signalsFor([{ pmid: '1' }])).get('1');
    expect(first?.citedBy?.count).toBe(39);
    await sleep(100); // the later round finishes in the background
    expect(peers.unpaywall.requests.map((r) => r.path)).toEqual(['/10.1371/journal.pone.0033693']);
    expect(peers.crossref.requests.map((r) => r.path)).toEqual(['/works/10.1371/journal.pone.0033693']);
    const again = (await combined.signalsFor([{ pmid: '1' }])).get('1');
    expect(again?.openAccess).toMatchObject({ service: 'unpaywall', kind: 'hybrid' });
    expect(again?.publisherNotices).toHaveLength(1);
    expect(peers.unpaywall.requests).toHaveLength(1);
  });

  it('are waited for while the rest of the answer (`ready`) is still coming', async () => {
    for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.delayMs = 50;
    const got = (
      await built.combined(2000).signalsFor([{ pmid: '1' }], { ready: sleep(300).then(() => undefined) })
    ).get('1');
    expect(got?.openAccess).toMatchObject({ service: 'unpaywall' });
    expect(got?.publisherNotices).toHaveLength(1);
  });

  it("come from the caller's records too, when no service knows the article", async () => {
    const ready = sleep(50).then(() => [{ pmid: '77', doi: '10.1016/j.xgen.2025.100814' }]);
    // A grace long enough for a round trip on a busy machine: what is tested is where the DOI came from.
    const combined = built.combined(2000, { lateRoundGraceMs: 500 });
    const got = (await combined.signalsFor([{ pmid: '77' }], { ready })).get('77');
    expect(got?.citedBy).toBeUndefined();
    expect(got?.openAccess).toMatchObject({ service: 'unpaywall', kind: 'gold' });
  });

  it('are waited for, within the deadline, when the caller asks for a complete answer', async () => {
    for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.delayMs = 100;
    const options = { ready: Promise.resolve(undefined), complete: true };
    const got = (await built.combined(2000).signalsFor([{ pmid: '1' }], options)).get('1');
    expect(got?.publisherNotices).toHaveLength(1);
  });

  it('are not waited for once the rest is ready: a cold answer costs one signal round trip', async () => {
    for (const peer of [peers.epmc, peers.unpaywall, peers.crossref]) peer.delayMs = 100;
    const { value, ms } = await timed(
      built.combined(2000).signalsFor([{ pmid: '1' }], { ready: Promise.resolve(undefined) }),
    );
    expect(ms).toBeLessThan(100 + 60);
    expect(value.get('1')?.citedBy?.count).toBe(39);
    expect(value.get('1')?.openAccess).toMatchObject({ service: 'europepmc' });
  });
});
