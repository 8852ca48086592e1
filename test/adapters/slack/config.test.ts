// The Slack variables in src/config.ts: the section appears only when Slack is configured, and every
// bad value or bad combination stops start-up with one line naming the variable.

import { ConfigError, loadConfig } from '../../../src/config';

const base = { PAPERBOT_DATA_DIR: '/tmp/paperbot-config-test' };
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const bot = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const oauth = {
  SLACK_CLIENT_ID: '1234567890.9876543210',
  SLACK_CLIENT_SECRET: 'f00dfeedf00dfeedf00dfeedf00dfeed',
  SLACK_STATE_SECRET: 'a-state-secret-only-tests-know',
};

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Slack configuration', () => {
  it('is absent when nothing Slack is set', () => {
    expect(loadConfig(base).slack).toBeUndefined();
  });

  it('token mode over HTTP, with the default Web API', () => {
    expect(loadConfig({ ...base, SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: bot }).slack).toEqual({
      signingSecret: secret,
      botToken: bot,
      apiUrl: 'https://slack.com/api',
    });
  });

  it('Socket Mode needs no signing secret; SLACK_API_URL loses its trailing slash', () => {
    expect(
      loadConfig({
        ...base,
        SLACK_BOT_TOKEN: bot,
        SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1234-abcdef',
        SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      }).slack,
    ).toEqual({ botToken: bot, appToken: 'xapp-1-A0FAKE-1234-abcdef', apiUrl: 'http://127.0.0.1:9999/api' });
  });

  it('OAuth mode', () => {
    expect(loadConfig({ ...base, SLACK_SIGNING_SECRET: secret, ...oauth }).slack?.oauth).toEqual({
      clientId: oauth.SLACK_CLIENT_ID,
      clientSecret: oauth.SLACK_CLIENT_SECRET,
      stateSecret: oauth.SLACK_STATE_SECRET,
    });
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN'],
    [
      { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: 'xoxb-wrong-kind' },
      'SLACK_APP_TOKEN',
    ],
    [{ SLACK_SIGNING_SECRET: 'short', SLACK_BOT_TOKEN: bot }, 'SLACK_SIGNING_SECRET'],
    [
      { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: bot, SLACK_API_URL: 'ftp://slack.example' },
      'SLACK_API_URL',
    ],
    [{ SLACK_BOT_TOKEN: bot }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_SIGNING_SECRET: secret }, 'SLACK_BOT_TOKEN'],
    [
      {
        SLACK_SIGNING_SECRET: secret,
        SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID,
        SLACK_CLIENT_SECRET: oauth.SLACK_CLIENT_SECRET,
      },
      'SLACK_STATE_SECRET',
    ],
    [{ SLACK_SIGNING_SECRET: secret, ...oauth, SLACK_CLIENT_ID: 'not-an-id' }, 'SLACK_CLIENT_ID'],
    [{ SLACK_SIGNING_SECRET: secret, ...oauth, SLACK_BOT_TOKEN: bot }, 'SLACK_BOT_TOKEN'],
  ])('%j → one line naming %s', (env, variable) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
    // Never echo a secret back.
    for (const value of Object.values(env)) if (value.length > 12) expect(error.message).not.toContain(value);
  });
});
