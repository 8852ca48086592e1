// The Slack Deliverer: one chat.postMessage per digest with its idempotency key as metadata, refusals as port
// problems, the keys found again in conversations.history, and private notices in the app's Messages tab.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KnownBlock } from '../../../adapters/slack/kit';
import { createSlackDeliverer, DIGEST_METADATA_TYPE } from '../../../adapters/slack/deliverer';
import { slackTs } from '../../../adapters/slack/history';
import { createInstallationStore } from '../../../adapters/slack/installation-store';
import { systemClock } from '../../../src/core/clock';
import { digestCard, digestReply } from '../../../src/core/digest-cards';
import { silentLogger } from '../../../src/core/logger';
import { parseArticleSet } from '../../../src/pubmed/xml';
import { openStore } from '../../../src/store';

const deps = { clock: systemClock, logger: silentLogger };
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
    const durable = await openStore({ kind: 'sqlite', path: path.join(dir, 'i.sqlite') }, deps);
    const store = createInstallationStore(durable, silentLogger);
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
      await durable.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in OAuth mode, an installation store that cannot answer is a failure to retry, never a pause', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-slack-deliverer-'));
    const durable = await openStore({ kind: 'sqlite', path: path.join(dir, 'i.sqlite') }, deps);
    const store = createInstallationStore(durable, silentLogger);
    await durable.close(); // every read now fails
    try {
      const deliverer = createSlackDeliverer({
        clientOptions: { slackApiUrl: `${h.slack.apiUrl}/` },
        installationStore: store,
        logger: silentLogger,
      });
      expect(
        await deliverer.deliver(target, digest(1, articles.slice(0, 1)), { idempotencyKey: 'k' }),
      ).toMatchObject({ ok: false, problem: 'failed' });
      await expect(deliverer.recentKeys?.(target, 0)).rejects.toThrow();
      expect(h.slack.calls).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Slack deliverer: recent digest keys (crash reconciliation)', () => {
  const since = (): number => Date.now() - 60_000;

  it('lists the keys of its own digest posts since the time asked, from message metadata', async () => {
    const from = since();
    h.slack.addMessage(target.channel, { user: 'U0PERSON', text: 'before the digest' });
    for (const key of ['k-1', 'k-2'])
      await h.app.deliverer.deliver(target, digest(1, articles.slice(0, 1)), { idempotencyKey: key });
    h.slack.addMessage(target.channel, { user: 'U0PERSON', text: 'a reply' });
    h.slack.addMessage(target.channel, {
      bot_id: 'B0SOMEONEELSE',
      metadata: { event_type: DIGEST_METADATA_TYPE, event_payload: { key: 'k-3' } },
    });

    expect(await h.app.deliverer.recentKeys?.(target, from)).toEqual(['k-2', 'k-1']);
    const [call] = h.slack.callsTo('conversations.history');
    expect(call?.params).toMatchObject({
      channel: target.channel,
      oldest: slackTs(from),
      include_all_metadata: 'true',
    });
    // Only what is newer than `oldest` counts.
    expect(await h.app.deliverer.recentKeys?.(target, Date.now() + 60_000)).toEqual([]);
  });

  it('asks auth.test who it is once per token', async () => {
    await h.app.deliverer.recentKeys?.(target, since());
    await h.app.deliverer.recentKeys?.(target, since());
    expect(h.slack.callsTo('conversations.history')).toHaveLength(2);
    // The app's own start-up check may have asked before; the deliverer asks at most once more.
    expect(h.slack.callsTo('auth.test').length).toBeLessThanOrEqual(1);
  });

  it.each(['missing_scope', 'not_in_channel', 'channel_not_found', 'token_revoked'])(
    '%s → undefined: this channel cannot be checked (the runner posts again)',
    async (error) => {
      h.slack.fail('conversations.history', [{ error }]);
      expect(await h.app.deliverer.recentKeys?.(target, since())).toBeUndefined();
    },
  );

  it.each([
    [{ status: 429, retryAfter: 60 }, /rate-limit/i],
    [{ status: 503 }, /503|status/i],
    [{ error: 'internal_error' }, /internal_error/],
  ])('%j → throws: worth asking again later (the runner waits)', async (step, message) => {
    h.slack.fail('conversations.history', [step]);
    await expect(h.app.deliverer.recentKeys?.(target, since())).rejects.toThrow(message);
    expect(h.slack.callsTo('conversations.history')).toHaveLength(1);
  });

  it('stops after ten pages: a channel busier than that cannot be checked', async () => {
    h.slack.historyPageMax = 15;
    await h.app.deliverer.deliver(target, digest(1, articles.slice(0, 1)), { idempotencyKey: 'k-buried' });
    for (let i = 0; i < 160; i += 1) h.slack.addMessage(target.channel, { user: 'U0PERSON', text: `${i}` });
    expect(await h.app.deliverer.recentKeys?.(target, since())).toBeUndefined();
    expect(h.slack.callsTo('conversations.history')).toHaveLength(10);
  });
});

describe('Slack deliverer: private notices', () => {
  const notice = {
    cards: [{ type: 'error' as const, message: 'Your PubMed digest #7 is paused.', hint: 'Resume it.' }],
    visibility: 'private' as const,
  };

  it('posts to the user id (the app’s Messages tab), linking the channel it is about', async () => {
    const result = await h.app.deliverer.notifyUser?.({ team: target.team, id: 'U0CREATOR' }, notice, {
      about: target,
    });
    expect(result).toMatchObject({ ok: true });
    const [call] = h.slack.callsTo('chat.postMessage');
    expect(call?.params.channel).toBe('U0CREATOR');
    expect(call?.params.metadata).toBeUndefined();
    const text = allTexts(call?.params.blocks as KnownBlock[]).join('\n');
    expect(text).toContain('Your PubMed digest #7 is paused.');
    expect(text).toContain('Channel: <#C00FAKECHAN1>');
    expect(checkBlocks(call?.params.blocks as KnownBlock[])).toEqual([]);
    expect(h.slack.messagesIn('D0CREATOR')).toHaveLength(1);
  });

  it.each([
    ['messages_tab_disabled', 'forbidden'],
    ['user_not_found', 'not_found'],
  ])('%s → %s, without throwing', async (error, problem) => {
    h.slack.fail('chat.postMessage', [{ error }]);
    expect(await h.app.deliverer.notifyUser?.({ id: 'U0CREATOR' }, notice)).toMatchObject({
      ok: false,
      problem,
    });
  });
});
