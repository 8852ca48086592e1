// `paperbot serve` as composed for production: one HTTP server with Slack mounted from configuration,
// the health endpoints and the digest scheduler; a signed /paper reaches the core and replies.

import net from 'node:net';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { platformMounts } from '../../adapters/mounts';
import { startServer, type RunningServer } from '../../adapters/server';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { tempDataDir, testEnv } from '../support/graph';
import { BOT_TOKEN, paperCommand, sign, SIGNING_SECRET } from './slack/slack-requests';

let eutils: FakeEutils;
let slack: FakeSlack;
let running: RunningServer;

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const config = loadConfig({
    ...testEnv({ eutilsUrl: eutils.url }, tempDataDir()),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(await freePort()),
  });
  running = await startServer(config, silentLogger, (core) => platformMounts(config, core, silentLogger));
});
afterAll(async () => {
  await running?.close();
  await slack?.close();
  await eutils?.close();
});

/** A port the OS just handed out and released (config refuses 0, as a deployment should). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const url = (path: string): string => `http://127.0.0.1:${running.port}${path}`;

it('answers health and readiness, and 404 elsewhere', async () => {
  expect(await (await fetch(url('/healthz'))).json()).toEqual({ status: 'ok' });
  const ready = (await (await fetch(url('/readyz'))).json()) as {
    status: string;
    library: { articles: number };
  };
  expect(ready.status).toBe('ready');
  expect(ready.library.articles).toBeGreaterThan(0);
  expect((await fetch(url('/nowhere'))).status).toBe(404);
});

it('mounts Slack: a signed /paper is answered, in its ack when at hand or through response_url', async () => {
  eutils.setSearch('trametinib melanoma', ['22663011']);
  const responseUrl = slack.responseUrl('serve-test');
  const body = paperCommand('trametinib melanoma', responseUrl);
  const ts = Math.floor(Date.now() / 1000);
  const ack = await fetch(url('/slack/events'), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SIGNING_SECRET, ts, body),
    },
    body,
  });
  expect(ack.status).toBe(200);
  const reply = await slack.answerTo(responseUrl, await ack.text(), 5000);
  expect(JSON.stringify(reply.body)).toContain('22663011');
});

it('refuses an unsigned Slack request', async () => {
  const res = await fetch(url('/slack/events'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: paperCommand('melanoma', slack.responseUrl('x')),
  });
  expect(res.status).toBe(401);
});
