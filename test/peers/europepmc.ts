// A fake Europe PMC REST on 127.0.0.1: `search` (EXT_ID:… OR EXT_ID:… AND SRC:MED, lite) answered with the
// recorded result objects of those PMIDs, and /MED/{pmid}/citations|references with the recorded pages.
// `answerAs` lets a test's PubMed record borrow a recorded result (its pmid/id, and optionally its DOI,
// rewritten): the recorded PubMed fixtures and the recorded Europe PMC ones share no article.

import { startJsonPeer, type JsonPeer, type PeerAnswer } from './json-peer';
import { readSignalFixture, recordedEpmcResults, type EpmcResult } from './signal-fixtures';

export interface FakeEuropePmc extends JsonPeer {
  /** The recorded MED results, by PMID. */
  recorded: ReadonlyMap<string, EpmcResult>;
  /** Answers for `pmid` with the recorded result of `recordedPmid`, under `pmid` (and `doi` when given). */
  answerAs(pmid: string, recordedPmid: string, o?: { doi?: string }): void;
  /** Serves `pmid`'s citations or references with the recorded page of `recordedPmid`. */
  listAs(pmid: string, kind: 'citations' | 'references', recordedPmid: string): void;
}

const ROOT = '/europepmc/webservices/rest';
const LISTS: Record<string, string> = {
  '24073682/citations': 'epmc-MED-24073682-citations-pageSize5.json',
  '28815688/references': 'epmc-MED-28815688-references-pageSize5.json',
};

export async function startFakeEuropePmc(o: { delayMs?: number } = {}): Promise<FakeEuropePmc> {
  const recorded = recordedEpmcResults();
  const served = new Map<string, EpmcResult>(recorded);
  const lists = new Map<string, string>(Object.entries(LISTS));

  function search(params: URLSearchParams): PeerAnswer {
    const query = params.get('query') ?? '';
    const pmids = [...query.matchAll(/EXT_ID:(\d+)/g)].map((m) => m[1] as string);
    const result = pmids.flatMap((p) => served.get(p) ?? []);
    const body = {
      version: '6.9',
      hitCount: result.length,
      request: { queryString: query, resultType: (params.get('resultType') ?? 'lite').toUpperCase() },
      resultList: { result },
    };
    return { status: 200, body: JSON.stringify(body) };
  }

  const peer = await startJsonPeer(
    ROOT,
    (path, params) => {
      if (path === '/search') return search(params);
      const list = /^\/MED\/(\d+)\/(citations|references)$/.exec(path);
      const file = list && params.get('page') === '1' ? lists.get(`${list[1]}/${list[2]}`) : undefined;
      if (file) return { status: 200, body: readSignalFixture('europepmc', file) };
      return { status: 404, body: 'Not Found', type: 'text/plain' };
    },
    o,
  );
  return Object.assign(peer, {
    recorded,
    answerAs(pmid: string, recordedPmid: string, opts: { doi?: string } = {}) {
      const original = recorded.get(recordedPmid);
      if (!original) throw new Error(`no recorded Europe PMC result for PMID ${recordedPmid}`);
      served.set(pmid, { ...original, id: pmid, pmid, ...(opts.doi ? { doi: opts.doi } : {}) });
    },
    listAs(pmid: string, kind: 'citations' | 'references', recordedPmid: string) {
      const file = LISTS[`${recordedPmid}/${kind}`];
      if (!file) throw new Error(`no recorded Europe PMC ${kind} page for PMID ${recordedPmid}`);
      lists.set(`${pmid}/${kind}`, file);
    },
  });
}
