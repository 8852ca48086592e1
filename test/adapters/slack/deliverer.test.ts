// The Slack Deliverer for digests: one chat.postMessage per call carrying the idempotency key as message
// metadata, a digest that fits one message, and every Slack refusal mapped to the port's problem kinds.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KnownBlock } from '../../../adapters/slack/kit';
import { createSlackDeliverer, DIGEST_METADATA_TYPE } from '../../../adapters/slack/deliverer';
import {
  createInstallationStore,
  sqliteInstallationBackend,
} from '../../../adapters/slack/installation-store';
import { systemClock } from '../../../src/core/clock';
import { digestCard, digestReply } from '../../../src/core/digest-cards';
import { silentLogger } from '../../../src/core/logger';
import { parseArticleSet } from '../../../src/pubmed/xml';
import { allTexts, checkBlocks } from './block-checker';
import { startHarness, type Harness } from './harness';

const NCBI = path.join(__dirname, '..', '..', 'fixtures', 'ncbi');
const articles = parseArticleSet(
  fs.readFileSync(path.join(NCBI, 'efetch_pubmed_multi_93records_oncology_2019.xml'), 'utf8'),
).articles;
const target = { team: 'T00FAKE00BB', channel: 'C00FAKECHAN1' };

function digest(count: number, entries = articles.slice(0, 10)) {
  return digestReply(
    digestCard({
      subscriptionId: '7',
      query: 'immunotherapy liver metastases type:rct',
      window: { from: '2026/11/25', to: '2026/11/26' },
      count,
      articles: entries,
      searchUrl: 'https://pubmed.ncbi.nlm.nih.gov/?term=immunotherapy+liver+metastases',
      stale: false,
    }),
    'channel',
  );
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.slack.reset());

describe('Slack deliverer', () => {
  it('posts a ten-entry digest in one message, with its idempotency key as metadata', async () => {
    const result = await h.app.deliverer.deliver(target, digest(23), {
      idempotencyKey: 'digest-7-2026-11-26',
    });
    const calls = h.slack.callsTo('chat.postMessage');
    expect(calls).toHaveLength(1);
    expect(result).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+\.\d+$/) });
    const call = calls[0];
    expect(call?.params.channel).toBe('C00FAKECHAN1');
    expect(call?.params.metadata).toEqual({
      event_type: DIGEST_METADATA_TYPE,
      event_payload: { key: 'digest-7-2026-11-26' },
    });
    const blocks = call?.params.blocks as KnownBlock[];
    expect(checkBlocks(blocks)).toEqual([]);
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'PubMed digest: “immunotherapy liver metastases type:rct”' },
    });
    const text = allTexts(blocks).join('\n');
    expect(text).toContain('25–26 Nov 2026 · 23 new papers, newest first · digest #7');
    for (const a of articles.slice(0, 10))
      expect(text).toContain(`https://pubmed.ncbi.nlm.nih.gov/${a.pmid}/`);
    expect(text).toContain('See all 23 on PubMed');
    // Entries keep Abstract/Similar/Cite, never Share (the digest is already in the channel).
    const values = blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .map((e) => (e.type === 'button' ? e.value : ''));
    expect(values.some((v) => v?.startsWith('show '))).toBe(true);
    expect(values.some((v) => v?.startsWith('share '))).toBe(false);
  });

  it.each([
    [{ error: 'channel_not_found' }, 'not_found'],
    [{ error: 'not_in_channel' }, 'forbidden'],
    [{ error: 'is_archived' }, 'archived'],
    [{ error: 'invalid_auth' }, 'forbidden'],
    [{ status: 500 }, 'failed'],
  ])('%j → %s, after a single attempt', async (step, problem) => {
    h.slack.fail('chat.postMessage', [step]);
    const result = await h.app.deliverer.deliver(target, digest(3, articles.slice(0, 3)), {
      idempotencyKey: 'k',
    });
    expect(result).toMatchObject({ ok: false, problem });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('429 is reported with its Retry-After for the scheduler to honour', async () => {
    h.slack.fail('chat.postMessage', [{ status: 429, retryAfter: 30 }]);
    const result = await h.app.deliverer.deliver(target, digest(1, articles.slice(0, 1)), {
      idempotencyKey: 'k',
    });
    expect(result).toMatchObject({ ok: false, problem: 'rate_limited', retryAfterSeconds: 30 });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('in OAuth mode, a workspace without an installation is not_found and nothing is sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-slack-deliverer-'));
    const store = createInstallationStore(
      sqliteInstallationBackend(path.join(dir, 'i.sqlite'), systemClock),
      silentLogger,
    );
    try {
      const deliverer = createSlackDeliverer({
        clientOptions: { slackApiUrl: `${h.slack.apiUrl}/` },
        installationStore: store,
        logger: silentLogger,
      });
      expect(
        await deliverer.deliver(target, digest(1, articles.slice(0, 1)), { idempotencyKey: 'k' }),
      ).toMatchObject({ ok: false, problem: 'not_found' });
      expect(h.slack.calls).toEqual([]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
