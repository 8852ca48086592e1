// Slack Web API failures while sharing, answered the way Slack answers them (ok:false codes, 429 with
// Retry-After, 5xx), and what the user is told privately; an expired response_url; a refused bot token.

import type { KnownBlock } from '../../../adapters/slack/kit';
import type { Logger } from '../../../src/core/logger';
import { allTexts, checkBlocks } from './block-checker';
import { startHarness, type Harness } from './harness';
import { paperCommand, slackFixtureJson } from './slack-requests';

const channelName = slackFixtureJson<{ slashCommandWithArgs: { channel_name: string } }>(
  'vercel_slash_command_and_view_submission.json',
).slashCommandWithArgs.channel_name;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
});

type Captured = {
  replace_original?: boolean;
  delete_original?: boolean;
  response_type?: string;
  blocks?: KnownBlock[];
};

async function share(): Promise<Captured> {
  const url = h.slack.responseUrl();
  expect((await h.poster.post(paperCommand('share 22663011', url))).status).toBe(200);
  return (await h.slack.waitFor(() => h.slack.responsesTo(url)[0])).body as Captured;
}

describe('sharing when Slack says no', () => {
  it.each(['not_in_channel', 'channel_not_found'])(
    '%s → a private "invite @paperbot first" answer',
    async (error) => {
      h.slack.fail('chat.postMessage', [{ error }]);
      const answer = await share();
      expect(answer.replace_original).toBe(true);
      expect(answer.response_type).toBe('ephemeral');
      expect(checkBlocks(answer.blocks)).toEqual([]);
      const text = allTexts(answer.blocks).join('\n');
      expect(text).toContain(`#${channelName}`);
      expect(text).toContain('/invite @paperbot');
      expect(text).not.toContain(error);
    },
  );

  it('is_archived → says the channel is archived', async () => {
    h.slack.fail('chat.postMessage', [{ error: 'is_archived' }]);
    expect(allTexts((await share()).blocks).join('\n')).toContain(`#${channelName} is archived`);
  });

  it('invalid_auth → a clear "reinstall" answer, no error code', async () => {
    h.slack.fail('chat.postMessage', [{ error: 'invalid_auth' }]);
    const text = allTexts((await share()).blocks).join('\n');
    expect(text).toMatch(/reinstall paperbot/);
    expect(text).not.toContain('invalid_auth');
  });

  it('429 with a short Retry-After is waited out and the card is posted once', async () => {
    h.slack.fail('chat.postMessage', [{ status: 429, retryAfter: 1 }]);
    const answer = await share();
    expect(answer).toEqual({ delete_original: true });
    const calls = h.slack.callsTo('chat.postMessage');
    expect(calls).toHaveLength(2);
    // Retry-After: 1 means one second between the refused and the accepted call.
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('429 with a long Retry-After goes back to the user with the wait', async () => {
    h.slack.fail('chat.postMessage', [{ status: 429, retryAfter: 120 }]);
    const text = allTexts((await share()).blocks).join('\n');
    expect(text).toContain('Slack is limiting how fast paperbot can post');
    expect(text).toContain('about 2 minutes');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('5xx from Slack is retried, then explained', async () => {
    h.slack.fail('chat.postMessage', [{ status: 500 }, { status: 503 }, { status: 502 }]);
    const text = allTexts((await share()).blocks).join('\n');
    expect(text).toContain('Slack could not be reached');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(3);
  });
});

describe('robustness', () => {
  it('an expired response_url (404) does not break the next request', async () => {
    h.eutils.setSearch('melanoma', ['22663011']);
    h.slack.responseStatus = 404;
    const dead = h.slack.responseUrl();
    expect((await h.poster.post(paperCommand('melanoma', dead))).status).toBe(200);
    await h.slack.waitFor(() => h.slack.responsesTo(dead)[0]);
    h.slack.responseStatus = 200;
    const live = h.slack.responseUrl();
    expect((await h.poster.post(paperCommand('melanoma', live))).status).toBe(200);
    const answer = (await h.slack.waitFor(() => h.slack.responsesTo(live)[0])).body as Captured;
    expect(allTexts(answer.blocks).join('\n')).toContain(
      'Improved survival with MEK inhibition in BRAF-mutated melanoma.',
    );
  });
});

describe('a bot token Slack refuses', () => {
  it('is logged clearly at start; private answers still work; shares explain', async () => {
    const errors: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (_o, msg) => void errors.push(msg ?? ''),
      child: () => logger,
    };
    const refused = await startHarness({ slack: { tokens: ['xoxb-some-other-token'] }, logger });
    try {
      expect(refused.slack.callsTo('auth.test')).toHaveLength(1);
      expect(errors.some((m) => m.includes('SLACK_BOT_TOKEN was refused by Slack'))).toBe(true);
      refused.eutils.setSearch('melanoma', ['22663011']);
      const url = refused.slack.responseUrl();
      expect((await refused.poster.post(paperCommand('melanoma', url))).status).toBe(200);
      const answer = (await refused.slack.waitFor(() => refused.slack.responsesTo(url)[0])).body as Captured;
      expect(allTexts(answer.blocks).join('\n')).toContain('Improved survival with MEK inhibition');
      const shareUrl = refused.slack.responseUrl();
      await refused.poster.post(paperCommand('share 22663011', shareUrl));
      const shared = (await refused.slack.waitFor(() => refused.slack.responsesTo(shareUrl)[0]))
        .body as Captured;
      expect(allTexts(shared.blocks).join('\n')).toMatch(/reinstall paperbot/);
    } finally {
      await refused.close();
    }
  });
});
