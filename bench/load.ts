// `npm run bench:load`: signed Slack /paper commands against one `paperbot serve` process on loopback with
// autocannon, warm cache: acks per second (and how many took the command rather than ask for a retry), ack
// latency p50/p99 at 10, 50 and 200 connections, RSS at rest and under load, whether every reply still reached
// its response_url, and the replica's event-loop delay and major GCs per level (where ack latency comes from).
// Then an open loop (./load-open.ts): capacity, and 1.5× and 3× of it at a fixed arrival rate. Prints figures;
// never fails on time. Targets (2-core machine): ≥ 2,000 acks/s, ack p99 ≤ 50 ms at 50 connections, RSS < 200 MB;
// under open-loop overload, served ≥ 90% of capacity, ack p99 ≤ 100 ms, every refusal told to retry.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { BOT_TOKEN, paperCommand, SIGNING_SECRET, slackPoster } from '../test/adapters/slack/slack-requests';
import { BUSY } from '../src/core/wording';
import { startFakeEutils } from '../test/peers/eutils';
import { startFakeSlack } from '../test/peers/slack';
import { tempDataDir } from '../test/support/graph';
import { startReplica, type Replica } from '../test/support/replicas';
import { openLoopLevels } from './load-open';
import { buildApp, NODE_OPTIONS, rssBytes } from './replica-app';
import { freshTrigger, signedCommand } from './slack-commands';

const DURATION_S = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
/** closed (autocannon's levels), open (./load-open.ts: capacity, then 1.5× and 3× at a fixed rate), or both. */
const MODE = process.env.BENCH_LOAD_MODE ?? 'both';
/** Commands per second for the paced level: below what one replica answers end to end. */
const PACED_RATE = Number(process.env.BENCH_LOAD_RATE ?? 300);
const CONCURRENCY = [10, 50, 200];
const QUERIES = [
  'pembrolizumab nsclc',
  'nivolumab melanoma adjuvant',
  'osimertinib egfr',
  'trastuzumab deruxtecan her2 low',
  'car-t lymphoma',
  'braf v600e colorectal',
  'sotorasib kras g12c',
  'olaparib brca ovarian',
  'atezolizumab hepatocellular',
  'enfortumab urothelial',
  'durvalumab consolidation stage iii',
  'lutetium psma prostate',
  'venetoclax aml elderly',
  'daratumumab myeloma',
  'tumor treating fields glioblastoma',
  'neoadjuvant chemotherapy pancreatic',
];
const MB = 1024 * 1024;

/**
 * Stands in for Slack's response_url: answers 200 at once and counts what arrives, keeping nothing. It runs in
 * its own process: sharing one with autocannon, it would answer replies only as fast as a saturated event loop
 * lets it, and the replica's replies would look slower than they are.
 */
interface Sink {
  url: string;
  count(): Promise<number>;
  close(): Promise<void>;
}

function runSink(): void {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message === 'count') process.send?.({ count: received });
    if (message === 'stop') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
}

