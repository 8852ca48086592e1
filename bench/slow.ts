// `npm run bench:slow`: 200 hostile connections held open against one `paperbot serve` (Slack, compiled) on
// loopback: slow headers, unsigned and oversized bodies, bodies trickled under signature-looking headers. Each
// connection is reopened as soon as the replica drops it. Prints the replica's RSS and /healthz latency; the
// attackers run in a child process, so a busy attacker never shows up as /healthz latency.
// Targets (issue 15): RSS < 200 MB and /healthz < 50 ms throughout. Prints figures; never fails on time.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/adapters/slack/slack-requests';
import { startFakeSlack } from '../test/peers/slack';
import { tempDataDir } from '../test/support/graph';
import { startReplica, type Replica } from '../test/support/replicas';
import { buildApp, NODE_OPTIONS, rssBytes } from './replica-app';

const SECONDS = Number(process.env.BENCH_SLOW_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_SLOW_CONNECTIONS ?? 200);
/** Reopened connections at most, whatever the duration: the bench stays bounded in count as well as time. */
const MAX_OPENED = 50_000;
const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const unixNow = (): string => String(Math.floor(Date.now() / 1000));

type Kind = 'slow headers' | 'unsigned 50 MB' | 'signed-looking trickle' | 'signed-looking flood';
const KINDS: Kind[] = ['slow headers', 'unsigned 50 MB', 'signed-looking trickle', 'signed-looking flood'];

function head(lines: string[]): string {
  return `POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\n${lines.join('\r\n')}\r\n\r\n`;
}
/** Headers that pass the pre-body check (a v0 signature, a current timestamp); the signature itself is wrong. */
const signedLooking = (): string[] => [
  `x-slack-request-timestamp: ${unixNow()}`,
  `x-slack-signature: v0=${'0'.repeat(64)}`,
];

interface Attack {
  opened: number;
  open: number;
  statuses: Map<string, number>;
  stop(): Promise<void>;
}

/** Keeps `connections` hostile connections open until stopped; each one the replica drops is reopened. */
function attack(port: number, connections: number): Attack {
  const statuses = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let stopped = false;
  const state: Attack = {
    opened: 0,
    open: 0,
    statuses,
    async stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
      while (state.open > 0) await sleep(10);
    },
  };
  const count = (status: string): void => void statuses.set(status, (statuses.get(status) ?? 0) + 1);

  function launch(kind: Kind): void {
    if (stopped || state.opened >= MAX_OPENED) return;
    state.opened += 1;
    state.open += 1;
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    const trickle = (text: string, everyMs: number): void => {
      let i = 0;
      timer = setInterval(() => socket.write(text[i++ % text.length] ?? 'a'), everyMs);
    };
    const flood = (): void => {
      while (!socket.destroyed && socket.write(CHUNK));
      if (!socket.destroyed) socket.once('drain', flood);
    };
    socket.on('data', (data: Buffer) => {
      if (answered) return;
      answered = true;
      count(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 'other');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      state.open -= 1;
      // The replica answered and dropped the connection while this side was still sending: the reset can
      // arrive before the answer is read.
      if (!answered) count('reset mid-body');
      // A short pause, so a replica that drops connections at once is not simply flooded with reconnects.
      if (!stopped) setTimeout(() => launch(kind), 100);
    });
    socket.on('connect', () => {
      if (kind === 'slow headers') {
        socket.write('POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slack-signature: v0=');
        trickle('0123456789abcdef', 1000);
      } else if (kind === 'unsigned 50 MB') {
        socket.write(head([`content-length: ${50 * MB}`]));
        flood();
      } else if (kind === 'signed-looking trickle') {
        socket.write(head([`content-length: ${400 * 1024}`, ...signedLooking()]));
        trickle('command=%2Fpaper&text=x', 1000);
      } else {
        socket.write(head(['transfer-encoding: chunked', ...signedLooking()]));
        const chunk = (): void => {
          while (
            !socket.destroyed &&
            socket.write(`${CHUNK.length.toString(16)}\r\n${CHUNK.toString()}\r\n`)
          );
          if (!socket.destroyed) socket.once('drain', chunk);
        };
        chunk();
      }
    });
  }

  for (let i = 0; i < connections; i += 1) launch(KINDS[i % KINDS.length] as Kind);
  return state;
}

