// The "Add to Slack" flow over real HTTP: install page with a state cookie, the OAuth callback exchanging
// the code at the fake Slack, the installation kept in durable state, and its token used for the next share.

import { Agent, request } from 'undici';
import { createInstallationStore } from '../../../adapters/slack/installation-store';
import { openStore, storeFileIn } from '../../../src/store';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { FAKE_TEAM } from '../../peers/slack';
import { startHarness, type Harness } from './harness';
import { paperCommand, slackFixtureJson } from './slack-requests';

const CLIENT_ID = '1234567890.9876543210';
const INSTALLED_TOKEN = 'xoxb-installed-workspace-token';
const recordedTeam = slackFixtureJson<{ slashCommandWithArgs: { team_id: string } }>(
  'vercel_slash_command_and_view_submission.json',
).slashCommandWithArgs.team_id;

let h: Harness;
const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });

beforeAll(async () => {
  h = await startHarness({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: 'f00dfeedf00dfeedf00dfeedf00dfeed',
      SLACK_STATE_SECRET: 'a-state-secret-only-tests-know',
    },
    slack: {
      tokens: [INSTALLED_TOKEN],
      install: { teamId: recordedTeam, botToken: INSTALLED_TOKEN, botUserId: 'U00FAKEBOT03' },
    },
  });
});
afterAll(async () => {
  await h.close();
  await agent.close();
});

async function get(
  path: string,
  cookie?: string,
): Promise<{ status: number; body: string; setCookie: string }> {
  const res = await request(`${h.url}${path}`, { headers: cookie ? { cookie } : {}, dispatcher: agent });
  const setCookie = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: await res.body.text(),
    setCookie: Array.isArray(setCookie) ? setCookie.join('; ') : (setCookie ?? ''),
  };
}

describe('OAuth install', () => {
  it('runs in OAuth mode, not token mode', () => {
    expect(h.app.auth).toBe('oauth');
    expect(recordedTeam).toBe(FAKE_TEAM.id);
  });

  it('refuses a callback whose state is not from this browser', async () => {
    const res = await get('/slack/oauth_redirect?code=stolen-code&state=forged');
    expect(res.status).not.toBe(200);
    expect(h.slack.callsTo('oauth.v2.access')).toEqual([]);
  });

  it('install page → Slack → callback stores the installation; its token is used afterwards', async () => {
    const page = await get('/slack/install');
    expect(page.status).toBe(200);
    const href = /<a href="([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const authorize = new URL(href);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual([
      'commands',
      'chat:write',
      'chat:write.public',
      'links:read',
      'links:write',
      // `map` uploads its chart privately (adapters/slack/chart-upload.ts).
      'files:write',
      // Read back only to find paperbot's own digest posts after a crash (adapters/slack/history.ts).
      'channels:history',
      'groups:history',
      // Reading-list exports arrive as a file in the channel (files.uploadV2).
      'files:write',
    ]);
    const state = authorize.searchParams.get('state') ?? '';
    const cookie = /slack-app-oauth-state=([^;]+)/.exec(page.setCookie)?.[1];
    expect(cookie).toBe(state);

    const callback = await get(
      `/slack/oauth_redirect?code=granted-code&state=${encodeURIComponent(state)}`,
      `slack-app-oauth-state=${cookie}`,
    );
    expect(callback.status).toBe(200);
    const exchange = h.slack.callsTo('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.params.code).toBe('granted-code');
    expect(exchange[0]?.params.client_id).toBe(CLIENT_ID);

    // Durable: a store opened afresh on the same data directory finds it.
    const durable = await openStore(
      { kind: 'sqlite', path: storeFileIn(h.graph.config.dataDir) },
      { clock: systemClock, logger: silentLogger },
    );
    const store = createInstallationStore(durable, silentLogger);
    try {
      const saved = await store.fetchInstallation({
        teamId: recordedTeam,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      expect(saved.bot?.token).toBe(INSTALLED_TOKEN);
      expect(store.kind).toBe('sqlite');
    } finally {
      await durable.close();
    }

    const url = h.slack.responseUrl();
    expect((await h.poster.post(paperCommand('share 22663011', url))).status).toBe(200);
    const post = await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage')[0]);
    expect(post.token).toBe(INSTALLED_TOKEN);
  });
});
