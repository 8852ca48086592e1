// A digest run through the real Slack Deliverer against the fake Slack Web API: a 429 with Retry-After is
// waited out and the digest posted once, carrying its idempotency key as message metadata.

import { createSlackDeliverer, DIGEST_METADATA_TYPE } from '../../adapters/slack/deliverer';
import { silentLogger } from '../../src/core/logger';
import { runDueDigests } from '../../src/digest/run';
import { startFakeEutils, type FakeEutils } from '../peers/eutils';
import { startFakeSlack, type FakeSlack } from '../peers/slack';
import { sqliteStore, startPubmed, subscriptionDefinition, wallClock, type TestPubmed } from './support';

const TOKEN = 'xoxb-digest-test-token';

let eutils: FakeEutils;
let slack: FakeSlack;
let pubmed: TestPubmed;

beforeAll(async () => {
  eutils = await startFakeEutils();
  slack = await startFakeSlack({ tokens: [TOKEN] });
  pubmed = await startPubmed(eutils.url);
});
afterAll(async () => {
  await pubmed.close();
  await slack.close();
  await eutils.close();
});

it('Slack 429 with Retry-After → the digest is posted after the wait, once', async () => {
  const clock = wallClock('2017-04-19T11:30:00Z');
  const t = await sqliteStore(clock);
  try {
    const sub = await t.store.create(
      subscriptionDefinition({ place: { platform: 'slack', team: 'T00FAKE00BB', channel: 'C00FAKECHAN1' } }),
    );
    slack.fail('chat.postMessage', [{ status: 429, retryAfter: 30 }]);
    const deliverer = createSlackDeliverer({
      clientOptions: { slackApiUrl: `${slack.apiUrl}/` },
      botToken: TOKEN,
      logger: silentLogger,
    });
    const report = await runDueDigests({
      store: t.store,
      pubmed: pubmed.service,
      deliverers: { slack: deliverer },
      clock,
      logger: silentLogger,
    });

    expect(report.outcomes).toEqual([
      {
        subscriptionId: sub.id,
        slot: Date.parse('2017-04-19T11:30:00Z'),
        status: 'delivered',
        count: 2,
        messageId: expect.any(String),
      },
    ]);
    const calls = slack.callsTo('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(clock.slept).toContain(30_000);
    expect(calls[1]?.params.metadata).toEqual({
      event_type: DIGEST_METADATA_TYPE,
      event_payload: { key: `paperbot-digest:${sub.id}:2017-04-19T11:30:00.000Z` },
    });
    // The recorded Entrez dates put 28415597 and 28412963 in the window; both are linked in the post.
    const blocks = JSON.stringify(calls[1]?.params.blocks);
    expect(blocks).toContain('https://pubmed.ncbi.nlm.nih.gov/28415597/');
    expect(blocks).toContain('https://pubmed.ncbi.nlm.nih.gov/28412963/');
    expect(await t.store.get(sub.id)).toMatchObject({ lastResult: { status: 'delivered', count: 2 } });
  } finally {
    await t.close();
  }
});
