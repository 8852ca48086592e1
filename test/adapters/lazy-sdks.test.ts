// A replica loads the SDKs of what it is configured for, and nothing else: the Agents SDK, the Redis client and
// citation-js weigh about 70 MB together, and issue 7's memory budget is 200 MB. Real processes, real packages.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from './slack/slack-requests';
import { tempDataDir } from '../support/graph';
import { freePort } from '../support/replicas';
import { leaseRedisDb, type RedisDb } from '../support/redis';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'test', 'support', 'loaded-packages.ts');
/** In the bundled library, so the citation needs no PubMed (which is unreachable here). */
const SEED_PMID = '23657305';

interface Loaded {
  atStart: string[];
  afterCite: string[];
  cite: { cards: { type: string; text?: string }[] };
}

async function servedWith(env: Record<string, string>): Promise<Loaded> {
  const dataDir = tempDataDir();
  try {
    const child = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', SCRIPT, `cite ${SEED_PMID} vancouver`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PAPERBOT_DATA_DIR: dataDir,
          PORT: String(await freePort()),
          NCBI_EUTILS_URL: 'http://127.0.0.1:9',
          CTGOV_API_URL: 'http://127.0.0.1:9',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: 'http://127.0.0.1:9/api',
          ...env,
        },
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    return JSON.parse(child.stdout) as Loaded;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const TEAMS_SDK = '@microsoft/agents-hosting';
const REDIS = ['redis', '@redis/client'];
const CITATION_JS = '@citation-js/core';

it('a Slack-only replica on SQLite loads neither the Teams SDK, nor Redis, nor citation-js until a citation', async () => {
  const loaded = await servedWith({});
  expect(loaded.atStart).toContain('@slack/bolt');
  expect(loaded.atStart).toContain('better-sqlite3');
  for (const absent of [TEAMS_SDK, ...REDIS, CITATION_JS, 'cli-progress'])
    expect(loaded.atStart).not.toContain(absent);
  // The first citation loads citation-js, and it works.
  expect(loaded.afterCite).toContain(CITATION_JS);
  expect(loaded.cite.cards).toEqual([
    expect.objectContaining({
      type: 'citation',
      text: expect.stringContaining('Arq Gastroenterol. 2013;50(1):35-41.'),
    }),
  ]);
}, 90_000);

describe('with Teams and Redis configured', () => {
  let redis: RedisDb;
  beforeAll(async () => {
    redis = await leaseRedisDb();
  });
  afterAll(() => redis.release());

  it('loads both SDKs at start', async () => {
    const loaded = await servedWith({ PAPERBOT_DEV: '1', REDIS_URL: redis.url });
    expect(loaded.atStart).toEqual(expect.arrayContaining([TEAMS_SDK, '@slack/bolt', ...REDIS]));
    expect(loaded.atStart).not.toContain(CITATION_JS);
  }, 90_000);
});
