// `paperbot watch run` and `paperbot list` wired end to end: a share recorded in the durable store as the
// Slack adapter records it, then the CLI telling its thread (through the real Slack deliverer to the fake
// Web API) and exporting the channel's reading list in each format.

import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { articleStatus } from '../../src/core/shares';
import { buildCore } from '../../src/main';
import { parseArticleSet } from '../../src/pubmed/xml';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { tempDataDir, testEnv } from '../support/graph';
import { articleVersions, ERRATUM_PMID } from './support';

const TOKEN = 'xoxb-cli-watch-token';
const CHANNEL = 'C0CLIWATCH';
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

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(argv, env, dataDir);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

it('tells the share thread once, then exports the reading list in every format', async () => {
  const versions = articleVersions(eutils.records.get(ERRATUM_PMID)?.xml ?? '');
  const before = parseArticleSet(`<PubmedArticleSet>${versions.before}</PubmedArticleSet>`).articles[0];
  if (!before) throw new Error('no record');
  // The post a share made, in the fake Slack; recorded as the Slack adapter records it.
  const ts = slack.addMessage(CHANNEL, { text: 'shared card', user: 'U0BOT', bot_id: 'B00FAKEBOT03' });
  const core = await buildCore(loadConfig(env), silentLogger);
  try {
    await core.watch.ledger.record({
      platform: 'slack',
      channel: CHANNEL,
      messageId: ts,
      item: { kind: 'article', id: ERRATUM_PMID },
      title:
        'Fatty acid oxidation protects cancer cells from apoptosis by increasing mitochondrial membrane lipids.',
      by: { id: 'U0SHARER', name: 'dr.lee' },
      at: Date.now(),
      status: articleStatus(before),
      facts: { evidence: before.evidence },
    });
  } finally {
    await core.close();
  }
  eutils.reviseRecord(ERRATUM_PMID, versions.retracted);

  const dry = await cli(['watch', 'run', '--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.out).toContain('would post');
  expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

  const first = await cli(['watch', 'run', '--now']);
  expect(first.out).toMatch(/Watch run: 1 watched, 0 not checkable now; 1 notified/);
  const second = await cli(['watch', 'run']);
  expect(second.out).toContain('skipped: a run finished less than an hour ago');
  await cli(['watch', 'run', '--now']);
  const replies = slack.messagesIn(CHANNEL).filter((m) => m.thread_ts === ts && m.ts !== ts);
  expect(replies).toHaveLength(1);
  expect(slack.callsTo('chat.update')).toHaveLength(1);

  const ris = await cli(['list', '--channel', CHANNEL, '--format', 'ris']);
  expect(ris.code).toBe(0);
  expect(ris.out).toMatch(/^TY {2}- JOUR/m);
  expect(ris.out).toContain('N1  - ');
  expect(ris.out).toMatch(/Retract/);
  const bib = await cli(['list', '--channel', CHANNEL, '--days', '7', '--format', 'bibtex']);
  expect(bib.out).toMatch(/note = \{.*Retract/s);
  const csv = await cli(['list', '--channel', CHANNEL, '--format', 'csv']);
  expect(csv.out.split('\r\n')[0]).toBe(
    'type,id,title,authors,journal,year,evidence,status,warnings,shared_at,shared_by,url',
  );
  expect(csv.out).toContain(`article,${ERRATUM_PMID},`);
  expect(csv.out).toContain('Retracted');
  const out = path.join(dataDir, 'handout.html');
  expect(
    (await cli(['list', '--channel', CHANNEL, '--since', '2020-01-01', '--format', 'html', '--out', out]))
      .code,
  ).toBe(0);
  const html = fs.readFileSync(out, 'utf8');
  expect(html).toContain('<span class="badge warn">RETRACTED</span>');
  expect(html).toContain(`PMID: ${ERRATUM_PMID}`);

  expect((await cli(['list', '--channel', 'C0NOTHING', '--format', 'csv'])).code).toBe(1);
  expect((await cli(['list', '--channel', CHANNEL, '--format', 'docx'])).code).toBe(2);
  expect((await cli(['watch', 'run', '--later'])).code).toBe(2);
});
