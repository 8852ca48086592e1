// A fake ClinicalTrials.gov API v2 on 127.0.0.1 serving the recorded fixtures: /studies/{nct}, /studies with
// paging, a request log and injected failures. Fixture data and matching live in ./ctgov-data.ts.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  loadFixtureStudies,
  matches,
  nctOf,
  projectStudy,
  readFixture,
  RECORDED_PAGES,
  RECORDED_STUDIES,
  asRecord,
  type StudyJson,
} from './ctgov-data';

export interface CtgovRequest {
  method: string;
  /** Below the API root, e.g. "/studies/NCT02576665" or "/studies". */
  path: string;
  params: Record<string, string>;
  /** Epoch ms when it arrived. */
  at: number;
}

export type CtgovFailure =
  | { kind: 'rate_limit'; retryAfter?: string }
  | { kind: 'server_error'; status?: number }
  | { kind: 'hang' }
  | { kind: 'malformed_json' }
  | { kind: 'bad_request'; text?: string }
  | { kind: 'reset' };

export interface FakeCtgov {
  /** The API root, like https://clinicaltrials.gov/api/v2. */
  url: string;
  requests: CtgovRequest[];
  /** Queues failures: each next request (any path) takes one, in order; then normal service resumes. */
  fail(plan: CtgovFailure | CtgovFailure[]): void;
  /** Serves this study from /studies/{nct} and in searches (replacing a fixture study with the same id). */
  addStudy(json: unknown): void;
  /** Answers /studies/{from} with 301 to /studies/{to}, as the API does for NCTIdAlias ids. */
  addAlias(from: string, to: string): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const API_ROOT = '/api/v2';
const PAGING_EXEMPT = new Set(['pageToken', 'pageSize', 'countTotal']);

type Answer = { status: number; type: 'json' | 'text'; body: string; headers?: Record<string, string> };

const json = (body: string): Answer => ({ status: 200, type: 'json', body });
// The real API answers 4xx in text/plain; its exact wording is not recorded in our fixtures.
const text = (status: number, body: string): Answer => ({ status, type: 'text', body });

/** The same search, whatever page: the API requires every parameter but these three to stay put. */
function signature(params: URLSearchParams): string {
  return JSON.stringify([...params.entries()].filter(([k]) => !PAGING_EXEMPT.has(k)).sort());
}

function withoutTotal(body: string, countTotal: boolean): string {
  if (countTotal) return body;
  const page = asRecord(JSON.parse(body));
  delete page.totalCount;
  return JSON.stringify(page);
}

export async function startFakeCtgov(options: { latencyMs?: number } = {}): Promise<FakeCtgov> {
  const studies = loadFixtureStudies();
  const requests: CtgovRequest[] = [];
  const failures: CtgovFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const added = new Set<string>();
  const aliases = new Map<string, string>();
  let latencyMs = options.latencyMs ?? 0;
  // pageToken → the page it unlocks and the signature of the search it belongs to.
  const tokens = new Map<string, { signature: string; page: () => string }>();
  let tokenSeq = 0;

  function mintToken(sig: string, page: () => string): string {
    tokenSeq += 1;
    const token = `fake_${tokenSeq}_${Buffer.from(sig).toString('base64url').slice(0, 12)}`;
    tokens.set(token, { signature: sig, page });
    return token;
  }

  /** Phelan page 1 (recorded) → other fixture studies → an empty page → the recorded terminal page. */
  function phelanSequence(sig: string, countTotal: boolean): string {
    const first = asRecord(JSON.parse(withoutTotal(readFixture(RECORDED_PAGES.phelanPage1), countTotal)));
    // Later pages never carry totalCount, so the recorded last page is served without it.
    const terminal = (): string => withoutTotal(readFixture(RECORDED_PAGES.phelanTerminal), false);
    const emptyToken = mintToken(sig, terminal);
    const empty = (): string => JSON.stringify({ studies: [], nextPageToken: emptyToken });
    const middleStudies = Object.keys(RECORDED_STUDIES).map((nct) => studies.get(nct));
    const middle = (): string =>
      JSON.stringify({ studies: middleStudies, nextPageToken: mintToken(sig, empty) });
    tokens.set(String(first.nextPageToken), { signature: sig, page: middle });
    return JSON.stringify(first);
  }

  function syntheticPage(params: URLSearchParams, sig: string, offset: number, countTotal: boolean): string {
    const hits = [...studies.values()].filter((s) => matches(s, params));
    const size = Math.min(Number(params.get('pageSize') ?? '10') || 10, 1000);
    const fields = params.get('fields');
    const page: Record<string, unknown> = {
      studies: hits.slice(offset, offset + size).map((s) => projectStudy(s, fields) ?? s),
    };
    if (countTotal) page.totalCount = hits.length;
    if (offset + size < hits.length) {
      page.nextPageToken = mintToken(sig, () => syntheticPage(params, sig, offset + size, false));
    }
    return JSON.stringify(page);
  }

  function searchStudies(params: URLSearchParams): Answer {
    const sig = signature(params);
    const token = params.get('pageToken');
    if (token !== null) {
      const known = tokens.get(token);
      if (!known) return text(400, `Invalid pageToken: ${token}`);
      if (known.signature !== sig)
        return text(400, 'Parameters of a subsequent page must match the first page');
      return json(known.page());
    }
    const countTotal = params.get('countTotal') === 'true';
    const hasQuery = [...params.keys()].some((k) => k.startsWith('query.') || k.startsWith('filter.'));
    const pageSize = Number(params.get('pageSize') ?? '10');
    const cond = params.get('query.cond') ?? '';
    const term = params.get('query.term') ?? '';
    // Recorded pages answer the queries they were recorded for; a search with a place, a radius or
    // eligibility filters is always answered by filtering the studies, so the test proves those filters.
    const narrowed =
      ['filter.geo', 'query.locn'].some((k) => params.has(k)) ||
      /AREA\[(MinimumAge|MaximumAge|Sex)\]/.test(params.get('filter.advanced') ?? '');
    if (narrowed) return json(syntheticPage(params, sig, 0, countTotal));
    if (!hasQuery && pageSize === 1)
      return json(withoutTotal(readFixture(RECORDED_PAGES.allCount), countTotal));
    if (/keytruda/i.test(params.get('query.intr') ?? '')) {
      return json(withoutTotal(readFixture(RECORDED_PAGES.keytruda), countTotal));
    }
    if (/melanoma/i.test(cond) && /RECRUITING/.test(params.get('filter.overallStatus') ?? '')) {
      return json(withoutTotal(readFixture(RECORDED_PAGES.melanomaRecruiting), countTotal));
    }
    if (/phelan/i.test(`${cond} ${term}`)) {
      if (pageSize >= 50) return json(withoutTotal(readFixture(RECORDED_PAGES.phelanTerminal), countTotal));
      return json(phelanSequence(sig, countTotal));
    }
    return json(syntheticPage(params, sig, 0, countTotal));
  }

  function getStudy(id: string): Answer {
    if (!/^NCT0*[1-9]\d{0,7}$/i.test(id)) return text(400, `Invalid NCT number: ${id}`);
    const nct = id.toUpperCase();
    const alias = aliases.get(nct);
    // The Location keeps no query string, so a client must carry its own parameters over.
    if (alias)
      return { status: 301, type: 'text', body: '', headers: { location: `${API_ROOT}/studies/${alias}` } };
    const recorded = RECORDED_STUDIES[nct];
    // A study added by a test replaces the recording; otherwise serve the recorded bytes themselves.
    if (recorded && !added.has(nct)) return json(readFixture(recorded));
    const study = studies.get(nct);
    if (study) return json(JSON.stringify(study));
    return text(404, `Study not found: ${nct}`);
  }

  function route(method: string, pathname: string, params: URLSearchParams): Answer {
    if (method !== 'GET') return text(405, 'Method Not Allowed');
    if (pathname === '/studies') return searchStudies(params);
    const one = /^\/studies\/([^/]+)$/.exec(pathname);
    if (one) return getStudy(decodeURIComponent(one[1] ?? ''));
    return text(404, 'Not Found');
  }

  function send(res: http.ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, {
      'content-type': answer.type === 'json' ? 'application/json' : 'text/plain;charset=UTF-8',
      ...answer.headers,
    });
    res.end(answer.body);
  }

