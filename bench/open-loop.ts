// An open-loop load generator for bench/load.ts: requests leave at a fixed arrival rate whether or not earlier
// ones were answered (autocannon's closed loop slows down with the server and hides overload). Bounded in time.

import { Pool } from 'undici';

export interface OpenLoopRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** How an answer counts: the command taken, refused with "try again", or refused some other way. */
export type Outcome = 'served' | 'busy' | 'other';

export interface OpenLoopOptions {
  origin: string;
  /** Requests per second, spread evenly (every 5 ms a share falls due). */
  rate: number;
  seconds: number;
  /** The n-th request, made as it falls due (a signed command must be new and fresh). */
  request(n: number): OpenLoopRequest;
  classify(status: number, body: string): Outcome;
  /** Slack gives up on an ack after 3 s; so does this. */
  timeoutMs?: number;
  /** Connections to the server, enough that requests never wait for one at the rates measured. */
  connections?: number;
}

export interface OpenLoopResult {
  /** Requests that fell due. */
  offered: number;
  served: number;
  busy: number;
  other: number;
  /** No answer within the timeout, or a connection error. */
  failed: number;
  /** The failures by undici's error code (UND_ERR_HEADERS_TIMEOUT: no ack within the timeout). */
  failures: Record<string, number>;
  /** Ack latency from when the request fell due (so a late send counts against the server, not hidden). */
  p50: number;
  p99: number;
  seconds: number;
}

const TICK_MS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(o.origin, {
    connections: o.connections ?? 64,
    keepAliveTimeout: 10_000,
    headersTimeout: o.timeoutMs ?? 3000,
    bodyTimeout: o.timeoutMs ?? 3000,
  });
  const counts = { served: 0, busy: 0, other: 0, failed: 0 };
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  let issued = 0;

  const send = (dueAt: number, request: OpenLoopRequest): void => {
    const done = pool
      .request({ method: 'POST', path: request.path, headers: request.headers, body: request.body })
      .then(async (response) => {
        const body = await response.body.text();
        latencies.push(performance.now() - dueAt);
        counts[o.classify(response.statusCode, body)] += 1;
      })
      .catch((error: unknown) => {
        counts.failed += 1;
        const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'error');
        failures.set(code, (failures.get(code) ?? 0) + 1);
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  const started = performance.now();
  const durationMs = o.seconds * 1000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - started, durationMs);
      const due = Math.floor((elapsed * o.rate) / 1000);
      for (; issued < due; issued += 1) {
        const dueAt = started + (issued * 1000) / o.rate;
        send(dueAt, o.request(issued));
      }
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await Promise.all([...pending]);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    offered: issued,
    ...counts,
    failures: Object.fromEntries(failures),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    seconds: o.seconds,
  };
}
