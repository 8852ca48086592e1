// Digests wired end to end: a subscription made through the assistant in a Slack channel, then
// `paperbot digest run --now` posting it through the real Slack deliverer to the fake Web API, once.

import fs from 'node:fs';
import { loadConfig } from '../../../src/config';
import { silentLogger } from '../../../src/core/logger';
import { buildCore } from '../../../src/main';
import { startFakeEutils, type FakeEutils } from '../../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../../peers/slack';
import { runCli } from '../../support/cli';
import { tempDataDir, testEnv } from '../../support/graph';

const TOKEN = 'xoxb-cli-digest-token';
let eutils: FakeEutils;
let slack: FakeSlack;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [TOKEN] });
  dataDir = tempDataDir();
  env = {
    ...testEnv({ eutilsUrl: eutils.url }, dataDir),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
    SLACK_API_URL: `${slack.apiUrl}/`,
  };
});
afterAll(async () => {
  await slack.close();
  await eutils.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const r = await runCli(argv, env, dataDir);
  return { code: r.code, out: r.stdout };
}

it('subscribes in a channel, then posts the new papers once', async () => {
  const core = await buildCore(loadConfig(env), silentLogger);
  try {
    const reply = await core.assistant.handle({
      text: 'digest add trametinib melanoma at 07:30 tz Europe/Berlin',
      user: { id: 'U1' },
      place: { platform: 'slack', team: 'T1', channel: 'C1' },
    });
    expect(reply.cards[0]?.type).not.toBe('error');
  } finally {
    await core.close();
  }
  // Whatever window the run asks about, PubMed "has" the METRIC trial as new.
  eutils.setSearch('trametinib melanoma', ['22663011']);

  const first = await cli(['digest', 'run', '--now']);
  expect(first.out).toMatch(/Digest run: .*1 delivered/);
  const posts = slack.callsTo('chat.postMessage');
  expect(posts).toHaveLength(1);
  expect(JSON.stringify(posts[0])).toContain('C1');
  expect(JSON.stringify(posts[0])).toContain('22663011');

  const second = await cli(['digest', 'run', '--now']);
  expect(second.code).toBe(0);
  expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
});

it('explains its usage', async () => {
  expect((await cli(['digest', 'run', '--later'])).code).toBe(2);
});
