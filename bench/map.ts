// `map <query>` through the real core with a fake NCBI adding 200 ms to every call: requests per map and
// wall time cold (no cached counts) with and without an API key, warm (every count cached), and the time
// to draw the chart (SVG + resvg PNG). Prints figures; never fails on time.
// Run: node -r @swc-node/register bench/map.ts

import { chartPng } from '../src/chart/png';
import { mapChart } from '../src/core/present/evidence-map';
import { startFakeEutils } from '../test/peers/eutils';
import { startTestGraph } from '../test/support/graph';
import { countFor } from '../test/map/terms';

const DELAY_MS = 200;
const CHARTS = 20;

const ms = (n: number): string => `${n.toFixed(0)} ms`;

export async function main(): Promise<void> {
  const eutils = await startFakeEutils({ delayMs: DELAY_MS });
  eutils.setCounts(countFor);
  console.log(`evidence map through the core, fake NCBI +${DELAY_MS} ms per call, 20 years`);
  try {
    for (const key of [undefined, 'benchkey0123456789']) {
      const graph = await startTestGraph({ eutilsUrl: eutils.url, env: key ? { NCBI_API_KEY: key } : {} });
      const ask = async (text: string) => {
        const started = performance.now();
        const reply = await graph.assistant.handle({
          text,
          user: { id: 'bench' },
          place: { platform: 'cli' },
        });
        return { ms: performance.now() - started, reply };
      };
      try {
        const before = eutils.requests.length;
        const cold = await ask(`map bench query ${key ? 'with' : 'without'} key`);
        const requests = eutils.requests.length - before;
        const warm = await ask(`map bench query ${key ? 'with' : 'without'} key`);
        const card = cold.reply.cards[0];
        const unknown =
          card?.type === 'map'
            ? [card.total, ...card.levels, ...card.years].filter((c) => c.count === undefined).length
            : NaN;
        console.log(
          `  ${key ? 'with NCBI_API_KEY (10/s)' : 'without a key (3/s)   '}: cold ${ms(cold.ms)} for ${requests} requests (${unknown} unknown), warm ${ms(warm.ms)} and ${eutils.requests.length - before - requests} requests`,
        );
        if (!key && card?.type === 'map') {
          const times: number[] = [];
          let bytes = 0;
          for (let i = 0; i < CHARTS; i++) {
            const started = performance.now();
            bytes = (await chartPng(mapChart(card))).png.length;
            times.push(performance.now() - started);
          }
          times.sort((a, b) => a - b);
          console.log(
            `  chart: SVG + PNG ${ms(times[Math.floor(times.length / 2)] ?? NaN)} median of ${CHARTS} (first ${ms(times[times.length - 1] ?? NaN)} worst), ${bytes} bytes`,
          );
        }
      } finally {
        await graph.close();
      }
    }
  } finally {
    await eutils.close();
  }
}

if (require.main === module) void main();
