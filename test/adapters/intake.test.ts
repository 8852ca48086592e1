// The real server against hostile clients on raw sockets: unsigned or stale requests refused before their body
// is sent, bodies over the cap or over the replica's budget refused, slow headers and bodies cut off.

import net from 'node:net';
import { ConfigError, DEFAULT_HTTP_LIMITS, httpLimits, loadConfig, type Config } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { platformMounts } from '../../adapters/mounts';
import { startServer, type RunningServer } from '../../adapters/server';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { freePort } from '../support/replicas';
import { tempDataDir, testEnv } from '../support/graph';
import { BOT_TOKEN, paperCommand, sign, SIGNING_SECRET, slackPoster } from './slack/slack-requests';

const SLACK_MAX = 32 * 1024;
const BUDGET = 64 * 1024;
const IDLE_MS = 400;

let eutils: FakeEutils;
let slack: FakeSlack;
let running: RunningServer;
let config: Config;

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  config = loadConfig({
    ...testEnv({ eutilsUrl: eutils.url }, tempDataDir()),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    TEAMS_APP_ID: '00000000-0000-0000-0000-000000000001',
    TEAMS_APP_PASSWORD: 'not-a-real-secret',
    PORT: String(await freePort()),
    SLACK_MAX_BODY_BYTES: String(SLACK_MAX),
    PAPERBOT_UNVERIFIED_BYTES: String(BUDGET),
    PAPERBOT_BODY_IDLE_MS: String(IDLE_MS),
    PAPERBOT_HEADERS_TIMEOUT_MS: '1000',
    PAPERBOT_REQUEST_TIMEOUT_MS: '3000',
  });
  running = await startServer(
    config,
    silentLogger,
    (core, logger, intake) => platformMounts(config, core, logger, intake),
    { processMetrics: false },
  );
});
afterAll(async () => {
  await running?.close();
  await slack?.close();
  await eutils?.close();
});

interface Exchange {
  socket: net.Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
  /** Resolves with the response head as soon as the status line and headers have arrived. */
  head: Promise<string>;
}

/** Opens a connection and writes `text` (a request head, perhaps with part of a body), nothing more. */
function open(text: string): Exchange {
  const socket = net.connect(running.port, '127.0.0.1');
  let received = '';
  let headSeen: (head: string) => void = () => undefined;
  const head = new Promise<string>((resolve) => (headSeen = resolve));
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    const end = received.indexOf('\r\n\r\n');
    if (end >= 0) headSeen(received.slice(0, end));
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.write(text);
  return { socket, closed, head };
}

