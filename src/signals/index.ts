// Builds the article signals from config, as main.ts's graph asks: one client, service and named rate budget
// per enabled service (Europe PMC, Unpaywall, Crossref), combined under one deadline. Off ones cost nothing.

import type { CachedDeps } from '../cache/cached';
import type { SignalsConfig } from '../config';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Metrics } from '../core/metrics';
import type { CitationLists, Signals } from '../core/signals';
import { createCrossrefClient } from '../crossref/client';
import { createCrossrefService } from '../crossref/service';
import { createEpmcClient } from '../europepmc/client';
import { createEpmcService } from '../europepmc/service';
import type { ServiceBudget } from '../sources/budget';
import { measured, type MeasurableClient } from '../sources/measured';
import { createUnpaywallClient } from '../unpaywall/client';
import { createUnpaywallService } from '../unpaywall/service';
import { createCombinedSignals, type SignalService } from './combined';

/** Europe PMC allows 10 requests a second. */
export const EUROPEPMC_REQUESTS_PER_SECOND = 10;
/** Crossref's polite pool (with mailto): 10 a second. */
export const CROSSREF_REQUESTS_PER_SECOND = 10;
/**
 * Unpaywall asks for at most 100,000 calls a day (about 1.2 a second on average); a page of five cards is a
 * burst of five, and week-long caching keeps the daily total far below the limit.
 */
export const UNPAYWALL_REQUESTS_PER_SECOND = 5;

/** One attempt may take this long; the combiner's deadline (600 ms by default) usually ends waiting sooner. */
const ATTEMPT_TIMEOUT_MS = 2000;

export interface SignalsGraphDeps {
  budget: (name: string, perSecond: number) => Promise<ServiceBudget>;
  cache: CachedDeps;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export interface BuiltSignals {
  /** Absent when every signal service is off. */
  signals?: Signals;
  /** "Cited by" and "References" lists: Europe PMC's, absent when it is off. */
  lists?: CitationLists;
  budgets: ServiceBudget[];
}

export async function buildSignals(config: SignalsConfig, deps: SignalsGraphDeps): Promise<BuiltSignals> {
  const { clock, logger, metrics, cache } = deps;
  const services: SignalService[] = [];
  const budgets: ServiceBudget[] = [];
  let lists: CitationLists | undefined;
  if (config.unpaywallOff === 'no-email')
    logger.info({}, 'Unpaywall is off: it requires a contact e-mail (set UNPAYWALL_EMAIL or NCBI_EMAIL)');

  /** A service's named budget and its client, measured, as each service factory takes them. */
  const wire = async <C extends MeasurableClient<C>>(name: string, perSecond: number, client: C) => {
    const budget = await deps.budget(name, perSecond);
    budgets.push(budget);
    return { client: measured(client, { metrics, clock, source: name }), budget, cache, clock, logger };
  };

  if (config.europepmc) {
    const client = createEpmcClient({
      baseUrl: config.europepmc.baseUrl,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    });
    const service = createEpmcService(await wire('europepmc', EUROPEPMC_REQUESTS_PER_SECOND, client));
    services.push({ name: 'europepmc', signals: service });
    lists = service;
  }
  if (config.unpaywall) {
    const { baseUrl, email } = config.unpaywall;
    const client = createUnpaywallClient({ baseUrl, email, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS });
    const signals = createUnpaywallService(await wire('unpaywall', UNPAYWALL_REQUESTS_PER_SECOND, client));
    services.push({ name: 'unpaywall', signals, keyedByDoi: true });
  }
  if (config.crossref) {
    const { baseUrl, mailto } = config.crossref;
    const client = createCrossrefClient({
      baseUrl,
      ...(mailto ? { mailto } : {}),
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    });
    const signals = createCrossrefService(await wire('crossref', CROSSREF_REQUESTS_PER_SECOND, client));
    services.push({ name: 'crossref', signals, keyedByDoi: true });
  }
  return {
    ...(services.length > 0
      ? { signals: createCombinedSignals({ services, clock, logger, deadlineMs: config.deadlineMs }) }
      : {}),
    ...(lists ? { lists } : {}),
    budgets,
  };
}
