// A replica SIGKILLed in the middle of a digest run (during the PubMed lookups, or after Slack took its posts but
// before they were recorded): once its claims lapse, another replica completes every slot, each posted once.

import fs from 'node:fs';
import { createClient } from 'redis';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { openDigestStore } from '../../src/digest/store';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-requests';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { createDueSubscriptions, digestPostKeys, digestTally } from '../support/digests';
import { tempDataDir } from '../support/graph';
import { leaseRedisDb, type RedisDb } from '../support/redis';
import { startReplica, stopAll, type Replica } from '../support/replicas';
import { summaryLine } from '../support/slack-commands';

const DIGESTS = 4;
/** Where the digest store keeps per-slot claims (src/digest/store-redis.ts, default prefix). */
const CLAIMS = 'paperbot:s1:digest:claim:*';

let eutils: FakeEutils;
let slack: FakeSlack;
let redis: RedisDb;
const replicas: Replica[] = [];
const dataDirs: string[] = [];

function replicaEnv(): Record<string, string> {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return {
    NCBI_EUTILS_URL: eutils.url,
    NCBI_API_KEY: 'killtest0123456789',
    NCBI_EMAIL: 'paperbot-tests@example.org',
    NCBI_TOOL: 'paperbot-tests',
    CTGOV_API_URL: 'http://127.0.0.1:9',
    PAPERBOT_DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'warn',
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** The claims' ten minutes pass (fast-forwarded): what a dead replica held becomes free again. */
async function lapseClaims(url: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys = await client.keys(CLAIMS);
    for (const key of keys) await client.pExpire(key, 1);
    return keys.length;
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  redis = await leaseRedisDb();
}, 30_000);

afterAll(async () => {
  await stopAll(replicas);
  await redis?.release();
  await slack?.close();
  await eutils?.close();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);

it('a replica killed during a digest run: another completes every slot, each posted once', async () => {
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  const windowSearch = (p: Record<string, string>): boolean => p.datetype === 'edat';
  eutils.setSearch(windowSearch, pmids.slice(100, 103));
  // The digest lookups of the first replica hang: it dies with its claims taken and nothing posted.
  eutils.fail(
    'esearch',
    Array.from({ length: DIGESTS }, () => ({ hangMs: 20_000 })),
  );
  const due = await createDueSubscriptions(redis.url, DIGESTS, 'killed');

  const doomed = await startReplica({ name: 'doomed', env: replicaEnv() });
  replicas.push(doomed);
  await until(() => eutils.requests.some((r) => r.utility === 'esearch' && windowSearch(r.params)), 15_000);
  doomed.kill('SIGKILL');
  const exit = await doomed.exited;
  const postedBeforeKill = digestPostKeys(slack).length;

  eutils.reset();
  eutils.setSearch(windowSearch, pmids.slice(100, 103));
  const lapsed = await lapseClaims(redis.url);
  replicas.push(await startReplica({ name: 'survivor', env: replicaEnv() }));
  await until(() => new Set(digestPostKeys(slack)).size >= DIGESTS, 20_000);
  await sleep(1500); // room for a duplicate to show up
  const tally = digestTally(slack, due.length);
  console.log(summaryLine('fault: replica SIGKILLed during a digest run', [], tally));

  expect(exit.signal).toBe('SIGKILL');
  expect(postedBeforeKill).toBe(0);
  expect(lapsed).toBe(DIGESTS); // the dead replica held every slot's claim
  expect(tally).toEqual({ due: DIGESTS, posted: DIGESTS, duplicated: 0 });
}, 90_000);

it('a replica killed between Slack accepting its digests and recording them: still exactly one post each', async () => {
  await stopAll(replicas.splice(0)); // the first test's survivor would run these digests too
  slack.reset();
  eutils.reset();
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  eutils.setSearch((p) => p.datetype === 'edat', pmids.slice(110, 112));
  // Slack takes each post (it is in the channel) and then never answers: the replica dies waiting.
  slack.fail(
    'chat.postMessage',
    Array.from({ length: DIGESTS }, () => ({ acceptThenHangMs: 60_000 })),
  );
  const due = await createDueSubscriptions(redis.url, DIGESTS, 'accepted');

  const doomed = await startReplica({ name: 'doomed-after-post', env: replicaEnv() });
  replicas.push(doomed);
  await until(() => new Set(digestPostKeys(slack)).size >= DIGESTS, 20_000);
  doomed.kill('SIGKILL');
  const exit = await doomed.exited;
  // Killed after posting, before recording: every run is still open in the store.
  const store = await openDigestStore(
    { kind: 'redis', url: redis.url },
    { clock: systemClock, logger: silentLogger },
  );
  const open = await Promise.all(due.map((id) => store.get(id)));
  await store.close();

  const lapsed = await lapseClaims(redis.url);
  // At info level: its run report and each reconciliation are what this test reads.
  const survivor = await startReplica({ name: 'reconciler', env: { ...replicaEnv(), LOG_LEVEL: 'info' } });
  replicas.push(survivor);
  await until(() => survivor.logs.some((l) => l.msg === 'digest run'), 20_000);
  await sleep(1500); // room for a duplicate to show up
  const tally = digestTally(slack, due.length);
  console.log(summaryLine('fault: replica SIGKILLed between a Slack post and its record', [], tally));

  expect(exit.signal).toBe('SIGKILL');
  expect(open.map((sub) => sub?.openRun !== undefined && sub.lastResult === undefined)).toEqual(
    due.map(() => true),
  );
  expect(lapsed).toBe(DIGESTS);
  expect(tally).toEqual({ due: DIGESTS, posted: DIGESTS, duplicated: 0 });
  // The survivor found each post in its channel's history and recorded it instead of posting again.
  expect(slack.callsTo('conversations.history')).toHaveLength(DIGESTS);
  expect(
    survivor.logs.filter((l) => l.msg === 'digest: interrupted post found in the channel and recorded'),
  ).toHaveLength(DIGESTS);
}, 90_000);
