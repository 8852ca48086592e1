// NCBI misbehaving under a running `paperbot serve`: 429 storms, 30-second hangs, HTML error pages, truncated
// answers. Every /paper must still be answered within Slack's 3 s, from the stale cache or the local library,
// with a notice saying so; the process must stay up. One summary line per fault is printed.

import fs from 'node:fs';
import { STALE_NOTICE } from '../../src/core/wording';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/slack-requests';
import { startFakeEutils, type FailStep, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { tempDataDir } from '../support/graph';
import { startReplica, stopAll, type Replica } from '../support/replicas';
import {
  commandDriver,
  replyText,
  SLACK_DEADLINE_MS,
  summaryLine,
  type Sent,
} from '../support/slack-commands';
import { warmStaleCache } from '../support/stale-cache';
import { storeFileIn } from '../../src/store';

/** Searched two hours before the replica starts: stale (fresh for one hour) but kept for fallback. */
const STALE: Record<string, string[]> = {
  'braf melanoma adjuvant': ['22663011', '35830032'],
  'egfr lung cancer osimertinib': ['39337530', '35649368'],
  'hepatic metastases resection': ['24084238', '37167981'],
  'her2 breast cancer trastuzumab': ['31588070', '32051057'],
};
/** Never searched before: PubMed must fail, so the local library answers (or says it has nothing). */
const COLD = ['melanoma', 'lung cancer', 'liver metastases', 'cancer cells apoptosis'];
/** Records in the bundled library that no warm-up fetched. */
const SHOW = ['show 29658856', 'show 33856845'];

const FAULTS: { name: string; step: FailStep }[] = [
  { name: '429 storm', step: { status: 429 } },
  { name: '30 s hangs', step: { hangMs: 30_000 } },
  { name: 'HTML error pages', step: { html: true } },
  { name: 'truncated answers', step: { truncate: true } },
];

let eutils: FakeEutils;
let slack: FakeSlack;
let replica: Replica;
let dataDir: string;

function configureSearches(): void {
  for (const [query, pmids] of Object.entries(STALE)) eutils.setSearch(query, pmids);
}

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [BOT_TOKEN] });
  dataDir = tempDataDir();
  configureSearches();
  await warmStaleCache({
    store: { kind: 'sqlite', path: storeFileIn(dataDir) },
    eutilsUrl: eutils.url,
    queries: Object.keys(STALE),
    ageMs: 2 * 3_600_000,
  });
  replica = await startReplica({
    name: 'ncbi-faults',
    env: {
      NCBI_EUTILS_URL: eutils.url,
      NCBI_EMAIL: 'paperbot-tests@example.org',
      NCBI_TOOL: 'paperbot-tests',
      CTGOV_API_URL: 'http://127.0.0.1:9',
      PAPERBOT_DATA_DIR: dataDir,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'warn',
    },
  });
}, 60_000);

afterAll(async () => {
  await stopAll(replica ? [replica] : []);
  await slack?.close();
  await eutils?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe.each(FAULTS)('NCBI fault: $name', ({ name, step }) => {
  it('answers every command within 3 s from the stale cache or the library, with a notice', async () => {
    eutils.reset();
    configureSearches();
    // Every request in this phase fails the same way (more steps than the phase can use).
    eutils.fail(
      'any',
      Array.from({ length: 500 }, () => step),
    );
    const driver = commandDriver(slack);
    const texts = [...Object.keys(STALE), ...COLD, ...SHOW];
    const sent: Sent[] = await Promise.all(texts.map((text) => driver.send(text, replica)));
    await driver.close();
    console.log(summaryLine(`fault: NCBI ${name}`, sent));

    expect(eutils.requests.length).toBeGreaterThan(0); // the fault was met, not skipped
    for (const s of sent) {
      const body = replyText(s);
      expect({ text: s.text, ack: s.ackStatus, answered: s.reply !== undefined }).toEqual({
        text: s.text,
        ack: 200,
        answered: true,
      });
      expect(s.replyMs).toBeLessThanOrEqual(SLACK_DEADLINE_MS);
      expect(body).toContain(':information_source:');
      const stale = STALE[s.text];
      if (stale) {
        for (const pmid of stale) expect(body).toContain(pmid);
        expect(body).toContain(STALE_NOTICE);
      } else {
        expect(body).toMatch(/local library/);
      }
    }
    expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
    expect(replica.child.exitCode).toBeNull();
  }, 30_000);
});
