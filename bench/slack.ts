// Load on the Slack adapter: signed /paper commands, 50 in flight end to end, against the running app (its
// own process, as in production) with the fake NCBI adding 200 ms a call; cold cache, then warm.
// Run: node -r @swc-node/register bench/slack.ts   (prints figures; never fails on time)

import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp } from '../adapters/slack/app';
import { silentLogger } from '../src/core/logger';
import {
  BOT_TOKEN,
  paperCommand,
  SIGNING_SECRET,
  slackPoster,
  type SlackPoster,
} from '../test/adapters/slack/slack-requests';
import { freshTrigger } from './slack-commands';
import { startFakeEutils, type FakeEutils } from '../test/peers/eutils';
import { startFakeSlack, type FakeSlack } from '../test/peers/slack';
import { startTestGraph } from '../test/support/graph';

const TOTAL = Number(process.env.BENCH_SLACK_COMMANDS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_SLACK_CONCURRENCY ?? 50);
const NCBI_DELAY_MS = 200;
/** Distinct queries the warm phase cycles through (cached beforehand at a pace NCBI allows). */
const WARM_QUERIES = 50;

interface Sample {
  ackMs: number;
  replyMs: number;
  status: number;
  /** The answer came from the local library because PubMed could not answer in time (a notice says so). */
  fallback: boolean;
  /** The answer was the ack's own message (it was at hand), not a later one at response_url. */
  inAck: boolean;
}