  function respond(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const pathname = url.pathname.startsWith(API_ROOT) ? url.pathname.slice(API_ROOT.length) : url.pathname;
    const failure = failures.shift();
    if (failure?.kind === 'hang') return; // the socket stays open until the client gives up or close()
    if (failure?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'rate_limit') {
      return send(res, {
        ...text(429, 'Too Many Requests'),
        headers: { 'retry-after': failure.retryAfter ?? '1' },
      });
    }
    if (failure?.kind === 'server_error')
      return send(res, text(failure.status ?? 500, 'Internal Server Error'));
    if (failure?.kind === 'bad_request') return send(res, text(400, failure.text ?? 'Bad Request'));
    const answer = route(req.method ?? 'GET', pathname, url.searchParams);
    if (failure?.kind === 'malformed_json')
      return send(res, json(answer.body.slice(0, Math.floor(answer.body.length / 2))));
    send(res, answer);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = url.pathname.startsWith(API_ROOT) ? url.pathname.slice(API_ROOT.length) : url.pathname;
    requests.push({
      method: req.method ?? 'GET',
      path: pathname,
      params: Object.fromEntries(url.searchParams.entries()),
      at: Date.now(),
    });
    if (latencyMs <= 0) return respond(req, res, url);
    const timer = setTimeout(() => {
      timers.delete(timer);
      respond(req, res, url);
    }, latencyMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${API_ROOT}`,
    requests,
    fail(plan) {
      failures.push(...(Array.isArray(plan) ? plan : [plan]));
    },
    addStudy(study) {
      const nct = nctOf(study);
      if (!nct) throw new Error('addStudy: protocolSection.identificationModule.nctId is missing');
      studies.set(nct, study as StudyJson);
      added.add(nct);
    },
    addAlias(from, to) {
      aliases.set(from.toUpperCase(), to.toUpperCase());
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
