// Reply latency through the real core (parser → cache → PubMed service → cards) with a fake NCBI that
// adds 200 ms to every call: cold (esearch then efetch: two round trips are the floor) and warm (cache hit).
// Prints figures; never fails on time. Run: node -r @swc-node/register bench/latency.ts

import { startFakeEutils } from '../test/peers/eutils';
import { startTestGraph } from '../test/support/graph';

const DELAY_MS = 200;
const QUERIES = 20;
const WARM_ROUNDS = 25;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

export async function main(): Promise<void> {
  const eutils = await startFakeEutils({ delayMs: DELAY_MS });
  const pmids = [...eutils.records.keys()];
  const queries = Array.from({ length: QUERIES }, (_, i) => `latency probe ${i}`);
  eutils.setSearch('latency warm-up', pmids.slice(0, 5));
  queries.forEach((q, i) =>
    eutils.setSearch(q, pmids.slice((i * 5) % (pmids.length - 5), ((i * 5) % (pmids.length - 5)) + 5)),
  );
  // An API key raises the budget to 10 request starts a second, so sequential cold lookups (2 calls each)
  // measure latency rather than queueing behind the 3/s budget.
  const graph = await startTestGraph({ eutilsUrl: eutils.url, env: { NCBI_API_KEY: 'benchkey0123456789' } });
  const ask = async (text: string): Promise<number> => {
    const started = performance.now();
    const reply = await graph.assistant.handle({ text, user: { id: 'bench' }, place: { platform: 'cli' } });
    const elapsed = performance.now() - started;
    if (reply.cards.length === 0) throw new Error(`no cards for "${text}": ${reply.notice ?? ''}`);
    return elapsed;
  };
  try {
    await ask('latency warm-up');
    const cold: number[] = [];
    for (const q of queries) cold.push(await ask(q));
    const warm: number[] = [];
    for (let round = 0; round < WARM_ROUNDS; round++) for (const q of queries) warm.push(await ask(q));
    const floor = 2 * DELAY_MS;
    console.log(
      `reply latency through the core, fake NCBI +${DELAY_MS} ms per call (${QUERIES} distinct searches, 5 cards each)`,
    );
    console.log(
      `  cold: p50 ${ms(percentile(cold, 50))}  p99 ${ms(percentile(cold, 99))}  (floor ${floor} ms; overhead p50 ${ms(percentile(cold, 50) - floor)}, target ≤ 20 ms)`,
    );
    console.log(
      `  warm: p50 ${ms(percentile(warm, 50))}  p99 ${ms(percentile(warm, 99))}  over ${warm.length} cache hits (target p50 ≤ 5 ms)`,
    );
  } finally {
    await graph.close();
    await eutils.close();
  }
}

if (require.main === module) void main();