type AppMessage = { port: number } | { rss: number; heap: number };
type PhaseRun = { samples: Sample[]; ms: number };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** The app side: the real core graph and the Slack app on a node:http server, in a child process. */
async function runApp(): Promise<void> {
  const graph = await startTestGraph({
    eutilsUrl: String(process.env.BENCH_EUTILS_URL),
    env: {
      NCBI_API_KEY: 'benchkey0123456789',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: String(process.env.BENCH_SLACK_API_URL),
    },
  });
  const app = await createSlackApp({
    config: graph.config,
    assistant: graph.assistant,
    logger: silentLogger,
  });
  const server = http.createServer((req, res) => {
    if (!app.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await app.start();
  process.on('message', (m: string) => {
    if (m === 'rss') {
      // Heap after a full collection tells growth from garbage not yet collected (the app runs with --expose-gc).
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      process.send?.({ rss: usage.rss, heap: usage.heapUsed });
    }
    if (m === 'stop')
      void (async () => {
        server.closeAllConnections();
        server.close();
        await app.stop();
        await graph.close();
        process.exit(0);
      })();
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}

function ask(child: ChildProcess, message: string): Promise<AppMessage> {
  return new Promise((resolve) => {
    child.once('message', (m: AppMessage) => resolve(m));
    child.send(message);
  });
}

async function command(poster: SlackPoster, slack: FakeSlack, query: string): Promise<Sample> {
  const url = slack.responseUrl();
  const sent = Date.now();
  const posted = await poster.post(paperCommand(query, url, freshTrigger()));
  if (posted.status !== 200)
    return { ackMs: posted.ms, replyMs: NaN, status: posted.status, fallback: false, inAck: false };
  const reply = await slack.answerTo(url, posted.body, 60_000);
  const text = JSON.stringify(reply.body.blocks ?? []);
  return {
    ackMs: posted.ms,
    replyMs: reply.at - sent,
    status: 200,
    fallback: text.includes('local library'),
    inAck: reply.via === 'ack',
  };
}

/** Closed loop: `concurrency` workers, each sending its next command once the previous one was answered. */
async function phase(
  base: string,
  slack: FakeSlack,
  queries: string[],
  concurrency: number,
): Promise<PhaseRun> {
  const poster = slackPoster(base, { keepAliveMs: 5000 });
  const samples: Sample[] = [];
  let next = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const query = queries[next] ?? '';
      next += 1;
      samples.push(await command(poster, slack, query));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await poster.close();
  return { samples, ms: Date.now() - started };
}

/** Open loop: commands sent at a steady rate whatever the answers, like many users typing at once. */
async function paced(
  base: string,
  slack: FakeSlack,
  queries: string[],
  perSecond: number,
): Promise<PhaseRun> {
  const poster = slackPoster(base, { keepAliveMs: 5000 });
  const started = Date.now();
  const runs = queries.map(
    (query, i) =>
      new Promise<Sample>((resolve, reject) => {
        setTimeout(() => command(poster, slack, query).then(resolve, reject), (i * 1000) / perSecond);
      }),
  );
  const samples = await Promise.all(runs);
  await poster.close();
  return { samples, ms: Date.now() - started };
}

function report(name: string, r: PhaseRun, memory: { rss: number; heap: number }): void {
  const acks = r.samples.map((s) => s.ackMs);
  const replies = r.samples.map((s) => s.replyMs).filter((x) => Number.isFinite(x));
  const f = (x: number): string => x.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(16)} ${String(r.samples.length).padStart(4)} cmds | ack p50 ${f(percentile(acks, 50))} ms p99 ${f(percentile(acks, 99))} ms max ${f(Math.max(...acks))} ms` +
      ` | answer p50 ${f(percentile(replies, 50))} ms p99 ${f(percentile(replies, 99))} ms, ${r.samples.filter((s) => s.inAck).length} in the ack` +
      ` | non-200 ${r.samples.filter((s) => s.status !== 200).length}, library fallbacks ${r.samples.filter((s) => s.fallback).length}` +
      ` | ${(r.samples.length / (r.ms / 1000)).toFixed(0)} cmd/s | app RSS ${(memory.rss / 1e6).toFixed(0)} MB, heap ${(memory.heap / 1e6).toFixed(0)} MB`,
  );
}

export async function main(): Promise<void> {
  const eutils: FakeEutils = await startFakeEutils({ delayMs: NCBI_DELAY_MS });
  const slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const records = [...eutils.records.keys()];
  // Each query gets its own five records, so cold searches need ESearch and EFetch.
  eutils.setSearch(/^bench \w+ \d+$/, records.slice(0, 5));
  for (let i = 0; i < TOTAL + 40; i += 1) {
    const five = Array.from({ length: 5 }, (_, k) => records[(i * 5 + k) % records.length] ?? '');
    eutils.setSearch(`bench cold ${i}`, five);
  }
  const child = fork(__filename, ['--app'], {
    execArgv: [
      '--expose-gc',
      '-r',
      '@swc-node/register',
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
    ],
    env: { ...process.env, BENCH_EUTILS_URL: eutils.url, BENCH_SLACK_API_URL: slack.apiUrl },
  });
  try {
    const ready = (await new Promise<AppMessage>((resolve) => child.once('message', resolve))) as {
      port: number;
    };
    const base = `http://127.0.0.1:${ready.port}`;
    const rss = async (): Promise<{ rss: number; heap: number }> =>
      (await ask(child, 'rss')) as { rss: number; heap: number };
    console.log(
      `Slack adapter, ${TOTAL} signed /paper commands per phase, ${CONCURRENCY} in flight (each waits for its answer: the ack's own message, or the reply at response_url);` +
        ` fake NCBI +${NCBI_DELAY_MS} ms a call, NCBI budget 10/s; app in its own process; Node ${process.version}`,
    );
    const start = await rss();
    console.log(
      `app at start: RSS ${(start.rss / 1e6).toFixed(0)} MB, heap ${(start.heap / 1e6).toFixed(0)} MB`,
    );
    const cold = await phase(
      base,
      slack,
      Array.from({ length: TOTAL }, (_, i) => `bench cold ${i}`),
      CONCURRENCY,
    );
    report(`cold, ${CONCURRENCY} in flight`, cold, await rss());
    // Cold again, at a pace the NCBI budget can serve (two calls per search, 10 calls a second).
    const coldPaced = Array.from({ length: 40 }, (_, i) => `bench cold ${TOTAL + i}`);
    report('cold, 4 cmd/s', await paced(base, slack, coldPaced, 4), await rss());
    const warmQueries = Array.from({ length: WARM_QUERIES }, (_, i) => `bench warm ${i}`);
    await phase(base, slack, warmQueries, 4); // fills the cache at a pace NCBI allows (not measured)
    const warmRun = Array.from({ length: TOTAL }, (_, i) => warmQueries[i % WARM_QUERIES] ?? '');
    report(`warm, ${CONCURRENCY} in flight`, await phase(base, slack, warmRun, CONCURRENCY), await rss());
    for (const rate of [50, 100, 200])
      report(`warm, ${rate} cmd/s`, await paced(base, slack, warmRun, rate), await rss());
    console.log(`NCBI calls in all: ${eutils.requests.length}`);
    console.log(
      'targets: ack p99 <= 50 ms, zero non-200, warm answer p99 <= 30 ms (Slack allows 3,000 ms for the ack)',
    );
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await slack.close();
    await eutils.close();
  }
}

if (require.main === module) {
  (process.argv.includes('--app') ? runApp() : main()).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
