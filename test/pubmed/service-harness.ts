// Builds a real PubMed service for tests: the real client over undici to the fake E-utilities, a memory
// cache store, the memory rate budget. Only the clock of the cache may be a hand-moved one.

import { Agent } from 'undici';
import type { CachedDeps } from '../../src/cache/cached';
import { createCacheStore } from '../../src/cache/store';
import { systemClock, type Clock } from '../../src/core/clock';
import type { CacheStore, RateBudget } from '../../src/core/ports';
import { createEutilsClient, type EutilsClient } from '../../src/pubmed/eutils';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createPubmedService, type PubmedService } from '../../src/pubmed/service';
import type { FakeEutils } from '../peers/eutils';

export interface SettableClock extends Clock {
  advance(ms: number): void;
}

/** Real time for sleeping (HTTP really happens), plus an offset tests move forward to age the cache. */
export function settableClock(): SettableClock {
  let offset = 0;
  return {
    now: () => systemClock.now() + offset,
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
    advance: (ms) => {
      offset += ms;
    },
  };
}

export interface Harness {
  service: PubmedService;
  client: EutilsClient;
  store: CacheStore;
  budget: RateBudget;
  cacheClock: SettableClock;
  close(): Promise<void>;
}

export interface HarnessOptions {
  perSecond?: number;
  /** How long past a second each start keeps its place in the budget (see createMemoryRateBudget). */
  budgetMarginMs?: number;
  apiKey?: string;
  email?: string;
  deadlines?: { interactiveMs: number; batchMs: number };
  attemptTimeoutMs?: number;
  random?: () => number;
}

/** Sockets close at once after use, so jest sees no open handles. */
export function testDispatcher(): Agent {
  return new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });
}

export async function startHarness(fake: FakeEutils, o: HarnessOptions = {}): Promise<Harness> {
  const dispatcher = testDispatcher();
  const store = await createCacheStore({ kind: 'memory' });
  const budget = createMemoryRateBudget({
    perSecond: o.perSecond ?? 10,
    clock: systemClock,
    ...(o.budgetMarginMs !== undefined ? { marginMs: o.budgetMarginMs } : {}),
  });
  const cacheClock = settableClock();
  const client = createEutilsClient({
    baseUrl: fake.url,
    tool: 'paperbot-tests',
    email: o.email ?? 'paperbot-tests@example.org',
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    dispatcher,
    attemptTimeoutMs: o.attemptTimeoutMs ?? 5000,
  });
  const cache: CachedDeps = { store, clock: cacheClock };
  const service = createPubmedService({
    client,
    budget,
    cache,
    clock: systemClock,
    ...(o.deadlines ? { deadlines: o.deadlines } : {}),
    ...(o.random ? { random: o.random } : {}),
  });
  return {
    service,
    client,
    store,
    budget,
    cacheClock,
    async close() {
      await budget.close();
      await store.close();
      await dispatcher.close();
    },
  };
}
