// Teams latency through `paperbot serve` (real HTTP, real core, fake NCBI +200 ms a call, fake Bot Connector):
// a message until its reply reaches the connector, and a messaging-extension query until its invoke
// response, warm (cache hits) and cold (fresh cache), 20 at a time. Prints figures; never fails on time.
// Run: node -r @swc-node/register bench/teams.ts

import { fixture, startHarness, type Harness } from '../test/adapters/teams/harness';

const DELAY_MS = 200;
const CONCURRENCY = 20;
const WARM_REQUESTS = 400;
const COLD_WAVES = 3;
const WARM_QUERIES = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

interface Sample {
  ms: number;
  /** 'pubmed': cards from PubMed; 'fallback': the core's library fallback after PubMed's deadline; 'empty': no cards. */
  outcome: 'pubmed' | 'fallback' | 'empty';
}

const FALLBACK = /did not answer in time|local library/;

function outcome(json: string, cards: boolean): Sample['outcome'] {
  if (!cards) return 'empty';
  return FALLBACK.test(json) ? 'fallback' : 'pubmed';
}

const DM = fixture('vercel_teams_dm.json', 'dmMessage');
const INVOKE = fixture('botbuilder_teams_SampleActivityComposeExtension.json');

let sequence = 0;

/** A personal-chat message in its own conversation, timed until the card reply reaches the connector. */
async function message(h: Harness, text: string): Promise<Sample> {
  sequence += 1;
  const conversation = `a:bench-${sequence}`;
  const started = performance.now();
  const r = await h.post({
    ...DM,
    id: `bench-${sequence}`,
    text,
    conversation: { conversationType: 'personal', id: conversation },
  });
  const reply = h.connector.requests.find(
    (q) => q.conversationId === conversation && q.activity.type === 'message',
  );
  const json = JSON.stringify(reply?.activity ?? {});
  return {
    ms: (reply?.receivedAt ?? performance.now()) - started,
    outcome: outcome(json, r.status === 200 && json.includes('"similar ')),
  };
}

/** A messaging-extension search, timed until the invoke response is back. */
async function query(h: Harness, text: string): Promise<Sample> {
  const started = performance.now();
  const r = await h.post({
    ...INVOKE,
    value: {
      commandId: 'paper',
      parameters: [{ name: 'query', value: text }],
      queryOptions: { skip: 0, count: 25 },
    },
  });
  const elapsed = performance.now() - started;
  const body = r.status === 200 ? (r.json() as { composeExtension?: { attachments?: unknown[] } }) : {};
  return { ms: elapsed, outcome: outcome(r.text, (body.composeExtension?.attachments?.length ?? 0) > 0) };
}

/** Runs `count` jobs, at most CONCURRENCY at once. */
async function pool(count: number, job: (i: number) => Promise<Sample>): Promise<Sample[]> {
  const out: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        out.push(await job(i));
      }
    }),
  );
  return out;
}

function report(label: string, samples: Sample[], target?: string): void {
  const times = samples.map((s) => s.ms);
  const count = (o: Sample['outcome']): number => samples.filter((s) => s.outcome === o).length;
  const mix =
    count('pubmed') === samples.length
      ? ''
      : `  [${count('pubmed')} PubMed, ${count('fallback')} library fallback, ${count('empty')} empty]`;
  console.log(
    `  ${label.padEnd(30)} p50 ${ms(percentile(times, 50)).padStart(9)}  p99 ${ms(percentile(times, 99)).padStart(9)}  n=${samples.length}${target ? `  ${target}` : ''}${mix}`,
  );
}

async function harness(): Promise<{ h: Harness; pmids: string[] }> {
  // An API key lets the shared NCBI budget start 10 requests a second instead of 3.
  const h = await startHarness({ env: { NCBI_API_KEY: 'benchkey0123456789' }, eutilsDelayMs: DELAY_MS });
  return { h, pmids: [...h.eutils.records.keys()] };
}

export async function main(): Promise<void> {
  console.log(
    `Teams adapter latency: fake NCBI +${DELAY_MS} ms per call, concurrency ${CONCURRENCY}, 5 cards a reply`,
  );

  // Cold: each wave on a fresh server (empty cache), every request its own search and its own records,
  // so each pays esearch + efetch (2 × ${DELAY_MS} ms) and the NCBI budget of 10 request starts a second.
  const coldMessages: Sample[] = [];
  const coldQueries: Sample[] = [];
  for (let wave = 0; wave < COLD_WAVES; wave += 1) {
    const { h, pmids } = await harness();
    try {
      const slice = (i: number): string[] => pmids.slice(i * 5, i * 5 + 5);
      for (let i = 0; i < 2 * CONCURRENCY; i += 1) h.eutils.setSearch(`cold probe ${i}`, slice(i));
      coldMessages.push(...(await pool(CONCURRENCY, (i) => message(h, `cold probe ${i}`))));
      coldQueries.push(...(await pool(CONCURRENCY, (i) => query(h, `cold probe ${CONCURRENCY + i}`))));
    } finally {
      await h.close();
    }
  }

  // One at a time on a fresh server: the cold floor without queueing (2 NCBI calls, 200 ms each).
  const alone: Sample[] = [];
  const aloneQueries: Sample[] = [];
  {
    const { h, pmids } = await harness();
    try {
      for (let i = 0; i < 10; i += 1) h.eutils.setSearch(`alone probe ${i}`, pmids.slice(i * 5, i * 5 + 5));
      for (let i = 0; i < 5; i += 1) alone.push(await message(h, `alone probe ${i}`));
      for (let i = 5; i < 10; i += 1) aloneQueries.push(await query(h, `alone probe ${i}`));
    } finally {
      await h.close();
    }
  }

  const { h, pmids } = await harness();
  try {
    for (let i = 0; i < WARM_QUERIES; i += 1) {
      h.eutils.setSearch(`warm probe ${i}`, pmids.slice(i * 5, i * 5 + 5));
      await message(h, `warm probe ${i}`);
    }
    // A first unmeasured pass at full concurrency: JIT, sockets and SQLite pages warm, as on a running server.
    await pool(WARM_REQUESTS, (i) => message(h, `warm probe ${i % WARM_QUERIES}`));
    await pool(WARM_REQUESTS, (i) => query(h, `warm probe ${i % WARM_QUERIES}`));
    h.connector.reset();
    const before = h.eutils.requests.length;
    const warmMessages = await pool(WARM_REQUESTS, (i) => message(h, `warm probe ${i % WARM_QUERIES}`));
    h.connector.reset();
    const warmQueries = await pool(WARM_REQUESTS, (i) => query(h, `warm probe ${i % WARM_QUERIES}`));
    const ncbiCalls = h.eutils.requests.length - before;

    console.log('cold, one at a time (empty cache; floor 2 × 200 ms):');
    report('message → reply at connector', alone);
    report('extension query → invoke', aloneQueries);
    console.log(
      `cold, ${CONCURRENCY} at once (${COLD_WAVES} fresh servers; ${2 * CONCURRENCY} NCBI calls a wave against 10 starts/s):`,
    );
    report('message → reply at connector', coldMessages);
    report('extension query → invoke', coldQueries, "(Teams' limit 5 s)");
    console.log(`warm (cache hits; ${ncbiCalls} NCBI calls while measuring):`);
    report('message → reply at connector', warmMessages);
    report('extension query → invoke', warmQueries, '(target p99 ≤ 300 ms)');
  } finally {
    await h.close();
  }
}

if (require.main === module) void main();