const status = (response: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
const now = (): number => Math.floor(Date.now() / 1000);

function slackHead(o: { length: number | 'chunked'; timestamp?: string; signature?: string | null }): string {
  const lines = [
    'POST /slack/events HTTP/1.1',
    'host: 127.0.0.1',
    'content-type: application/x-www-form-urlencoded',
  ];
  lines.push(o.length === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${o.length}`);
  if (o.timestamp !== undefined) lines.push(`x-slack-request-timestamp: ${o.timestamp}`);
  if (o.signature !== null) lines.push(`x-slack-signature: ${o.signature ?? `v0=${'0'.repeat(64)}`}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

describe('Slack: refused from the headers, before any body is sent', () => {
  it.each([
    ['no signature', { timestamp: String(now()), signature: null }],
    ['no timestamp', {}],
    ['a timestamp of Infinity', { timestamp: 'Infinity' }],
    ['a timestamp in exponent form', { timestamp: '1.7e9' }],
    ['a timestamp ten minutes old', { timestamp: String(now() - 600) }],
    ['a timestamp ten minutes ahead', { timestamp: String(now() + 600) }],
  ])('answers 401 to %s and closes the connection', async (_, headers) => {
    const c = open(slackHead({ length: 10 * 1024 * 1024, ...headers }));
    const response = await c.closed;
    expect(status(response)).toBe(401);
  });

  it('still takes Slack’s unsigned ssl_check (a few dozen bytes), and refuses any other small unsigned form', async () => {
    const post = async (body: string): Promise<number> =>
      (
        await fetch(`http://127.0.0.1:${running.port}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        })
      ).status;
    expect(await post('ssl_check=1&token=xxx')).toBe(200);
    expect(await post(paperCommand('x', slack.responseUrl()).slice(0, 200))).toBe(401);
  });

  it('answers 413 to a declared body over the cap without reading it', async () => {
    const c = open(slackHead({ length: SLACK_MAX + 1, timestamp: String(now()) }));
    expect(status(await c.closed)).toBe(413);
  });
});

describe('Slack: bodies are read within the limits', () => {
  it('answers 413 to a chunked body once it passes the cap, and closes the connection', async () => {
    const c = open(slackHead({ length: 'chunked', timestamp: String(now()) }));
    const chunk = 'a'.repeat(4096);
    for (let i = 0; i < 10 && !c.socket.destroyed; i += 1)
      c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(status(await c.closed)).toBe(413);
  });

  it('answers 408 to a body that stops arriving, after the idle timeout', async () => {
    const c = open(`${slackHead({ length: 1000, timestamp: String(now()) })}command=%2Fpaper`);
    const response = await c.closed;
    expect(status(response)).toBe(408);
  });

  it('answers 503 with Retry-After once unverified bodies in flight pass the budget', async () => {
    const part = 'a'.repeat(24 * 1024);
    // Three bodies of 30 KB (under the cap), each stalled after 24 KB: the third pushes the replica past its 64 KB budget.
    const stalled = [0, 1, 2].map(() =>
      open(`${slackHead({ length: 30 * 1024, timestamp: String(now()) })}${part}`),
    );
    const heads = await Promise.race([
      Promise.any(stalled.map((c) => c.head)),
      new Promise<string>((resolve) => setTimeout(() => resolve(''), IDLE_MS - 100)),
    ]);
    expect(status(heads)).toBe(503);
    expect(heads.toLowerCase()).toContain('retry-after: 1');
    const answers = await Promise.all(stalled.map((c) => c.closed));
    // The other two held their bytes until the idle timeout cut them off.
    expect(answers.map(status).sort()).toEqual([408, 408, 503]);
  });

  it('still serves a signed command once the slow clients are gone', async () => {
    const poster = slackPoster(`http://127.0.0.1:${running.port}`);
    try {
      const responseUrl = slack.responseUrl();
      const posted = await poster.post(paperCommand('pembrolizumab nsclc', responseUrl));
      expect(posted.status).toBe(200);
      // The user saw an answer: in the ack itself, or on the response_url after it.
      expect((await slack.answerTo(responseUrl, posted.body)).via).toMatch(/^(ack|response_url)$/);
    } finally {
      await poster.close();
    }
  });

  it('reads a signed body sent in pieces, each within the idle timeout', async () => {
    const body = paperCommand('osimertinib egfr', slack.responseUrl());
    const timestamp = now();
    const c = open(
      slackHead({
        length: Buffer.byteLength(body),
        timestamp: String(timestamp),
        signature: sign(SIGNING_SECRET, timestamp, body),
      }),
    );
    for (const piece of [body.slice(0, 100), body.slice(100, 200), body.slice(200)]) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 4));
      c.socket.write(piece);
    }
    expect(status(await c.head)).toBe(200);
    c.socket.destroy();
  });
});

describe('the server itself', () => {
  it('closes a connection whose headers never finish, with 408', async () => {
    const c = open('POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slack-signature: v0=');
    expect(status(await c.closed)).toBe(408);
  });

  it('answers 401 to a Teams request without a token before its body is sent, and closes the connection', async () => {
    const c = open(
      'POST /api/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10485760\r\n\r\n',
    );
    expect(status(await c.closed)).toBe(401);
  });

  it('reads the limits from the environment, with defaults for what is unset', () => {
    expect(httpLimits(loadConfig({}))).toEqual(DEFAULT_HTTP_LIMITS);
    expect(httpLimits(config)).toEqual({
      ...DEFAULT_HTTP_LIMITS,
      slackBodyBytes: SLACK_MAX,
      unverifiedBytes: BUDGET,
      bodyIdleMs: IDLE_MS,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 3000,
    });
    expect(() => loadConfig({ PAPERBOT_BODY_IDLE_MS: '0' })).toThrow(
      'PAPERBOT_BODY_IDLE_MS: must be at least 100',
    );
    expect(() => loadConfig({ TEAMS_MAX_BODY_BYTES: 'lots' })).toThrow(/^TEAMS_MAX_BODY_BYTES: /);
  });

  it('refuses a request timeout shorter than the headers timeout', () => {
    expect(() =>
      loadConfig({ PAPERBOT_HEADERS_TIMEOUT_MS: '5000', PAPERBOT_REQUEST_TIMEOUT_MS: '2000' }),
    ).toThrow(ConfigError);
  });
});
