// Reply latency through the real core (parser → cache → PubMed service → cards) with a fake NCBI that
// adds 200 ms to every call: cold (esearch then efetch: two round trips are the floor) and warm (cache hit);
// then the same with the article signals on (fake Europe PMC, Unpaywall and Crossref adding the same 200 ms,
// serving recorded answers), whose cold overhead over the PubMed floor should stay ≤ 20 ms.
// Prints figures; never fails on time. Run: node -r @swc-node/register bench/latency.ts

import type { ArticleCard } from '../src/core/reply';
import { startFakeCrossref } from '../test/peers/crossref';
import { startFakeEuropePmc } from '../test/peers/europepmc';
import { startFakeEutils, type FakeEutils } from '../test/peers/eutils';
import { startFakeUnpaywall } from '../test/peers/unpaywall';
import { startTestGraph, type TestGraphOptions } from '../test/support/graph';

const DELAY_MS = 200;
const QUERIES = 20;
const WARM_ROUNDS = 25;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

interface Figures {
  cold: number[];
  warm: number[];
  /** Cards of the cold answers that showed a citation count (signals that made it in time). */
  coldWithSignals: number;
  coldCards: number;
}

/** Waits until none of `peers` has been asked anything for a second: the background signal rounds are done. */
async function settled(peers: readonly { requests: unknown[] }[]): Promise<void> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const count = peers.reduce((n, p) => n + p.requests.length, 0);
    if (count === last) return;
    last = count;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * One graph: a warm-up, QUERIES distinct cold searches, then (once every background signal request is done,
 * so "warm" means every cache holds the page) WARM_ROUNDS rounds of the same.
 */
async function measure(
  eutils: FakeEutils,
  prefix: string,
  options: TestGraphOptions,
  peers: readonly { requests: unknown[] }[] = [],
): Promise<Figures> {
  const pmids = [...eutils.records.keys()];
  const queries = Array.from({ length: QUERIES }, (_, i) => `${prefix} probe ${i}`);
  eutils.setSearch(`${prefix} warm-up`, pmids.slice(0, 5));
  queries.forEach((q, i) =>
    eutils.setSearch(q, pmids.slice((i * 5) % (pmids.length - 5), ((i * 5) % (pmids.length - 5)) + 5)),
  );
  // An API key raises the budget to 10 request starts a second, so sequential cold lookups (2 calls each)
  // measure latency rather than queueing behind the 3/s budget.
  const graph = await startTestGraph({ ...options, env: { NCBI_API_KEY: 'benchkey0123456789' } });
  const figures: Figures = { cold: [], warm: [], coldWithSignals: 0, coldCards: 0 };
  const ask = async (text: string, cold: boolean): Promise<number> => {
    const started = performance.now();
    const reply = await graph.assistant.handle({ text, user: { id: 'bench' }, place: { platform: 'cli' } });
    const elapsed = performance.now() - started;
    if (reply.cards.length === 0) throw new Error(`no cards for "${text}": ${reply.notice ?? ''}`);
    if (cold) {
      const cards = reply.cards.filter((c): c is ArticleCard => c.type === 'article');
      figures.coldCards += cards.length;
      figures.coldWithSignals += cards.filter((c) => c.signals?.citedBy).length;
    }
    return elapsed;
  };
  try {
    await ask(`${prefix} warm-up`, false);
    for (const q of queries) figures.cold.push(await ask(q, true));
    await settled(peers);
    for (let round = 0; round < WARM_ROUNDS; round++)
      for (const q of queries) figures.warm.push(await ask(q, false));
  } finally {
    await graph.close();
  }
  return figures;
}

function report(label: string, f: Figures, floor: number): void {
  console.log(`  ${label}`);
  console.log(
    `    cold: p50 ${ms(percentile(f.cold, 50))}  p99 ${ms(percentile(f.cold, 99))}  (floor ${floor} ms; overhead p50 ${ms(percentile(f.cold, 50) - floor)}, target ≤ 20 ms)`,
  );
  console.log(
    `    warm: p50 ${ms(percentile(f.warm, 50))}  p99 ${ms(percentile(f.warm, 99))}  over ${f.warm.length} cache hits (target p50 ≤ 5 ms)`,
  );
}

export async function main(): Promise<void> {
  const eutils = await startFakeEutils({ delayMs: DELAY_MS });
  const [epmc, unpaywall, crossref] = await Promise.all([
    startFakeEuropePmc({ delayMs: DELAY_MS }),
    startFakeUnpaywall({ delayMs: DELAY_MS }),
    startFakeCrossref({ delayMs: DELAY_MS }),
  ]);
  // Every PubMed record borrows a recorded Europe PMC result under its own PMID and DOI (the recorded
  // services share no article with the recorded PubMed records); Unpaywall and Crossref answer for its DOI
  // with recorded bodies too.
  const recordedPmids = [...epmc.recorded.keys()];
  [...eutils.records.values()].forEach((record, i) => {
    const doi = /<ArticleId IdType="doi">([^<]+)<\/ArticleId>/.exec(record.xml)?.[1];
    epmc.answerAs(record.pmid, recordedPmids[i % recordedPmids.length] as string, doi ? { doi } : {});
    if (!doi) return;
    unpaywall.serveAs(doi, unpaywall.recorded[i % unpaywall.recorded.length] as string);
    crossref.serveAs(doi, crossref.recorded[i % crossref.recorded.length] as string);
  });
  try {
    const off = await measure(eutils, 'plain', { eutilsUrl: eutils.url });
    const on = await measure(
      eutils,
      'signals',
      {
        eutilsUrl: eutils.url,
        europepmcUrl: epmc.url,
        unpaywallUrl: unpaywall.url,
        crossrefUrl: crossref.url,
      },
      [epmc, unpaywall, crossref],
    );
    const floor = 2 * DELAY_MS;
    console.log(
      `reply latency through the core, fake NCBI +${DELAY_MS} ms per call (${QUERIES} distinct searches, 5 cards each)`,
    );
    report('signals off', off, floor);
    report(`signals on (fake Europe PMC, Unpaywall, Crossref +${DELAY_MS} ms per call)`, on, floor);
    console.log(
      `    cold cards with a citation count: ${on.coldWithSignals} of ${on.coldCards}; cold p50 over signals off: ${ms(percentile(on.cold, 50) - percentile(off.cold, 50))}`,
    );
  } finally {
    await Promise.all([eutils.close(), epmc.close(), unpaywall.close(), crossref.close()]);
  }
}

if (require.main === module) void main();
