// Redis stopped and restarted under load: two `paperbot serve` replicas share a Redis of the test's own (the
// default port's one is never touched), commands keep coming while it is down, and digests fall due meanwhile.
// Replies must continue (direct lookups), the replicas must share the cache again once Redis is back, and each
// digest must be posted exactly once.

import fs from 'node:fs';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-requests';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { createDueSubscriptions, digestPostKeys, digestTally } from '../support/digests';
import { tempDataDir } from '../support/graph';
import { startOwnRedis, type OwnRedis } from '../support/redis';
import { startReplica, stopAll, type Replica } from '../support/replicas';
import {
  commandDriver,
  replyText,
  SLACK_DEADLINE_MS,
  summaryLine,
  type Sent,
  type Target,
} from '../support/slack-commands';

const QUERIES = 30;
const SEND_EVERY_MS = 100;
const OUTAGE = { fromMs: 2000, toMs: 5000 };
const DIGESTS = 4;

let eutils: FakeEutils;
let slack: FakeSlack;
let redis: OwnRedis;
const dataDirs: string[] = [];
const replicas: Replica[] = [];

function replicaEnv(): Record<string, string> {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return {
    NCBI_EUTILS_URL: eutils.url,
    NCBI_API_KEY: 'redisfault0123456789',
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

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function cacheShared(replica: Replica): Promise<true | undefined> {
  const res = await fetch(`${replica.url}/readyz`);
  const ready = (await res.json()) as { status: string };
  return ready.status === 'ready' ? true : undefined;
}

beforeAll(async () => {
  eutils = await startFakeEutils({ delayMs: 20 });
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  redis = await startOwnRedis();
  replicas.push(...(await Promise.all(['a', 'b'].map((name) => startReplica({ name, env: replicaEnv() })))));
}, 60_000);

afterAll(async () => {
  await stopAll(replicas);
  await redis?.close();
  await slack?.close();
  await eutils?.close();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);

it('keeps answering while Redis is down, shares the cache again after, and posts each digest once', async () => {
  const queries = Array.from({ length: QUERIES }, (_, i) => `redis outage cohort ${i + 1}`);
  const pmids = [...eutils.records.values()].filter((r) => r.kind === 'article').map((r) => r.pmid);
  queries.forEach((q, i) => eutils.setSearch(q, pmids.slice(i * 2, i * 2 + 2)));
  eutils.setSearch((p) => p.datetype === 'edat', pmids.slice(200, 203));
  const [a, b] = replicas as [Replica, Replica];

  // Each query is asked twice, on different replicas, the second time half a second after the first.
  const driver = commandDriver(slack);
  const plan: { text: string; target: Target }[] = [];
  for (let k = 0; k < QUERIES + 5; k += 1) {
    const first = queries[k];
    const again = queries[k - 5];
    if (first !== undefined) plan.push({ text: first, target: k % 2 ? a : b });
    if (again !== undefined) plan.push({ text: again, target: k % 2 ? a : b });
  }

  const started = Date.now();
  const pending: Promise<Sent>[] = [];
  let due: string[] = [];
  let outage: Promise<void> = Promise.resolve();
  for (let i = 0; i < plan.length; i += 1) {
    const at = i * SEND_EVERY_MS;
    if (at >= OUTAGE.fromMs && due.length === 0) {
      // Digests fall due just before Redis goes: nobody may post them twice, and none may be lost.
      due = await createDueSubscriptions(redis.url, DIGESTS, 'outage');
      outage = (async () => {
        await redis.stop();
        await sleep(OUTAGE.toMs - OUTAGE.fromMs);
        await redis.start();
      })();
    }
    await sleep(Math.max(0, started + at - Date.now()));
    const step = plan[i] as { text: string; target: Target };
    pending.push(driver.send(step.text, step.target));
  }
  const sent = await Promise.all(pending);
  await outage;

  // Back to sharing: once both replicas read Redis again, a lookup made on one is a cache hit on the other.
  await until(() => cacheShared(a), 15_000);
  await until(() => cacheShared(b), 15_000);
  eutils.setSearch('after the outage', pmids.slice(210, 212));
  const first = await driver.send('after the outage', a);
  const second = await driver.send('after the outage', b);
  const searchesFor = (term: string): number =>
    eutils.requests.filter((r) => r.utility === 'esearch' && r.params.term === term).length;
  const afterSearches = searchesFor('after the outage');
  const direct = queries.filter((q) => searchesFor(q) > 1).length;

  // A replica deployed after the outage runs the due digests at start (if a tick of a or b did not first).
  replicas.push(await startReplica({ name: 'c', env: replicaEnv() }));
  await until(() => (new Set(digestPostKeys(slack)).size >= DIGESTS ? true : undefined), 20_000);
  await sleep(1500); // room for a duplicate to show up
  await driver.close();
  const tally = digestTally(slack, due.length);
  console.log(
    `${summaryLine(`fault: Redis stopped ${OUTAGE.fromMs / 1000}–${OUTAGE.toMs / 1000} s and restarted`, sent, tally)}` +
      `\n  ${direct} of ${QUERIES} queries were looked up by both replicas (cache unreachable), the rest once`,
  );

  for (const s of sent) {
    expect({ text: s.text, ack: s.ackStatus, answered: s.reply !== undefined }).toEqual({
      text: s.text,
      ack: 200,
      answered: true,
    });
    expect(s.replyMs).toBeLessThanOrEqual(SLACK_DEADLINE_MS);
    // PubMed answered (directly while Redis was away), not the library fallback.
    const index = queries.indexOf(s.text);
    for (const pmid of pmids.slice(index * 2, index * 2 + 2)) expect(replyText(s)).toContain(pmid);
  }
  expect(replyText(first)).toContain(pmids[210]);
  expect(replyText(second)).toContain(pmids[210]);
  expect(afterSearches).toBe(1);
  expect(tally).toEqual({ due: DIGESTS, posted: DIGESTS, duplicated: 0 });
}, 90_000);
