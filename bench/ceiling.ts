// What this machine allows a Slack command at 50 in flight, whatever the app does: a bare node:http server
// that checks the signature and answers with a fixed Block Kit body after N ms of CPU, the same client as
// bench/slack.ts. Answers through response_url (ack, then a POST) and in the ack itself, for each N.
// Run: node -r @swc-node/register bench/ceiling.ts   (prints figures; never fails on time)

import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { BOT_TOKEN, paperCommand, SIGNING_SECRET, slackPoster } from '../test/adapters/slack/slack-requests';
import { startFakeSlack } from '../test/peers/slack';
import { freshTrigger } from './slack-commands';

const IN_FLIGHT = 50;
const COMMANDS = Number(process.env.BENCH_CEILING_COMMANDS ?? 2000);
/** CPU per command, ms: nothing, then what a budget might be, then about what paperbot's warm answer costs. */
const WORK_MS = [0, 0.25, 0.5, 1, 2];
type Mode = 'response_url' | 'ack';

/** About the size of a five-card answer (text and blocks, JSON). */
const ANSWER = JSON.stringify({
  response_type: 'ephemeral',
  text: 'answer',
  blocks: Array.from({ length: 30 }, (_, i) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `block ${i} `.repeat(45) },
  })),
});

function verified(req: http.IncomingMessage, body: string): boolean {
  const ts = String(req.headers['x-slack-request-timestamp']);
  const expected = `v0=${crypto.createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const given = Buffer.from(String(req.headers['x-slack-signature']));
  return given.length === expected.length && crypto.timingSafeEqual(given, Buffer.from(expected));
}

/** The server side, in its own process as the app is. */
function runServer(mode: Mode, workMs: number): void {
  const agent = new Agent({ connections: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (!verified(req, body)) {
        res.writeHead(401).end();
        return;
      }
      const until = performance.now() + workMs;
      while (performance.now() < until); // stands in for the app's own work
      const json = { 'content-type': 'application/json' };
      if (mode === 'ack') {
        res.writeHead(200, json).end(ANSWER);
        return;
      }
      res.writeHead(200, json).end('{"response_type":"ephemeral","text":"Searching…"}');
      const url = String(new URLSearchParams(body).get('response_url'));
      setImmediate(() => {
        request(url, { method: 'POST', body: ANSWER, headers: json, dispatcher: agent })
          .then((r) => r.body.dump())
          .catch(() => undefined);
      });
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(mode: Mode, workMs: number): Promise<string> {
  const slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const child = fork(__filename, ['--server', mode, String(workMs)], {
    execArgv: ['-r', '@swc-node/register'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  const poster = slackPoster(`http://127.0.0.1:${port}`, { keepAliveMs: 5000 });
  const run = async (total: number): Promise<{ ms: number[]; perSecond: number }> => {
    const ms: number[] = [];
    let next = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      for (; next < total;) {
        next += 1;
        const url = slack.responseUrl();
        const sent = Date.now();
        const posted = await poster.post(paperCommand('ceiling', url, freshTrigger()));
        ms.push((await slack.answerTo(url, posted.body, 60_000)).at - sent);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    return { ms: ms.sort((a, b) => a - b), perSecond: total / ((Date.now() - started) / 1000) };
  };
  try {
    await run(COMMANDS / 2); // JIT and connections settle
    slack.reset();
    const r = await run(COMMANDS);
    return (
      `${mode.padEnd(12)} ${workMs.toFixed(2).padStart(5)} ms CPU | ${r.perSecond.toFixed(0).padStart(5)} cmd/s | ` +
      `answer p50 ${percentile(r.ms, 50)} ms p99 ${percentile(r.ms, 99)} ms max ${r.ms[r.ms.length - 1]} ms`
    );
  } finally {
    await poster.close();
    child.kill();
    await slack.close();
  }
}

export async function main(): Promise<void> {
  console.log(
    `Ceiling: bare signed-command server, ${COMMANDS} commands at ${IN_FLIGHT} in flight (each waits for its answer), ` +
      `answer ${(ANSWER.length / 1024).toFixed(0)} KB; Node ${process.version}`,
  );
  for (const mode of ['response_url', 'ack'] as const)
    for (const work of WORK_MS) console.log(await measure(mode, work));
}

if (require.main === module) {
  const [, , flag, mode, work] = process.argv;
  if (flag === '--server') runServer(mode as Mode, Number(work));
  else
    main().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
