// A replica that already owes its limit of answers asks new requests to retry at once, instead of queueing
// them without bound; once the backlog clears it takes requests again. Commands are then refused before Bolt
// (shed.ts), which must verify them all the same. Slow fake NCBI, real HTTP throughout.

import type { KnownBlock } from '../../../adapters/slack/kit';
import { BUSY } from '../../../src/core/wording';
import { allTexts } from './block-checker';
import { startHarness, type Harness } from './harness';
import { blockActionBody, paperCommand, sign, SIGNING_SECRET } from './slack-requests';

const MAX_PENDING = 3;
let h: Harness;

beforeAll(async () => {
  // Each NCBI call takes 400 ms, so the first commands are still owed when the next ones arrive.
  h = await startHarness({ eutilsDelayMs: 400, app: { maxPendingReplies: MAX_PENDING } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
});

type Captured = { text?: string; blocks?: KnownBlock[]; response_type?: string; replace_original?: boolean };

async function command(text: string): Promise<{ ack: string; url: string }> {
  const url = h.slack.responseUrl();
  const posted = await h.poster.post(paperCommand(text, url));
  expect(posted.status).toBe(200);
  return { ack: (JSON.parse(posted.body) as { text: string }).text, url };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('refuses with a friendly ack beyond the limit, answers everything it took, then takes requests again', async () => {
  const taken = await Promise.all(['braf melanoma', 'pembrolizumab nsclc', 'liver metastases'].map(command));
  for (const { ack } of taken) expect(ack).toMatch(/^:mag: Searching PubMed for/);

  const refused = await command('nivolumab melanoma');
  expect(refused.ack).toContain(BUSY);

  // Every taken command is answered; the refused one gets nothing more than its ack.
  for (const { url } of taken) await h.slack.waitFor(() => h.slack.responsesTo(url)[0], 10_000);
  await settle(200);
  expect(h.slack.responsesTo(refused.url)).toEqual([]);

  const again = await command('braf melanoma');
  expect(again.ack).toMatch(/^:mag: Searching PubMed for/);
  await h.slack.waitFor(() => h.slack.responsesTo(again.url)[0], 10_000);
});

it('a button pressed while busy is told privately, and nothing is posted to the channel', async () => {
  // Queries not asked before, so none is answered from the cache before the button arrives.
  const taken = await Promise.all(['cabozantinib', 'lenvatinib', 'sorafenib'].map(command));
  const url = h.slack.responseUrl();
  const pressed = await h.poster.post(
    blockActionBody({ actionId: 'pb:share', blockId: 'x', value: 'share 22663011', responseUrl: url }),
  );
  expect(pressed.status).toBe(200);
  const answer = (await h.slack.waitFor(() => h.slack.responsesTo(url)[0], 10_000)).body as Captured;
  expect(answer.response_type).toBe('ephemeral');
  expect(allTexts(answer.blocks).join('\n')).toContain(BUSY);
  for (const { url: u } of taken) await h.slack.waitFor(() => h.slack.responsesTo(u)[0], 10_000);
  expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
});

it('while refusing, it still verifies every request: unsigned, mis-signed and stale commands get 401', async () => {
  const taken = await Promise.all(['imatinib gist', 'sunitinib gist', 'regorafenib gist'].map(command));
  expect((await command('ripretinib gist')).ack).toContain(BUSY);

  const url = h.slack.responseUrl();
  const body = paperCommand('nivolumab melanoma', url);
  expect((await h.poster.post(body, { signature: null })).status).toBe(401);
  expect((await h.poster.post(body, { secret: 'not-the-signing-secret' })).status).toBe(401);
  const stale = Math.floor(Date.now() / 1000) - 6 * 60;
  expect((await h.poster.post(body, { timestamp: stale })).status).toBe(401);
  const signed = await h.poster.post(body);
  expect(signed.status).toBe(200);
  expect(JSON.parse(signed.body)).toEqual({
    response_type: 'ephemeral',
    text: expect.stringContaining(BUSY),
  });
  // A refusal that forged its own signature header over another body is no refusal either.
  const other = paperCommand('pembrolizumab', url);
  const now = Math.floor(Date.now() / 1000);
  expect(
    (await h.poster.post(other, { signature: sign(SIGNING_SECRET, now, body), timestamp: now })).status,
  ).toBe(401);
  // Slack's reachability check and events still reach Bolt while commands are refused.
  expect((await h.poster.post('ssl_check=1&token=x')).status).toBe(200);

  for (const { url: u } of taken) await h.slack.waitFor(() => h.slack.responsesTo(u)[0], 10_000);
  await settle(200);
  expect(h.slack.responsesTo(url)).toEqual([]);
});
