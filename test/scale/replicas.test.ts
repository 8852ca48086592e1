// Three `paperbot serve` processes sharing the real Redis (their own database), a fake NCBI that enforces
// its 10-requests-per-second rule, and a fake Slack: 300 signed /paper commands for 60 distinct queries,
// every query asked on all three replicas at once. PubMed must see each lookup once, the one shared budget
// must hold, and every command must be answered with PubMed's records.

import fs from 'node:fs';
import { maxStartsInWindow, startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-requests';
import { tempDataDir } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';
import { startReplica, stopAll, type Replica } from '../support/replicas';
import { commandDriver, percentile, replyText, summaryLine, type Sent } from '../support/slack-commands';
import { metricValue, scrape } from '../support/scrape';

const TOPICS = [
  'melanoma',
  'glioblastoma',
  'pancreatic adenocarcinoma',
  'hepatocellular carcinoma',
  'triple negative breast cancer',
  'small cell lung cancer',
  'colorectal liver metastases',
  'multiple myeloma',
  'acute myeloid leukemia',
  'ovarian cancer',
  'renal cell carcinoma',
  'prostate cancer',
];
const ANGLES = ['immunotherapy', 'radiotherapy', 'biomarkers', 'second line', 'elderly patients'];
const COPIES = 5;
/** Distinct queries per wave; a wave every 2 s keeps NCBI demand (2 requests a query) under 10/s on average. */
const WAVE = 8;
const WAVE_GAP_MS = 2000;
const NCBI_PER_SECOND = 10;

let eutils: FakeEutils;
let slack: FakeSlack;
let redis: RedisDb;
let replicas: Replica[] = [];
const dataDirs: string[] = [];

function dataDir(): string {
  const dir = tempDataDir();
  dataDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  eutils = await startFakeEutils({ enforceRateLimit: true, delayMs: 30 });
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  redis = await leaseRedisDb();
  replicas = await Promise.all(
    ['a', 'b', 'c'].map((name) =>
      startReplica({
        name,
        env: {
          NCBI_EUTILS_URL: eutils.url,
          NCBI_API_KEY: 'scaletest0123456789',
          NCBI_EMAIL: 'paperbot-tests@example.org',
          NCBI_TOOL: 'paperbot-tests',
          CTGOV_API_URL: 'http://127.0.0.1:9',
          PAPERBOT_DATA_DIR: dataDir(),
          REDIS_URL: redis.url,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          LOG_LEVEL: 'warn',
        },
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await stopAll(replicas);
  await redis?.release();
  await slack?.close();
  await eutils?.close();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);

it('300 commands over three replicas: each lookup reaches PubMed once, within one budget, all answered', async () => {
  const queries = TOPICS.flatMap((topic) => ANGLES.map((angle) => `${topic} ${angle}`));
  expect(queries).toHaveLength(60);
  // Four recorded articles per query, none shared: a record fetched twice can only be a missed coalescing.
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  const expected = new Map(queries.map((q, i) => [q, pmids.slice(i * 4, i * 4 + 4)]));
  for (const [query, ids] of expected) eutils.setSearch(query, ids);

  const driver = commandDriver(slack);
  const pending: Promise<Sent>[] = [];
  for (let wave = 0; wave * WAVE < queries.length; wave += 1) {
    const batch = queries.slice(wave * WAVE, (wave + 1) * WAVE);
    // Every copy of a query goes out at once, spread over all three replicas.
    batch.forEach((query, q) => {
      for (let copy = 0; copy < COPIES; copy += 1)
        pending.push(driver.send(query, replicas[(q + copy) % replicas.length] as Replica));
    });
    await new Promise((resolve) => setTimeout(resolve, WAVE_GAP_MS));
  }
  const sent = await Promise.all(pending);
  await driver.close();

  const esearches = eutils.requests.filter((r) => r.utility === 'esearch');
  const efetches = eutils.requests.filter((r) => r.utility === 'efetch');
  const fetched = efetches.flatMap((r) => (r.params.id ?? '').split(','));
  const perSecond = maxStartsInWindow(eutils.requests, 1000);
  const replyMs = sent.flatMap((s) => (s.replyMs === undefined ? [] : [s.replyMs]));
  const scraped = await Promise.all(replicas.map((r) => scrape(r.url)));
  const commands = scraped.map((text) => metricValue(text, 'paperbot_commands_total', { kind: 'search' }));
  const rateLimited = scraped.map((text) =>
    metricValue(text, 'paperbot_source_errors_total', { source: 'pubmed', code: 'rate_limited' }),
  );
  console.log(
    `${summaryLine('scale: 3 replicas, 60 distinct queries', sent)}\n` +
      `  NCBI saw ${esearches.length} esearch + ${efetches.length} efetch (${fetched.length} records), ` +
      `at most ${perSecond} requests in any second (budget ${NCBI_PER_SECOND}); commands per replica ${commands.join(
        '/',
      )}; reply p50 ${percentile(replyMs, 50)} ms, p99 ${percentile(replyMs, 99)} ms`,
  );

  for (const s of sent) {
    expect({ text: s.text, ack: s.ackStatus, error: s.error }).toEqual({
      text: s.text,
      ack: 200,
      error: undefined,
    });
    const body = replyText(s);
    for (const pmid of expected.get(s.text) ?? []) expect(body).toContain(pmid);
  }
  // Each distinct search reached PubMed exactly once, and each record was fetched exactly once.
  expect(esearches.map((r) => r.params.term).sort()).toEqual([...queries].sort());
  expect(fetched.sort()).toEqual([...expected.values()].flat().sort());
  expect(perSecond).toBeLessThanOrEqual(NCBI_PER_SECOND);
  expect(rateLimited).toEqual([0, 0, 0]);
  expect(commands.reduce((a, b) => a + b, 0)).toBe(queries.length * COPIES);
}, 90_000);
