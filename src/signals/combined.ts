// The Signals the core is given: every enabled service asked side by side under one short deadline, their
// answers merged field by field. A slow or failing service drops its own fields and is logged; it never fails
// or delays the answer past the deadline.

import { SLEEP_NOT_NEEDED, startDeadline, type Clock } from '../core/clock';
import { isPaperbotError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { ArticleRef, ArticleSignals, OpenAccess, Signals, SignalsOptions } from '../core/signals';

export interface SignalService {
  /** As config names it: 'europepmc', 'unpaywall', 'crossref' ('icite' would be one more). */
  name: string;
  signals: Signals;
  /** Answers only for articles with a DOI: asked again with the DOIs other services found for a PMID. */
  keyedByDoi?: boolean;
}

export interface CombinedSignalsDeps {
  /** In order of preference where two answer the same field. */
  services: readonly SignalService[];
  clock: Clock;
  logger: Logger;
  /** The longest any answer waits for signals (the reply's own abort signal may end it sooner). */
  deadlineMs: number;
  /**
   * After the first round and the caller's `ready` are in, how long a second round (DOIs learned on the way)
   * may still add: enough for cache hits, never a round trip, so a cold answer costs one signal round trip.
   * Only when those were that quick themselves (the answer came from caches): after a first round that
   * needed the network, the second needs it too, and is not waited for at all.
   */
  lateRoundGraceMs?: number;
}

export const DEFAULT_LATE_ROUND_GRACE_MS = 10;

type Answer = { service: number; map: ReadonlyMap<string, ArticleSignals> };

/** An open copy Unpaywall classified beats an unclassified one, any open copy beats "closed"; then service order. */
function accessRank(a: OpenAccess): number {
  return a.status === 'open' ? (a.kind ? 0 : 1) : 2;
}

/** Merges answers in service order, field by field; publisher notices and versions from all, once each. */
export function mergeSignals(answers: readonly Answer[]): Map<string, ArticleSignals> {
  const out = new Map<string, ArticleSignals>();
  const sorted = [...answers].sort((x, y) => x.service - y.service);
  for (const { map } of sorted) {
    for (const [pmid, s] of map) {
      const merged = out.get(pmid) ?? {};
      if (s.citedBy && !merged.citedBy) merged.citedBy = s.citedBy;
      if (s.openAccess && (!merged.openAccess || accessRank(s.openAccess) < accessRank(merged.openAccess)))
        merged.openAccess = s.openAccess;
      if (s.references && !merged.references) merged.references = s.references;
      if (s.doi && !merged.doi) merged.doi = s.doi;
      for (const notice of s.publisherNotices ?? []) {
        const list = (merged.publisherNotices ??= []);
        if (!list.some((n) => n.type === notice.type && n.doi === notice.doi)) list.push(notice);
      }
      for (const version of s.versions ?? []) {
        const list = (merged.versions ??= []);
        if (!list.some((v) => v.relation === version.relation && v.doi === version.doi)) list.push(version);
      }
      out.set(pmid, merged);
    }
  }
  return out;
}

export function createCombinedSignals(deps: CombinedSignalsDeps): Signals {
  const grace = deps.lateRoundGraceMs ?? DEFAULT_LATE_ROUND_GRACE_MS;
  const log = deps.logger.child({ component: 'signals' });

  return {
    async signalsFor(articles: readonly ArticleRef[], o: SignalsOptions = {}) {
      if (deps.services.length === 0 || articles.length === 0) return new Map();
      const begun = deps.clock.now();
      const stop = startDeadline(deps.clock, deps.deadlineMs, () => 'signals deadline', o.signal);
      const stopped = new Promise<void>((resolve) => {
        if (stop.signal.aborted) resolve();
        else stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const call = { priority: o.priority ?? 'interactive', signal: stop.signal } as const;
      // The later round mostly fills the cache for the next answer: it waits behind interactive requests for
      // a budget slot and gets a batch deadline, so a burst of new pages is still answered in full later.
      const lateCall = { priority: 'batch', signal: stop.signal } as const;
      const answers: Answer[] = [];
      const late: Promise<void>[] = [];
      const askedLate = new Set<string>();

      /** Services keyed by DOI, asked for the articles the caller knew only by PMID once a DOI turns up. */
      const learn = (doiOf: (pmid: string) => string | undefined): void => {
        if (stop.signal.aborted) return;
        const refs: ArticleRef[] = [];
        for (const a of articles) {
          const doi = a.doi ? undefined : doiOf(a.pmid);
          if (!doi || askedLate.has(a.pmid)) continue;
          askedLate.add(a.pmid);
          refs.push({ ...a, doi });
        }
        if (refs.length === 0) return;
        deps.services.forEach((s, i) => {
          if (s.keyedByDoi) late.push(ask(i, refs, lateCall));
        });
      };

      const ask = (
        index: number,
        refs: readonly ArticleRef[],
        options: SignalsOptions = call,
      ): Promise<void> => {
        const service = deps.services[index] as SignalService;
        const started = deps.clock.now();
        return service.signals.signalsFor(refs, options).then(
          (map) => {
            answers.push({ service: index, map });
            learn((pmid) => map.get(pmid)?.doi);
          },
          (error: unknown) => {
            const ms = deps.clock.now() - started;
            const slow = isPaperbotError(error) && error.code === 'timeout';
            // Dropped quietly: the cards show what the other services said.
            if (slow)
              log.debug({ service: service.name, ms }, 'signal service too slow; its signals dropped');
            else
              log.warn(
                { service: service.name, ms, err: error },
                'signal service failed; its signals dropped',
              );
          },
        );
      };

      const first = Promise.all(
        deps.services.map((s, i) => ask(i, s.keyedByDoi ? articles.filter((a) => a.doi) : articles)),
      );
      // The records the caller fetched meanwhile name DOIs too (the only source of them when no service does).
      const ready = o.ready?.then(
        (known) => learn((pmid) => known?.find((k) => k.pmid === pmid)?.doi),
        () => undefined,
      );
      await Promise.race([first, stopped]);
      await Promise.race([Promise.all([first, ready]), stopped]);
      const fromCaches = deps.clock.now() - begun <= grace;
      if (late.length > 0 && !stop.signal.aborted && (o.complete || fromCaches)) {
        const timer = new AbortController();
        await Promise.race([
          Promise.all(late),
          stopped,
          ...(o.complete ? [] : [deps.clock.sleep(grace, timer.signal).catch(() => undefined)]),
        ]);
        timer.abort(SLEEP_NOT_NEEDED);
      }
      stop.dispose();
      return mergeSignals(answers);
    },
  };
}
