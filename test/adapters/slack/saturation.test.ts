// While the loop is saturated (admission.ts's rate spent), signed commands are refused before Bolt with the
// busy ack, whatever the backlog; buttons still reach Bolt, forged commands are still 401, and the refusals
// are logged once per interval with their count. Real HTTP; the admission is the one thing the test steers.

import { BUSY } from '../../../src/core/wording';
import { recordingLogger } from '../../support/recording-logger';
import { startHarness, type Harness } from './harness';
import { blockActionBody, paperCommand } from './slack-requests';

let h: Harness;
let saturated = false;
const logger = recordingLogger();

beforeAll(async () => {
  h = await startHarness({ logger, app: { admission: { take: () => !saturated } } });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  saturated = false;
  h.slack.reset();
});

const ackOf = async (text: string, url = h.slack.responseUrl()): Promise<string> => {
  const posted = await h.poster.post(paperCommand(text, url));
  expect(posted.status).toBe(200);
  return (JSON.parse(posted.body) as { text: string }).text;
};

it('refuses commands past the rate with the busy ack, and takes them again once the loop has room', async () => {
  saturated = true;
  const url = h.slack.responseUrl();
  expect(await ackOf('braf melanoma', url)).toContain(BUSY);
  expect(await ackOf('nivolumab melanoma')).toContain(BUSY);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(h.slack.responsesTo(url)).toEqual([]);
  const refusals = logger.lines.filter((l) => l.msg === 'slack: event loop saturated; asking users to retry');
  expect(refusals).toHaveLength(1); // the first at once, the rest counted into the next line

  saturated = false;
  const taken = h.slack.responseUrl();
  expect(await ackOf('braf melanoma', taken)).toMatch(/^:mag: Searching PubMed for/);
  await h.slack.waitFor(() => h.slack.responsesTo(taken)[0], 10_000);
});

it('still verifies what it refuses, and lets buttons through to Bolt', async () => {
  saturated = true;
  const body = paperCommand('pembrolizumab nsclc', h.slack.responseUrl());
  expect((await h.poster.post(body, { signature: null })).status).toBe(401);
  expect((await h.poster.post(body, { secret: 'not-the-signing-secret' })).status).toBe(401);
  const url = h.slack.responseUrl();
  const pressed = await h.poster.post(
    blockActionBody({ actionId: 'pb:abstract', blockId: 'x', value: 'show 22663011', responseUrl: url }),
  );
  expect(pressed.status).toBe(200);
  expect(await h.slack.waitFor(() => h.slack.responsesTo(url)[0], 10_000)).toBeDefined();
});
