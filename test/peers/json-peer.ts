// The HTTP side of the fake signal services (Europe PMC, Unpaywall, Crossref) on 127.0.0.1: a request log,
// an added delay, and scripted failures (a status, a body that is not JSON, a reset, a hang). What each
// service answers is its own file's (./europepmc.ts, ./unpaywall.ts, ./crossref.ts).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PeerRequest {
  /** The path below the service root, e.g. "/search" or "/10.1016/j.addr.2015.01.008". */
  path: string;
  params: Record<string, string>;
  /** Epoch ms when it arrived. */
  at: number;
}

export type PeerFailure =
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'garbage' }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface PeerAnswer {
  status: number;
  body: string;
  type?: string;
}

export interface JsonPeer {
  /** The service root, like https://api.crossref.org. */
  url: string;
  requests: PeerRequest[];
  /** Added before every answer (benchmarks use the same as the fake PubMed). */
  delayMs: number;
  /** Each next request takes one failure, in order; then normal service resumes. */
  fail(plan: PeerFailure | PeerFailure[]): void;
  /** Every request fails this way until `always(undefined)`. */
  always(failure: PeerFailure | undefined): void;
  close(): Promise<void>;
}

export async function startJsonPeer(
  root: string,
  answer: (path: string, params: URLSearchParams) => PeerAnswer,
  o: { delayMs?: number } = {},
): Promise<JsonPeer> {
  const requests: PeerRequest[] = [];
  const queue: PeerFailure[] = [];
  let forever: PeerFailure | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(
      url.pathname.startsWith(root) ? url.pathname.slice(root.length) : url.pathname,
    );
    requests.push({ path, params: Object.fromEntries(url.searchParams), at: Date.now() });
    const failure = queue.shift() ?? forever;
    if (failure?.kind === 'hang') return; // the socket stays open until the client gives up or close()
    if (failure?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const reply = (): void => {
      timers.delete(timer);
      const a: PeerAnswer =
        failure?.kind === 'status'
          ? { status: failure.status, body: failure.body ?? '', type: 'text/plain' }
          : failure?.kind === 'garbage'
            ? { status: 200, body: '<html><body>502 Bad Gateway</body></html>', type: 'application/json' }
            : answer(path, url.searchParams);
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json;charset=UTF-8' });
      res.end(a.body);
    };
    const timer = setTimeout(reply, peer.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const peer: JsonPeer = {
    url: `http://127.0.0.1:${port}${root}`,
    requests,
    delayMs: o.delayMs ?? 0,
    fail(plan) {
      queue.push(...(Array.isArray(plan) ? plan : [plan]));
    },
    always(failure) {
      forever = failure;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return peer;
}
