// The operator side of `paperbot serve`: /metrics in the Prometheus text format counting what really happened,
// a request id on every response and on every log line the request causes (the reply after the ack too), and
// /readyz telling ready from degraded.

import fs from 'node:fs';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { platformMounts } from '../../adapters/mounts';
import { startServer, type RunningServer } from '../../adapters/server';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { tempDataDir, testEnv } from '../support/graph';
import { freePort, type LogLine } from '../support/replicas';
import { metricValue, parseSamples } from '../support/scrape';
import { BOT_TOKEN, paperCommand, sign, SIGNING_SECRET } from './slack/slack-requests';

let eutils: FakeEutils;
let slack: FakeSlack;
let running: RunningServer;
const lines: LogLine[] = [];
const dataDirs: string[] = [];

async function configFor(env: Record<string, string> = {}): Promise<Config> {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return loadConfig({
    ...testEnv({ eutilsUrl: eutils.url }, dataDir),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(await freePort()),
    ...env,
  });
}

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  const logger = createLogger('debug', {
    write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
  });
  const config = await configFor();
  running = await startServer(config, logger, (core, scoped) => platformMounts(config, core, scoped));
});
afterAll(async () => {
  await running.close();
  await slack.close();
  await eutils.close();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const url = (path: string): string => `http://127.0.0.1:${running.port}${path}`;

async function slashCommand(text: string, headers: Record<string, string> = {}) {
  const responseUrl = slack.responseUrl();
  const body = paperCommand(text, responseUrl);
  const ts = Math.floor(Date.now() / 1000);
  const ack = await fetch(url('/slack/events'), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      ...headers,
    },
    body,
  });
  const reply = await slack.answerTo(responseUrl, await ack.text(), 5000);
  return { ack, reply };
}

it('counts commands, PubMed requests, cache lookups and HTTP requests in /metrics', async () => {
  eutils.setSearch('vemurafenib melanoma', ['22663011', '35830032']);
  await slashCommand('vemurafenib melanoma');
  await slashCommand('vemurafenib melanoma'); // the second is answered from the cache

  const res = await fetch(url('/metrics'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const samples = parseSamples(text); // every line is a valid sample or comment
  expect(samples.length).toBeGreaterThan(20);
  const esearches = eutils.requests.filter((r) => r.utility === 'esearch').length;
  const efetches = eutils.requests.filter((r) => r.utility === 'efetch').length;
  expect([esearches, efetches]).toEqual([1, 1]);
  expect(
    metricValue(text, 'paperbot_commands_total', { platform: 'slack', kind: 'search', outcome: 'answered' }),
  ).toBe(2);
  expect(
    metricValue(text, 'paperbot_reply_duration_seconds_count', { platform: 'slack', kind: 'search' }),
  ).toBe(2);
  expect(
    metricValue(text, 'paperbot_source_requests_total', { source: 'pubmed', operation: 'esearch' }),
  ).toBe(esearches);
  expect(metricValue(text, 'paperbot_source_requests_total', { source: 'pubmed', operation: 'efetch' })).toBe(
    efetches,
  );
  expect(metricValue(text, 'paperbot_source_errors_total')).toBe(0);
  // First command: the search page and both records missed; second: the page hit.
  expect(
    metricValue(text, 'paperbot_cache_lookups_total', { namespace: 'pubmed-search', result: 'miss' }),
  ).toBe(1);
  expect(
    metricValue(text, 'paperbot_cache_lookups_total', { namespace: 'pubmed-search', result: 'hit' }),
  ).toBe(1);
  expect(
    metricValue(text, 'paperbot_cache_lookups_total', { namespace: 'pubmed-article', result: 'miss' }),
  ).toBe(2);
  expect(metricValue(text, 'paperbot_http_requests_total', { route: 'slack', status: '200' })).toBe(2);
  expect(metricValue(text, 'paperbot_digest_runs_total')).toBeGreaterThanOrEqual(1); // the run at start
  expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
});

it('counts 429s and other failures by code', async () => {
  eutils.setSearch('dabrafenib melanoma', ['22663011']);
  eutils.fail('esearch', [{ status: 429 }, { html: true }]);
  await slashCommand('dabrafenib melanoma');
  const text = await (await fetch(url('/metrics'))).text();
  expect(metricValue(text, 'paperbot_source_errors_total', { source: 'pubmed', code: 'rate_limited' })).toBe(
    1,
  );
  expect(metricValue(text, 'paperbot_source_errors_total', { source: 'pubmed', code: 'bad_response' })).toBe(
    1,
  );
});

it('gives every response a request id, and every log line of that request carries it', async () => {
  const health = await fetch(url('/healthz'));
  expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const given = await fetch(url('/healthz'), { headers: { 'x-request-id': 'lb-7f3a.42' } });
  expect(given.headers.get('x-request-id')).toBe('lb-7f3a.42');

  eutils.setSearch('encorafenib melanoma', ['35830032']);
  const { ack } = await slashCommand('encorafenib melanoma', { 'x-request-id': 'edge-000123' });
  expect(ack.headers.get('x-request-id')).toBe('edge-000123');
  // The assistant logs its answer after the ack, on a later turn of the event loop: still this request's.
  const answered = lines.filter((l) => l.msg === 'answered' && l.text === 'encorafenib melanoma');
  expect(answered).toHaveLength(1);
  expect(answered[0]?.reqId).toBe('edge-000123');
  expect(lines.filter((l) => l.reqId === 'edge-000123').length).toBeGreaterThan(1);
});

it('/readyz reports the store; ready here, degraded (still 200) when Redis is unreachable', async () => {
  const res = await fetch(url('/readyz'));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    status: 'ready',
    store: { kind: 'sqlite', ok: true },
    library: { ok: true },
  });

  const config = await configFor({ REDIS_URL: 'redis://127.0.0.1:1' });
  const degraded = await startServer(
    config,
    createLogger('silent'),
    (core, scoped) => platformMounts(config, core, scoped),
    { processMetrics: false },
  );
  try {
    const answer = await fetch(`http://127.0.0.1:${degraded.port}/readyz`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      status: 'degraded',
      store: { kind: 'redis', ok: false },
      library: { ok: true },
    });
  } finally {
    await degraded.close();
  }
});