interface AttackReport {
  open: number;
  opened: number;
  statuses: [string, number][];
}

/** The attackers' process: attacks until told to stop, reporting on request. */
function runAttacker(port: number): void {
  const hostile = attack(port, CONNECTIONS);
  const report = (): AttackReport => ({
    open: hostile.open,
    opened: hostile.opened,
    statuses: [...hostile.statuses.entries()],
  });
  process.on('message', (message) => {
    if (message === 'report') process.send?.(report());
    if (message === 'stop') void hostile.stop().then(() => process.send?.(report(), () => process.exit(0)));
  });
}

interface Attacker {
  report(): Promise<AttackReport>;
  stop(): Promise<AttackReport>;
}

function startAttacker(port: number): Attacker {
  const child = fork(__filename, ['--attacker', String(port)], { execArgv: ['-r', '@swc-node/register'] });
  const ask = (message: string): Promise<AttackReport> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as AttackReport));
      child.send(message);
    });
  return { report: () => ask('report'), stop: () => ask('stop') };
}

/** One GET /healthz on its own keep-alive connection; its latency in ms (Infinity if it failed). */
function probe(agent: http.Agent, port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : Infinity));
    });
    req.on('error', () => resolve(Infinity));
    req.on('timeout', () => req.destroy());
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'failed');

export async function main(): Promise<void> {
  const slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const dataDir = tempDataDir();
  const app = buildApp();
  let replica: Replica | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    replica = await startReplica({
      name: 'slow',
      appDir: app,
      env: {
        NCBI_EUTILS_URL: 'http://127.0.0.1:9',
        CTGOV_API_URL: 'http://127.0.0.1:9',
        PAPERBOT_DATA_DIR: dataDir,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.apiUrl,
        NODE_OPTIONS,
        LOG_LEVEL: 'warn',
      },
    });
    const pid = replica.child.pid ?? 0;
    await sleep(1000);
    const idle: number[] = [];
    for (let i = 0; i < 20; i += 1) idle.push(await probe(agent, replica.port));
    const restMb = rssBytes(pid) / MB;
    console.log(
      `paperbot serve (compiled, Slack only), ${CONNECTIONS} hostile connections for ${SECONDS} s, node ${process.version}, ` +
        `NODE_OPTIONS="${NODE_OPTIONS}"; the attackers in a child process`,
    );
    console.log(
      `at rest: RSS ${restMb.toFixed(0)} MB, /healthz p50 ${ms(percentile(idle, 50))}, max ${ms(Math.max(...idle))}`,
    );
    console.log(`kinds, in equal shares: ${KINDS.join(', ')}`);

    const hostile = startAttacker(replica.port);
    const latencies: number[] = [];
    let peakMb = restMb;
    const started = Date.now();
    for (let second = 1; Date.now() - started < SECONDS * 1000; second += 1) {
      const thisSecond: number[] = [];
      const until = started + second * 1000;
      while (Date.now() < until) {
        thisSecond.push(await probe(agent, replica.port));
        await sleep(50);
      }
      latencies.push(...thisSecond);
      const mb = rssBytes(pid) / MB;
      peakMb = Math.max(peakMb, mb);
      const state = await hostile.report();
      console.log(
        `${String(second).padStart(3)} s  RSS ${mb.toFixed(0).padStart(3)} MB  /healthz p50 ${ms(percentile(thisSecond, 50))}, ` +
          `max ${ms(Math.max(...thisSecond))}  hostile open ${state.open}, opened ${state.opened}`,
      );
    }
    const final = await hostile.stop();
    const answers = final.statuses.map(([status, n]) => `${status}: ${n}`).join(', ');
    console.log(`the replica's answers to hostile connections: ${answers}`);
    const p99 = percentile(latencies, 99);
    console.log(
      `targets: RSS < 200 MB → peak ${peakMb.toFixed(0)} MB; /healthz < 50 ms → p99 ${ms(p99)}, max ${ms(Math.max(...latencies))} ` +
        `(${latencies.length} probes, ${latencies.filter((x) => !Number.isFinite(x)).length} failed)`,
    );
  } finally {
    agent.destroy();
    await replica?.stop();
    await slack.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(app, { recursive: true, force: true });
  }
}

const attackerAt = process.argv.indexOf('--attacker');
if (require.main === module && attackerAt > 0) runAttacker(Number(process.argv[attackerAt + 1]));
else if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
