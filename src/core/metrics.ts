// The metrics port: the few events the core, the sources, the cache and the server report for operators.
// src/metrics.ts backs it with prom-client (one registry per process); everything else only calls it.

import type { Platform } from './reply';

/** How a handled request ended: an answer (possibly from a fallback), or only error cards. */
export type CommandOutcome = 'answered' | 'error';

export interface Metrics {
  /** Once per request the assistant handled: counted by platform and command kind, its latency observed. */
  command(event: { platform: Platform; kind: string; outcome: CommandOutcome; ms: number }): void;
  /**
   * One HTTP attempt to an external source (`source` "pubmed" or "clinicaltrials", `operation` e.g. "esearch").
   * `error` is the PaperbotError code when it failed ("rate_limited" for a 429).
   */
  sourceRequest(event: { source: string; operation: string; ms: number; error?: string }): void;
  /** One cache read by namespace ("pubmed-search", "pubmed-article", …): a fresh entry, or not. */
  cacheLookup(event: { namespace: string; hit: boolean }): void;
  /** One digest run (a scheduler tick or `digest run`): how many slots were due and how each ended. */
  digestRun(event: { due: number; outcomes: readonly { status: string }[] }): void;
  /** One inbound HTTP request, by the route that took it (a mount name, "healthz", "metrics", …). */
  httpRequest(event: { route: string; status: number; ms: number }): void;
  /**
   * A shared rate budget ("ncbi", "ctgov") turned to this replica's own share because Redis is unreachable
   * (`localShare` true), or back to the shared one.
   */
  budgetMode(event: { budget: string; localShare: boolean }): void;
}

/** Reports nothing: the default wherever no metrics are wired (CLI, tests, library code). */
export const noMetrics: Metrics = {
  command: () => undefined,
  sourceRequest: () => undefined,
  cacheLookup: () => undefined,
  digestRun: () => undefined,
  httpRequest: () => undefined,
  budgetMode: () => undefined,
};
