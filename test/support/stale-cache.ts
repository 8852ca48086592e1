// Fills a replica's cache before it starts, as if these searches had been made some hours ago: the real PubMed
// service against the fake NCBI, with a clock set back, writing to the replica's own cache store. Entries are
// then past their hour of freshness but kept for outage fallback, exactly what an NCBI outage meets in production.

import { createCacheStore, type CacheStoreOptions } from '../../src/cache/store';
import { systemClock, type Clock } from '../../src/core/clock';
import { parseCommand } from '../../src/core/commands';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { createMemoryRateBudget } from '../../src/sources/budget';
import { createPubmedService } from '../../src/pubmed/service';

export async function warmStaleCache(o: {
  store: CacheStoreOptions;
  eutilsUrl: string;
  /** What users typed; each is searched exactly as a Slack /paper with that text would search it. */
  queries: string[];
  ageMs: number;
}): Promise<void> {
  const past: Clock = { now: () => Date.now() - o.ageMs, sleep: systemClock.sleep };
  const store = await createCacheStore(o.store, { clock: past });
  const budget = createMemoryRateBudget({ perSecond: 3, clock: past });
  try {
    const pubmed = createPubmedService({
      client: createEutilsClient({ baseUrl: o.eutilsUrl, tool: 'paperbot-tests', attemptTimeoutMs: 2000 }),
      budget,
      cache: { store, clock: past },
      clock: past,
    });
    for (const text of o.queries) {
      const command = parseCommand(text, new Date().getUTCFullYear());
      if (command.kind !== 'search') throw new Error(`"${text}" is not a search`);
      await pubmed.search(command.query, { priority: 'batch' });
    }
  } finally {
    await budget.close();
    await store.close();
  }
}
