// The operator endpoints of `paperbot serve`: /healthz (the process answers), /readyz (its store answers),
// /metrics (Prometheus text). The server decides when they are asked; the stores are the core's.

import type http from 'node:http';
import { failAfter, type Clock } from '../src/core/clock';
import { storeKey } from '../src/core/store';
import type { Core } from '../src/main';
import type { PromMetrics } from '../src/metrics';
import type { BudgetMode } from '../src/sources/budget';

/** Longest one readiness check may take; a store slower than this counts as not answering. */
const CHECK_TIMEOUT_MS = 1000;
const READY_PROBE_KEY = storeKey('readyz', 'probe');

export interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Readiness {
  /**
   * ready: everything answers. degraded: a shared store (Redis) does not; replies still come (direct lookups,
   * this replica's share of each rate budget) and digests wait, so the replica stays in rotation.
   * unavailable: the local library cannot be read. stopping: shutting down.
   */
  status: 'ready' | 'degraded' | 'unavailable' | 'stopping';
  /** The one durable store (cache, digests, installations, references all live in it). */
  store: Check & { kind: string };
  library: Check & { articles?: number; trials?: number };
  /**
   * Where the outside services' rate budgets serve from: `shared` (Redis), `local` (no Redis configured), or
   * `degraded: local share` while Redis is away; that degrades readiness but never fails it. Offline: none.
   */
  budget: { mode: BudgetReport; services: Record<string, BudgetReport> };
}

type BudgetReport = Exclude<BudgetMode, 'local share'> | 'degraded: local share' | 'none';

const reported = (mode: BudgetMode): BudgetReport =>
  mode === 'local share' ? 'degraded: local share' : mode;

function budgetReport(core: Core): Readiness['budget'] {
  const services = Object.fromEntries(core.budgets.map((b) => [b.name, reported(b.mode())]));
  const modes = Object.values(services);
  const mode: BudgetReport = modes.includes('degraded: local share')
    ? 'degraded: local share'
    : (modes[0] ?? 'none');
  return { mode, services };
}

async function check<T>(clock: Clock, probe: () => Promise<T> | T): Promise<Check & { value?: T }> {
  const started = clock.now();
  try {
    const value = await failAfter(
      clock,
      CHECK_TIMEOUT_MS,
      Promise.resolve().then(probe),
      () => new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`),
    );
    return { ok: true, ms: clock.now() - started, value };
  } catch (err) {
    return { ok: false, ms: clock.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}

export async function readiness(core: Core, clock: Clock, stopping: boolean): Promise<Readiness> {
  const [store, library] = await Promise.all([
    // A key that never exists: one read round trip, whatever the backend.
    check(clock, () => core.store.get(READY_PROBE_KEY)),
    check(clock, () => core.library.counts()),
  ]);
  const counts = library.value;
  const budget = budgetReport(core);
  const status: Readiness['status'] = stopping
    ? 'stopping'
    : !library.ok
      ? 'unavailable'
      : store.ok && budget.mode !== 'degraded: local share'
        ? 'ready'
        : 'degraded';
  const plain = ({ ok, ms, error }: Check): Check => ({ ok, ms, ...(error ? { error } : {}) });
  return {
    status,
    store: { kind: core.store.kind, ...plain(store) },
    library: { ...plain(library), ...(counts ? { articles: counts.articles, trials: counts.trials } : {}) },
    budget,
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export interface HealthDeps {
  core: Core;
  prom: PromMetrics;
  clock: Clock;
  isStopping(): boolean;
}

/** The route name when this is an operator endpoint (the request is then answered), else undefined. */
export function handleHealth(
  deps: HealthDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): string | undefined {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  if (path === '/healthz') {
    json(res, 200, { status: 'ok' });
    return 'healthz';
  }
  if (path === '/readyz') {
    void readiness(deps.core, deps.clock, deps.isStopping()).then(
      (r) => json(res, r.status === 'ready' || r.status === 'degraded' ? 200 : 503, r),
      (err: unknown) => json(res, 503, { status: 'unavailable', error: String(err) }),
    );
    return 'readyz';
  }
  if (path === '/metrics') {
    void deps.prom.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': deps.prom.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable');
      },
    );
    return 'metrics';
  }
  return undefined;
}
