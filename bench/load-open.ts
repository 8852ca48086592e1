// bench/load.ts's open-loop part: find the rate one replica serves in full (its capacity), then offer 1.5× and
// 3× that at a fixed arrival rate and see whether it still serves at capacity. The generator is ./open-loop.ts.

import { BUSY } from '../src/core/wording';
import { openLoop, type OpenLoopRequest, type OpenLoopResult, type Outcome } from './open-loop';
import { cpuMs, rssBytes } from './replica-app';
import { signedCommand } from './slack-commands';

export interface OpenLoopTarget {
  url: string;
  pid: number;
  /** The response_url every command names, and how many replies reached it so far. */
  sinkUrl: string;
  sinkCount(): Promise<number>;
  queries: string[];
}

const MB = 1024 * 1024;
const SECONDS = Number(process.env.BENCH_LOAD_OPEN_SECONDS ?? 5);
/** A capacity (commands/s) measured before: skips the search, e.g. to profile one overload level. */
const GIVEN_CAPACITY = Number(process.env.BENCH_LOAD_CAPACITY ?? 0);
/** Each step of the capacity search: short, since a backlog that does not keep up shows within a second or two. */
const STEP_SECONDS = Number(process.env.BENCH_LOAD_STEP_SECONDS ?? 3);
const FIRST_RATE = 100;
/**
 * Keep-alive connections the generator keeps (Slack's own fan-in is not documented). With up to 512, on a heavily
 * shared machine, a fifth to a half of the acks did not come within 3 s even at 150/s; with 32, none was lost.
 */
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 64);
const STEP_FACTOR = 1.3;
const MAX_STEPS = 14;
const P99_TARGET_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The n-th command of a level: the queries in turn, each a new command signed as it leaves. */
const commandFor =
  (target: OpenLoopTarget) =>
  (n: number): OpenLoopRequest =>
    signedCommand(target.queries[n % target.queries.length] as string, target.sinkUrl);

interface OpenLevel extends OpenLoopResult {
  rate: number;
  /** Acks that were the answer itself: no reply follows them. */
  inAck: number;
  rssPeakMb: number;
  /** The replica's CPU time over the level (its busy share of one core: it is one event loop). */
  cpuMs: number;
  /** How long the replies owed took to arrive after the level ended. */
  drainMs: number;
}

/** Waits (bounded) until the sink has seen `count` replies; how long that took. */
async function repliesOwed(target: OpenLoopTarget, count: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while ((await target.sinkCount()) < count && Date.now() - started < timeoutMs) await sleep(20);
  return Date.now() - started;
}

async function level(target: OpenLoopTarget, rate: number, seconds: number): Promise<OpenLevel> {
  const before = await target.sinkCount();
  let inAck = 0;
  let peak = rssBytes(target.pid);
  const cpuBefore = cpuMs(target.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(target.pid))), 200);
  const classify = (status: number, body: string): Outcome => {
    if (status !== 200) return 'other';
    if (body.includes(BUSY)) return 'busy';
    if (body.includes('"blocks"')) inAck += 1;
    return 'served';
  };
  const result = await openLoop({
    origin: target.url,
    rate,
    seconds,
    request: commandFor(target),
    classify,
    connections: CONNECTIONS,
  });
  const drainMs = await repliesOwed(target, before + result.served - inAck, 60_000);
  clearInterval(sampler);
  const cpu = cpuMs(target.pid) - cpuBefore;
  return { ...result, rate, inAck, rssPeakMb: Math.round(peak / MB), cpuMs: cpu, drainMs };
}

const perSecond = (l: OpenLevel, n: number): number => Math.round(n / l.seconds);
const fmt = (x: number): string => x.toLocaleString('en-US');

/**
 * Served in full: nothing refused or lost, and the replies kept up with the acks. Ack latency is not part of it:
 * the target for it is under overload, and on a busy machine it would stop the search long before throughput.
 */
function keptUp(l: OpenLevel): boolean {
  return l.served >= 0.99 * l.offered && l.failed === 0 && l.drainMs < 1000;
}

function print(label: string, l: OpenLevel, capacity?: number): void {
  const share = capacity ? ` (${Math.round((100 * perSecond(l, l.served)) / capacity)}% of capacity)` : '';
  console.log(
    `${label.padEnd(26)} offered ${fmt(perSecond(l, l.offered))}/s: served ${fmt(perSecond(l, l.served))}/s${share}, ` +
      `${fmt(l.busy)} told to retry, ${fmt(l.other)} refused without it, ${fmt(l.failed)} lost${l.failed ? ` ${JSON.stringify(l.failures)}` : ''}; ` +
      `ack p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms; ${fmt(l.inAck)} answered in the ack, ` +
      `replies done ${fmt(l.drainMs)} ms after; RSS peak ${l.rssPeakMb} MB; ` +
      `replica CPU ${Math.round((100 * l.cpuMs) / (1000 * l.seconds + l.drainMs))}% of a core, ` +
      `${(l.cpuMs / Math.max(1, l.offered)).toFixed(2)} ms per command offered`,
  );
}

/** The highest rate of the search served in full (undefined if the first was not). */
async function searchCapacity(target: OpenLoopTarget): Promise<number | undefined> {
  let best: number | undefined;
  let rate = FIRST_RATE;
  for (let step = 0; step < MAX_STEPS; step += 1, rate = Math.round(rate * STEP_FACTOR)) {
    const l = await level(target, rate, STEP_SECONDS);
    print(`  search ${fmt(rate)}/s`, l);
    if (!keptUp(l)) break;
    best = rate;
    await sleep(500);
  }
  return best;
}

/** Finds the capacity, then offers 1.5× and 3× of it; prints each level and the targets. */
export async function openLoopLevels(target: OpenLoopTarget): Promise<void> {
  console.log(
    `open loop (fixed arrival rate, undici, latency from when each request fell due): capacity search in ` +
      `${STEP_SECONDS} s steps ×${STEP_FACTOR} from ${FIRST_RATE}/s, then ${SECONDS} s per level`,
  );
  const best = GIVEN_CAPACITY > 0 ? GIVEN_CAPACITY : await searchCapacity(target);
  if (best === undefined) {
    console.log(`open loop: not even ${FIRST_RATE}/s was served in full; no overload levels`);
    return;
  }
  await sleep(1000);
  const atCapacity = await level(target, best, SECONDS);
  const capacity = perSecond(atCapacity, atCapacity.served);
  print(`at capacity ${fmt(best)}/s`, atCapacity, capacity);
  const overloads: OpenLevel[] = [];
  for (const factor of [1.5, 3]) {
    await sleep(1000);
    const l = await level(target, Math.round(best * factor), SECONDS);
    overloads.push(l);
    print(`at ${factor}× capacity`, l, capacity);
  }
  const worst = Math.min(...overloads.map((l) => perSecond(l, l.served)));
  const all = [atCapacity, ...overloads];
  console.log(
    `open-loop targets: served under overload ≥ 90% of capacity (${fmt(capacity)}/s) → ` +
      `${Math.round((100 * worst) / capacity)}% at worst; ack p99 ≤ ${P99_TARGET_MS} ms → ` +
      `${Math.max(...all.map((l) => l.p99)).toFixed(1)} ms at worst; every refusal told to retry → ` +
      `${fmt(all.reduce((n, l) => n + l.other + l.failed, 0))} refused or lost without it; RSS < 200 MB → ` +
      `${Math.max(...all.map((l) => l.rssPeakMb))} MB peak`,
  );
}
