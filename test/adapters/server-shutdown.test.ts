// SIGTERM on a running `paperbot serve` process, with a /paper answer and a digest post both in flight: it must
// stop accepting at once, deliver both, release its locks and claims, and exit 0 within 10 s.

import fs from 'node:fs';
import { createClient } from 'redis';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { openDigestStore } from '../../src/digest/store';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { createDueSubscriptions, digestPostKeys } from '../support/digests';
import { tempDataDir } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';
import { startReplica, stopAll, type Replica } from '../support/replicas';
import { commandDriver, replyText } from '../support/slack-commands';
import { BOT_TOKEN, SIGNING_SECRET } from './slack/slack-requests';

let eutils: FakeEutils;
let slack: FakeSlack;
let redis: RedisDb;
let replica: Replica | undefined;
let dataDir: string;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

beforeAll(async () => {
  eutils = await startFakeEutils({ delayMs: 700 });
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  redis = await leaseRedisDb();
  dataDir = tempDataDir();
}, 30_000);

afterAll(async () => {
  await stopAll(replica ? [replica] : []);
  await redis?.release();
  await slack?.close();
  await eutils?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

it('SIGTERM: stops accepting, finishes the reply and the digest post in flight, releases locks, exits 0', async () => {
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  eutils.setSearch((p) => p.datetype === 'edat', pmids.slice(120, 122));
  eutils.setSearch('nivolumab adjuvant melanoma', pmids.slice(130, 133));
  // The digest post takes 2 s to be accepted: SIGTERM lands while it is under way.
  slack.fail('chat.postMessage', [{ hangMs: 2000 }]);
  const [subscription] = await createDueSubscriptions(redis.url, 1, 'term');

  replica = await startReplica({
    name: 'terminated',
    env: {
      NCBI_EUTILS_URL: eutils.url,
      NCBI_API_KEY: 'sigterm0123456789',
      NCBI_EMAIL: 'paperbot-tests@example.org',
      NCBI_TOOL: 'paperbot-tests',
      CTGOV_API_URL: 'http://127.0.0.1:9',
      PAPERBOT_DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
    },
  });
  const running = replica;
  await until(() => slack.callsTo('chat.postMessage').length > 0, 15_000);

  // A /paper acked just before the signal: its answer needs two NCBI calls of 700 ms each.
  const driver = commandDriver(slack);
  const answer = driver.send('nivolumab adjuvant melanoma', running);
  await until(() => eutils.requests.some((r) => r.params.term === 'nivolumab adjuvant melanoma'), 5000);
  const stopping = running.stop();
  await sleep(100);
  const refused = await fetch(`${running.url}/healthz`).then(
    () => false,
    () => true,
  );
  const exit = await stopping;
  const sent = await answer;
  await driver.close();
  console.log(`SIGTERM with a reply and a digest post in flight: exit ${exit.code} after ${exit.ms} ms`);

  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(exit.ms).toBeLessThan(10_000);
  expect(refused).toBe(true);
  expect(sent.ackStatus).toBe(200);
  for (const pmid of pmids.slice(130, 133)) expect(replyText(sent)).toContain(pmid);
  expect(digestPostKeys(slack)).toHaveLength(1);

  // The post was recorded as delivered, and nothing is left locked for the replicas that stay.
  const store = await openDigestStore(
    { kind: 'redis', url: redis.url },
    { clock: systemClock, logger: silentLogger },
  );
  const after = await store.get(String(subscription));
  await store.close();
  expect(after?.lastResult?.status).toBe('delivered');
  expect(after?.openRun).toBeUndefined();
  const client = createClient({ url: redis.url });
  await client.connect();
  const leftover = [
    ...(await client.keys('paperbot:s1:digest:claim:*')),
    ...(await client.keys('paperbot:v1:load-lock:*')),
  ];
  await client.close();
  expect(leftover).toEqual([]);
  const messages = running.logs.map((l) => l.msg);
  expect(messages).toContain('shutting down: no new requests; finishing replies and digest posts');
  expect(messages).toContain('stopped');
}, 60_000);