async function startSink(): Promise<Sink> {
  const child = fork(__filename, ['--sink'], { execArgv: ['-r', '@swc-node/register'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/r/T00FAKE00BB/bench/sink`,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { count: number }).count));
        child.send('count');
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForCount(
  count: () => Promise<number>,
  target: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  while ((await count()) < target && Date.now() - started < timeoutMs) await sleep(20);
  return Date.now() - started;
}

/** Acks that asked the user to retry (the replica owed its limit of answers): no reply follows them. */
let busyAcks = 0;
/** Acks that were the answer itself (it was at hand and the loop not saturated): no reply follows them either. */
let answerAcks = 0;
const countAck = (status: number, body: string): void => {
  if (status !== 200) return;
  if (body.includes(BUSY)) busyAcks += 1;
  else if (body.includes('"blocks"')) answerAcks += 1;
};

/** One request per query, each send a new command signed when it leaves (./slack-commands.ts). */
function signedRequests(responseUrl: string): autocannon.Request[] {
  return QUERIES.map((query) => ({
    method: 'POST',
    setupRequest: (request) => ({ ...request, ...signedCommand(query, responseUrl) }),
    onResponse: countAck,
  }));
}

interface Level {
  label: string;
  acksPerSecond: number;
  /** Acks per second that took the command (its answer in the ack or after it), not "try again". */
  servedPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** Acks that told the user to retry: the replica owed its limit of answers. */
  busy: number;
  /** Acks that carried the answer. */
  inAck: number;
  /** Replies that reached the response_url while the load ran, and how long the rest took after it. */
  repliesDuring: number;
  acks: number;
  drainMs: number;
  rssPeakMb: number;
  /** The replica's own account of its memory right after the load (its /metrics). */
  memory: string;
  /** Its event loop and garbage collector during the load (its /metrics), where ack latency comes from. */
  loop: string;
}

interface Scrape {
  value(name: string): number;
}

async function scrape(base: string): Promise<Scrape> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return {
    value: (name) => {
      const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
      return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    },
  };
}

/** V8 heap and off-heap (Buffers, SQLite and native) memory. */
function heapFigures(m: Scrape): string {
  const mb = (bytes: number): string => `${Math.round(bytes / MB)} MB`;
  return (
    `heap ${mb(m.value('nodejs_heap_size_used_bytes'))} used of ${mb(m.value('nodejs_heap_size_total_bytes'))}, ` +
    `external ${mb(m.value('nodejs_external_memory_bytes'))}`
  );
}

const MAJOR_GC_COUNT = 'nodejs_gc_duration_seconds_count{kind="major"}';
const MAJOR_GC_SUM = 'nodejs_gc_duration_seconds_sum{kind="major"}';

/** prom-client's event-loop probe is a timer every 10 ms, and it reports the whole interval. */
const PROBE_SECONDS = 0.01;

/**
 * Event-loop delay since the previous scrape (prom-client resets its histogram on every collection) and the
 * major collections in between: an ack waits for whatever holds the loop when it arrives.
 */
function loopFigures(before: Scrape, after: Scrape): string {
  const ms = (seconds: number): string => `${(seconds * 1000).toFixed(0)} ms`;
  const delay = (name: string): string => ms(Math.max(0, after.value(name) - PROBE_SECONDS));
  const majors = after.value(MAJOR_GC_COUNT) - before.value(MAJOR_GC_COUNT);
  const majorSeconds = after.value(MAJOR_GC_SUM) - before.value(MAJOR_GC_SUM);
  return (
    `event-loop delay p50 ${delay('nodejs_eventloop_lag_p50_seconds')}, ` +
    `p99 ${delay('nodejs_eventloop_lag_p99_seconds')}, max ${delay('nodejs_eventloop_lag_max_seconds')}; ` +
    `${majors} major GCs, ${ms(majors > 0 ? majorSeconds / majors : 0)} each`
  );
}

async function level(
  replica: Replica,
  sink: Sink,
  label: string,
  options: { connections: number; overallRate?: number },
): Promise<Level> {
  const pid = replica.child.pid ?? 0;
  const before = await sink.count();
  const busyBefore = busyAcks;
  const inAckBefore = answerAcks;
  let peak = rssBytes(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 200);
  const start = await scrape(replica.url);
  const result = await autocannon({
    url: replica.url,
    duration: DURATION_S,
    requests: signedRequests(sink.url),
    ...options,
  });
  const repliesDuring = (await sink.count()) - before;
  const end = await scrape(replica.url);
  // Replies trail the acks: wait for every one owed (still sampling memory) before the next level.
  const acks = result['2xx'];
  const busy = busyAcks - busyBefore;
  const inAck = answerAcks - inAckBefore;
  const drainMs = await waitForCount(sink.count, before + acks - busy - inAck, 120_000);
  clearInterval(sampler);
  return {
    label,
    acksPerSecond: Math.round(acks / result.duration),
    servedPerSecond: Math.round((acks - busy) / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
    busy,
    inAck,
    repliesDuring,
    acks,
    drainMs,
    rssPeakMb: Math.round(peak / MB),
    memory: heapFigures(end),
    loop: loopFigures(start, end),
  };
}

function print(l: Level, o: { latency: boolean }): void {
  const n = (x: number): string => x.toLocaleString('en-US');
  // autocannon's rate limiting releases requests in bursts, so a paced level's latencies describe the bursts.
  const latency = o.latency ? `ack p50 ${l.p50} ms, p99 ${l.p99} ms, ` : '';
  console.log(
    `${l.label.padEnd(24)} ${n(l.acksPerSecond).padStart(6)} acks/s (${n(l.servedPerSecond)} served), ${latency}${l.failed} failed; ` +
      `${n(l.busy)} asked to retry, ${n(l.inAck)} answered in the ack; replies ${n(l.repliesDuring)}/${n(l.acks - l.busy - l.inAck)} during the load, ` +
      `the rest ${n(l.drainMs)} ms after; RSS peak ${l.rssPeakMb} MB (${l.memory})`,
  );
  console.log(`${''.padEnd(24)} replica: ${l.loop}`);
}

export async function main(): Promise<void> {
  const eutils = await startFakeEutils({ delayMs: 50 });
  const slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const sink = await startSink();
  const dataDir = tempDataDir();
  const app = buildApp();
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  QUERIES.forEach((query, i) => eutils.setSearch(query, pmids.slice(i * 5, i * 5 + 5)));
  let replica: Replica | undefined;
  try {
    replica = await startReplica({
      name: 'bench',
      appDir: app,
      // A CPU (or heap) profile of the replica, written when it stops (read it with Chrome's DevTools).
      ...(process.env.BENCH_PROFILE_DIR
        ? {
            execArgv: [
              `--${process.env.BENCH_PROFILE_KIND ?? 'cpu'}-prof`,
              `--${process.env.BENCH_PROFILE_KIND ?? 'cpu'}-prof-dir=${process.env.BENCH_PROFILE_DIR}`,
            ],
          }
        : {}),
      env: {
        NCBI_EUTILS_URL: eutils.url,
        NCBI_API_KEY: 'benchkey0123456789',
        NCBI_EMAIL: 'paperbot-bench@example.org',
        NCBI_TOOL: 'paperbot-bench',
        CTGOV_API_URL: 'http://127.0.0.1:9',
        PAPERBOT_DATA_DIR: dataDir,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        NODE_OPTIONS,
        LOG_LEVEL: 'warn',
      },
    });
    await sleep(1000);
    const startMb = Math.round(rssBytes(replica.child.pid ?? 0) / MB);
    // Warm the cache: every query answered once by PubMed (at a pace NCBI allows).
    const poster = slackPoster(replica.url);
    for (const query of QUERIES) {
      const target = (await sink.count()) + 1;
      await poster.post(paperCommand(query, sink.url, freshTrigger()));
      await waitForCount(sink.count, target, 10_000);
    }
    await poster.close();
    const ncbiCalls = eutils.requests.length;
    // Let the JIT settle on the hot paths, at a pace the replies keep up with, before anything is measured.
    await autocannon({
      url: replica.url,
      connections: 10,
      duration: 3,
      overallRate: 200,
      requests: signedRequests(sink.url),
    });
    await sleep(2000);
    const restMb = Math.round(rssBytes(replica.child.pid ?? 0) / MB);

    console.log(
      `paperbot serve (compiled, one process, embedded SQLite cache, warm), Slack /paper over loopback, ${DURATION_S} s per level, ` +
        `node ${process.version}, NODE_OPTIONS="${NODE_OPTIONS}"; autocannon and the fake Slack in this process, the response_url sink in its own`,
    );
    console.log(`RSS at rest: ${startMb} MB after start, ${restMb} MB after warming up`);
    if (MODE !== 'open') {
      // First a rate the replies keep up with (memory in steady state), then as fast as acks come back.
      const paced = await level(replica, sink, `paced ${PACED_RATE}/s, c=50`, {
        connections: 50,
        overallRate: PACED_RATE,
      });
      print(paced, { latency: false });
      const levels: Level[] = [];
      for (const connections of CONCURRENCY) {
        const l = await level(replica, sink, `as fast as acked, c=${connections}`, { connections });
        levels.push(l);
        print(l, { latency: true });
      }
      const at50 = levels.find((l) => l.label.endsWith('c=50'));
      const sustained = levels.map((l) => Math.round((l.acks - l.busy) / (DURATION_S + l.drainMs / 1000)));
      console.log(
        `end to end (ack and reply) a replica sustains about ${Math.max(...sustained).toLocaleString('en-US')} commands/s; ` +
          `beyond its backlog limit further commands are acked with "try again" at once`,
      );
      console.log(
        `NCBI requests: ${ncbiCalls} while warming, ${eutils.requests.length - ncbiCalls} under load (cache hits only)`,
      );
      console.log(
        `targets: ≥ 2,000 acks/s at c=50 → ${at50?.acksPerSecond.toLocaleString('en-US') ?? 0} ` +
          `(${at50?.servedPerSecond.toLocaleString('en-US') ?? 0} of them served, the rest asked to retry); ack p99 ≤ 50 ms at c=50 → ` +
          `${at50?.p99 ?? NaN} ms; RSS < 200 MB → ${startMb} MB after start, ${restMb} MB warm at rest, ${paced.rssPeakMb} MB paced, ` +
          `${Math.max(...levels.map((l) => l.rssPeakMb))} MB flat out`,
      );
    }
    if (MODE !== 'closed')
      await openLoopLevels({
        url: replica.url,
        pid: replica.child.pid ?? 0,
        sinkUrl: sink.url,
        sinkCount: sink.count,
        queries: QUERIES,
      });
    // A replica that struggles usually says why: show what it logged at warn and above, in brief.
    const warnings = replica.logs.filter((line) => line.level >= 40);
    const kinds = new Map<string, number>();
    for (const line of warnings) kinds.set(line.msg ?? '?', (kinds.get(line.msg ?? '?') ?? 0) + 1);
    console.log(`replica warnings and errors: ${JSON.stringify(Object.fromEntries(kinds))}`);
  } finally {
    await replica?.stop();
    await sink.close();
    await slack.close();
    await eutils.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(app, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv.includes('--sink')) runSink();
else if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
