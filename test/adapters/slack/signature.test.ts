// Proof that only Slack gets through: forged signatures, stale timestamps and unsigned bodies get 401 and
// reach no handler (no lookup, no Slack call, no response_url answer); Slack's URL check is answered.

import { startHarness, type Harness } from './harness';
import {
  blockActionBody,
  paperCommand,
  readSlackFixture,
  sign,
  SIGNING_SECRET,
  slackFixtureJson,
} from './slack-requests';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.eutils.setSearch('genuine query', ['22663011']);
  h.eutils.setSearch('forged query', ['29768149']);
});
afterAll(async () => {
  await h.close();
});

describe('request signatures', () => {
  it('answers the recorded url_verification challenge when signed', async () => {
    const body = readSlackFixture('url_verification.json');
    const challenge = slackFixtureJson<{ challenge: string }>('url_verification.json').challenge;
    const posted = await h.poster.post(body, { json: true });
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.body)).toEqual({ challenge });
    expect((await h.poster.post(body, { json: true, signature: null })).status).toBe(401);
  });

  it('rejects forged, stale, missing and mismatched signatures with 401 before any handler runs', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forgedUrls: string[] = [];
    const forged = (): string => {
      const url = h.slack.responseUrl();
      forgedUrls.push(url);
      return paperCommand('forged query', url);
    };
    const attempts = [
      // Signed with another secret.
      h.poster.post(forged(), { secret: 'someoneelsessecret0000000000000' }),
      // Correctly signed, but the timestamp is 5 minutes and 1 second old (a replay).
      h.poster.post(forged(), { timestamp: now - 301 }),
      // Correctly signed, from the future.
      h.poster.post(forged(), { timestamp: now + 301 }),
      // No signature at all.
      h.poster.post(forged(), { signature: null }),
      // A signature over a different body (the text was changed in transit).
      (() => {
        const body = forged();
        return h.poster.post(body, {
          signature: sign(SIGNING_SECRET, now, body.replace('forged', 'tampered')),
        });
      })(),
      // Not even "v0=" hex.
      h.poster.post(forged(), { signature: 'v0=nothex' }),
      // A recorded interaction body (botbuilder fixture), signed with the wrong secret.
      h.poster.post(readSlackFixture('block_actions_form_payload_state.txt'), {
        secret: 'wrongwrongwrongwrongwrongwrong00',
      }),
      // One of our own buttons, forged.
      h.poster.post(
        blockActionBody({
          actionId: 'pb:share',
          blockId: 'm.0.a',
          value: 'share 29768149',
          responseUrl: h.slack.responseUrl(),
        }),
        { secret: 'wrongwrongwrongwrongwrongwrong00' },
      ),
    ];
    for (const posted of await Promise.all(attempts)) expect(posted.status).toBe(401);

    // A genuine request afterwards is served, so anything the forged ones had started would be visible by now.
    const genuine = h.slack.responseUrl();
    expect((await h.poster.post(paperCommand('genuine query', genuine))).status).toBe(200);
    await h.slack.waitFor(() => h.slack.responsesTo(genuine)[0]);

    for (const url of forgedUrls) expect(h.slack.responsesTo(url)).toEqual([]);
    expect(h.slack.responses).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    const terms = h.eutils.requests.map((r) => r.params.term).filter(Boolean);
    expect(terms).toEqual(['genuine query']);
  });
});
