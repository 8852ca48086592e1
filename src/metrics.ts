// The Metrics port (src/core/metrics.ts) on prom-client: one Registry per process, never the global one,
// rendered in the Prometheus text format for GET /metrics. Serving that endpoint is adapters/server.ts's.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from './core/metrics';

export interface PromMetrics {
  metrics: Metrics;
  registry: Registry;
  /** The exposition format's content type, for the Content-Type header of /metrics. */
  readonly contentType: string;
  render(): Promise<string>;
}

export interface PromMetricsOptions {
  /**
   * Also export Node's process metrics (RSS, CPU, event-loop lag, GC). They install process-wide observers
   * that live as long as the process, so only a server's one registry should ask for them.
   */
  processMetrics?: boolean;
}

/** Slack shows a timeout after 3 s; the buckets are dense around the 2.5 s lookup deadline. */
const REPLY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5, 10, 30];
const SOURCE_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3];

export function createPromMetrics(options: PromMetricsOptions = {}): PromMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: 'paperbot_commands_total',
    help: 'Requests the assistant handled, by platform, command kind and outcome.',
    labelNames: ['platform', 'kind', 'outcome'] as const,
    registers,
  });
  const replySeconds = new Histogram({
    name: 'paperbot_reply_duration_seconds',
    help: 'Time from a request reaching the assistant to its reply being ready.',
    labelNames: ['platform', 'kind'] as const,
    buckets: REPLY_BUCKETS,
    registers,
  });
  const sourceRequests = new Counter({
    name: 'paperbot_source_requests_total',
    help: 'HTTP attempts to PubMed (E-utilities) and ClinicalTrials.gov, by operation.',
    labelNames: ['source', 'operation'] as const,
    registers,
  });
  const sourceErrors = new Counter({
    name: 'paperbot_source_errors_total',
    help: 'Failed attempts by error code; code="rate_limited" counts HTTP 429 answers.',
    labelNames: ['source', 'code'] as const,
    registers,
  });
  const sourceSeconds = new Histogram({
    name: 'paperbot_source_request_duration_seconds',
    help: 'Duration of one attempt to an external source, failed ones included.',
    labelNames: ['source'] as const,
    buckets: SOURCE_BUCKETS,
    registers,
  });
  const cacheLookups = new Counter({
    name: 'paperbot_cache_lookups_total',
    help: 'Cache reads by namespace; result="hit" when a fresh entry answered.',
    labelNames: ['namespace', 'result'] as const,
    registers,
  });
  // Counted here as well as in the counter so the gauge needs no label arithmetic at scrape time.
  let hits = 0;
  let lookups = 0;
  new Gauge({
    name: 'paperbot_cache_hit_ratio',
    help: 'Fresh cache hits over all cache reads since this process started (use the counter for rates).',
    registers,
    collect() {
      this.set(lookups === 0 ? 0 : hits / lookups);
    },
  });
  const digestRuns = new Counter({
    name: 'paperbot_digest_runs_total',
    help: 'Digest runs (scheduler ticks) this process made.',
    registers,
  });
  const digestDue = new Counter({
    name: 'paperbot_digest_slots_due_total',
    help: 'Digest (subscription, slot) pairs found due, summed over runs; every replica counts the ones it saw.',
    registers,
  });
  const digestOutcomes = new Counter({
    name: 'paperbot_digest_outcomes_total',
    help: 'How each due digest ended in this process; status="delivered" counts posts.',
    labelNames: ['status'] as const,
    registers,
  });
  const httpRequests = new Counter({
    name: 'paperbot_http_requests_total',
    help: 'Inbound HTTP requests by the route that took them and the status answered.',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const httpSeconds = new Histogram({
    name: 'paperbot_http_request_duration_seconds',
    help: 'Time to answer an inbound HTTP request (for Slack, the ack; replies follow on response_url).',
    labelNames: ['route'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });

  const budgetLocalShare = new Gauge({
    name: 'paperbot_rate_budget_local_share',
    help: '1 while a shared rate budget is unreachable in Redis and this replica keeps to its own share of it.',
    labelNames: ['budget'] as const,
    registers,
  });

  const metrics: Metrics = {
    command({ platform, kind, outcome, ms }) {
      commands.inc({ platform, kind, outcome });
      replySeconds.observe({ platform, kind }, ms / 1000);
    },
    sourceRequest({ source, operation, ms, error }) {
      sourceRequests.inc({ source, operation });
      if (error !== undefined) sourceErrors.inc({ source, code: error });
      sourceSeconds.observe({ source }, ms / 1000);
    },
    cacheLookup({ namespace, hit }) {
      cacheLookups.inc({ namespace, result: hit ? 'hit' : 'miss' });
      lookups += 1;
      if (hit) hits += 1;
    },
    digestRun({ due, outcomes }) {
      digestRuns.inc();
      if (due > 0) digestDue.inc(due);
      for (const outcome of outcomes) digestOutcomes.inc({ status: outcome.status });
    },
    httpRequest({ route, status, ms }) {
      httpRequests.inc({ route, status: String(status) });
      httpSeconds.observe({ route }, ms / 1000);
    },
    budgetMode({ budget, localShare }) {
      budgetLocalShare.set({ budget }, localShare ? 1 : 0);
    },
  };

  return {
    metrics,
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
