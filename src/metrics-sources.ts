// Counts every HTTP attempt to PubMed and ClinicalTrials.gov by wrapping their clients (one call = one attempt),
// so the services, their retries and their budgets stay untouched. The composition root applies the wrappers.

import type { CtgovClient } from './clinicaltrials/client';
import type { Clock } from './core/clock';
import { isPaperbotError } from './core/errors';
import type { Metrics } from './core/metrics';
import type { EutilsClient } from './pubmed/eutils';

type Measure = <T>(operation: string, attempt: () => Promise<T>) => Promise<T>;

function measurer(metrics: Metrics, clock: Clock, source: string): Measure {
  return async (operation, attempt) => {
    const started = clock.now();
    try {
      const value = await attempt();
      metrics.sourceRequest({ source, operation, ms: clock.now() - started });
      return value;
    } catch (error) {
      const code = isPaperbotError(error) ? error.code : 'internal';
      // bad_input is refused before any request leaves: nothing reached the source.
      if (code !== 'bad_input')
        metrics.sourceRequest({ source, operation, ms: clock.now() - started, error: code });
      throw error;
    }
  };
}

export function instrumentEutils(client: EutilsClient, metrics: Metrics, clock: Clock): EutilsClient {
  const measure = measurer(metrics, clock, 'pubmed');
  return {
    esearch: (req, o) => measure('esearch', () => client.esearch(req, o)),
    efetch: (pmids, o) => measure('efetch', () => client.efetch(pmids, o)),
    efetchHistory: (slice, o) => measure('efetch', () => client.efetchHistory(slice, o)),
    elink: (pmid, o) => measure('elink', () => client.elink(pmid, o)),
  };
}

export function instrumentCtgov(client: CtgovClient, metrics: Metrics, clock: Clock): CtgovClient {
  const measure = measurer(metrics, clock, 'clinicaltrials');
  return {
    getStudy: (nct, signal) => measure('study', () => client.getStudy(nct, signal)),
    searchStudies: (search, signal) => measure('studies', () => client.searchStudies(search, signal)),
  };
}
