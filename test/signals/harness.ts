// The three signal services and their combiner built as main.ts builds them, against the fake peers over
// real HTTP on 127.0.0.1, with a memory cache and generous budgets (pacing is not what these tests test).

import { Agent } from 'undici';
import type { CachedDeps } from '../../src/cache/cached';
import { createSingleFlight } from '../../src/cache/singleflight';
import { createCacheStore } from '../../src/cache/store';
import { systemClock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import type { CacheStore } from '../../src/core/ports';
import { createCrossrefClient } from '../../src/crossref/client';
import { createCrossrefService } from '../../src/crossref/service';
import { createEpmcClient } from '../../src/europepmc/client';
import { createEpmcService } from '../../src/europepmc/service';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createCombinedSignals } from '../../src/signals/combined';
import { createUnpaywallClient } from '../../src/unpaywall/client';
import { createUnpaywallService } from '../../src/unpaywall/service';
import { startFakeCrossref, type FakeCrossref } from '../peers/crossref';
import { startFakeEuropePmc, type FakeEuropePmc } from '../peers/europepmc';
import { startFakeUnpaywall, type FakeUnpaywall } from '../peers/unpaywall';

export const TEST_EMAIL = 'paperbot-tests@example.org';

export interface Peers {
  epmc: FakeEuropePmc;
  unpaywall: FakeUnpaywall;
  crossref: FakeCrossref;
  agent: Agent;
  close(): Promise<void>;
}

export async function startPeers(): Promise<Peers> {
  const [epmc, unpaywall, crossref] = await Promise.all([
    startFakeEuropePmc(),
    startFakeUnpaywall(),
    startFakeCrossref(),
  ]);
  const agent = new Agent();
  return {
    epmc,
    unpaywall,
    crossref,
    agent,
    async close() {
      await agent.close();
      await Promise.all([epmc.close(), unpaywall.close(), crossref.close()]);
    },
  };
}

export function resetPeers(p: Peers): void {
  for (const peer of [p.epmc, p.unpaywall, p.crossref]) {
    peer.requests.length = 0;
    peer.delayMs = 0;
    peer.always(undefined);
  }
}

export interface Built {
  store: CacheStore;
  epmc: ReturnType<typeof createEpmcService>;
  unpaywall: ReturnType<typeof createUnpaywallService>;
  crossref: ReturnType<typeof createCrossrefService>;
  combined(
    deadlineMs: number,
    o?: { logger?: Logger; lateRoundGraceMs?: number },
  ): ReturnType<typeof createCombinedSignals>;
  close(): Promise<void>;
}

export async function buildServices(p: Peers, attemptTimeoutMs = 2000): Promise<Built> {
  const store = await createCacheStore({ kind: 'memory' });
  const clock = systemClock;
  const cache: CachedDeps = { store, clock, flight: createSingleFlight() };
  const budget = createMemoryRateBudget({ perSecond: 1000, clock });
  const common = { budget, cache, clock, random: () => 0.5 };
  const epmc = createEpmcService({
    client: createEpmcClient({ baseUrl: p.epmc.url, dispatcher: p.agent, attemptTimeoutMs }),
    ...common,
  });
  const unpaywall = createUnpaywallService({
    client: createUnpaywallClient({
      baseUrl: p.unpaywall.url,
      email: TEST_EMAIL,
      dispatcher: p.agent,
      attemptTimeoutMs,
    }),
    ...common,
  });
  const crossref = createCrossrefService({
    client: createCrossrefClient({
      baseUrl: p.crossref.url,
      mailto: TEST_EMAIL,
      dispatcher: p.agent,
      attemptTimeoutMs,
    }),
    ...common,
  });
  return {
    store,
    epmc,
    unpaywall,
    crossref,
    combined: (deadlineMs, o = {}) =>
      createCombinedSignals({
        services: [
          { name: 'europepmc', signals: epmc },
          { name: 'unpaywall', signals: unpaywall, keyedByDoi: true },
          { name: 'crossref', signals: crossref, keyedByDoi: true },
        ],
        clock,
        logger: o.logger ?? silent,
        deadlineMs,
        ...(o.lateRoundGraceMs !== undefined ? { lateRoundGraceMs: o.lateRoundGraceMs } : {}),
      }),
    async close() {
      await budget.close();
      await store.close();
    },
  };
}

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};
