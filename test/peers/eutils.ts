// A fake NCBI E-utilities on 127.0.0.1 for every test that talks to PubMed: esearch (JSON), efetch (recorded
// records), elink, GET and form POST, a request log, scripted failures, optional 429 enforcement.
// What it answers is ./eutils-answers.ts's, in shapes from ./eutils-data.ts; it never uses our own parsers.
//
//   const eutils = await startFakeEutils();                        // base URL in eutils.url
//   eutils.setSearch('braf melanoma', ['22663011', '35830032']);   // esearch → these PMIDs
//   eutils.fail('efetch', [{ status: 429 }, { truncate: true }]);  // the next two efetches fail, then normal
//   … eutils.requests.filter((r) => r.utility === 'esearch')[0]?.params.term …
//   afterAll(() => eutils.close());
//
// Records: every <PubmedArticle>/<PubmedBookArticle> of test/fixtures/ncbi/efetch_*.xml (eutils.records).
// Unknown terms find nothing ("No items found."); an esearch with datetype=edat&mindate&maxdate that no
// setSearch matches answers the records whose Entrez date falls in the window, newest first.
// setDatedSearch answers by each record's Entrez or modification date (setDates overrides them); any
// search with usehistory=y keeps its set for EFetch by WebEnv/query_key with retstart/retmax.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEutilsAnswers,
  KEY_LIMIT,
  NO_KEY_LIMIT,
  type Answer,
  type FailStep,
  type Params,
  type RecordDates,
  type SearchMatch,
} from './eutils-answers';
import { indexFixtureLinks, indexFixtureRecords, type FixtureRecord, type SearchExtras } from './eutils-data';

export type { FailStep, Params, RecordDates, SearchMatch } from './eutils-answers';
export type { FixtureRecord, SearchExtras } from './eutils-data';

export interface RecordedRequest {
  method: string;
  /** The URL path, e.g. "/entrez/eutils/efetch.fcgi" (the query string is in `params`). */
  path: string;
  /** "esearch", "efetch", "elink", … (from the path). */
  utility: string;
  /** Query string and form body merged; a repeated name is joined with ",". */
  params: Record<string, string>;
  /** The raw query string (without "?") and, for POST, the raw body: to check where parameters travelled. */
  query: string;
  body: string;
  /** Epoch ms when the request arrived. */
  at: number;
}

export type FailUtility = 'esearch' | 'efetch' | 'elink' | 'any';

export interface FakeEutils {
  /** The E-utilities base, like https://eutils.ncbi.nlm.nih.gov/entrez/eutils. */
  url: string;
  requests: RecordedRequest[];
  /** The recorded records efetch serves, by PMID. */
  records: ReadonlyMap<string, FixtureRecord>;
  /**
   * ESearch answers these PMIDs (paged by retstart/retmax, in this order) when `match` fits: a string
   * equals the whole term, a RegExp is tested on the term, a function sees all params. Later calls win.
   */
  setSearch(match: SearchMatch, pmids: string[]): void;
  /**
   * ESearch answers `count(params)` records (and no PMIDs) whenever it returns a number, before any
   * setSearch: for evidence-map tests whose counts must be derived from the term each request sent.
   */
  setCounts(count: (params: Params) => number | undefined): void;
  /** Adds PubMed's remarks (errorlist/warninglist) or a fatal ERROR to matching searches. */
  setSearchExtras(match: SearchMatch, extras: SearchExtras): void;
  /** ELink neighbours of `pmid`, served in the order given (with the PMID itself first, as NCBI does). */
  setLinks(pmid: string, neighbors: { id: string; score: number }[]): void;
  /**
   * A search that honours dates as PubMed does (datetype with mindate/maxdate, by each record's dates)
   * and, like every search, keeps its set on the history server when asked (usehistory=y).
   */
  setDatedSearch(match: SearchMatch, pmids: string[]): void;
  /** Sets a record's Entrez and/or modification date (the Entrez date defaults to the recorded one). */
  setDates(pmid: string, dates: RecordDates): void;
  /** Serves this XML for the record from now on (a revised version). */
  reviseRecord(pmid: string, xml: string): void;
  /** Every PMID EFetch has answered with a record, in order, repeats included (reset clears it). */
  served(): readonly string[];
  /** Queues failures for a utility ('any' = whichever comes); each request takes one, then normal service. */
  fail(utility: FailUtility, plan: FailStep[]): void;
  /** Added before every answer (benchmarks use 200). */
  delayMs: number;
  /** Forgets requests, searches, extras, links and queued failures (records stay). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeEutilsOptions {
  records?: 'fixtures';
  delayMs?: number;
  /** Answer 429 as NCBI does past 3 request starts per rolling second per IP (10 per api_key). */
  enforceRateLimit?: boolean;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function mergeParams(target: Params, source: URLSearchParams): void {
  for (const [k, v] of source) target[k] = target[k] === undefined ? v : `${target[k]},${v}`;
}

/** How many of `requests` started within any `windowMs` (rolling): what NCBI's per-second limit counts. */
export function maxStartsInWindow(requests: readonly { at: number }[], windowMs = 1000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export async function startFakeEutils(o: FakeEutilsOptions = {}): Promise<FakeEutils> {
  const records = indexFixtureRecords();
  const answers = createEutilsAnswers(records, indexFixtureLinks());
  let plans = new Map<FailUtility, FailStep[]>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: RecordedRequest[] = [];

  const wait = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  function takeStep(utility: string): FailStep | undefined {
    for (const key of [utility, 'any'] as FailUtility[]) {
      const queue = plans.get(key);
      if (queue && queue.length > 0) return queue.shift();
    }
    return undefined;
  }

  function overLimit(params: Params, at: number): boolean {
    if (!o.enforceRateLimit) return false;
    const limit = params.api_key ? KEY_LIMIT : NO_KEY_LIMIT;
    const same = requests.filter(
      (r) => (r.params.api_key ?? '') === (params.api_key ?? '') && at - r.at < 1000,
    );
    return same.length > limit; // `same` includes this request
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params: Params = {};
    mergeParams(params, url.searchParams);
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      mergeParams(params, new URLSearchParams(body));
    }
    const utility = /\/(\w+)\.fcgi$/.exec(url.pathname)?.[1] ?? '';
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      utility,
      params,
      query: url.search.slice(1),
      body,
      at,
    });

    const step = takeStep(utility);
    await wait(fake.delayMs + (step?.hangMs ?? 0));
    if (res.destroyed || req.socket.destroyed) return;
    let out: Answer | 'reset';
    if (overLimit(params, at)) out = answers.rateLimited(params);
    else out = step ? answers.scripted(step, utility, params) : answers.normal(utility, params);
    if (out === 'reset') {
      req.socket.destroy();
      return;
    }
    const bytes = Buffer.from(out.body, 'utf8');
    res.writeHead(out.status, { ...out.headers, 'content-length': String(bytes.length) });
    res.end(bytes);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeEutils = {
    url: `http://127.0.0.1:${port}/entrez/eutils`,
    requests,
    records,
    delayMs: o.delayMs ?? 0,
    setSearch: answers.setSearch,
    setSearchExtras: answers.setSearchExtras,
    setCounts: answers.setCounts,
    setLinks: answers.setLinks,
    setDatedSearch: answers.setDatedSearch,
    setDates: answers.setDates,
    reviseRecord: answers.reviseRecord,
    served: answers.served,
    fail(utility, plan) {
      plans.set(utility, [...(plans.get(utility) ?? []), ...plan]);
    },
    reset() {
      requests.length = 0;
      answers.reset();
      plans = new Map();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
