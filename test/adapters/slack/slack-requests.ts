// Signed Slack requests built from the recorded payloads in test/fixtures/slack, as Slack sends them:
// v0 signatures (HMAC-SHA256 of "v0:<ts>:<raw body>"), form-encoded commands and actions, JSON events.

import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

const SLACK_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'slack');

export function readSlackFixture(name: string): string {
  // Some recorded files start with a UTF-8 byte order mark.
  return fs.readFileSync(path.join(SLACK_FIXTURES, name), 'utf8').replace(/^\uFEFF/, '');
}

export function slackFixtureJson<T>(name: string): T {
  return JSON.parse(readSlackFixture(name)) as T;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type RecordedCommand = Record<string, string>;

const RECORDED_COMMAND: Readonly<RecordedCommand> = Object.freeze(
  slackFixtureJson<{ slashCommandWithArgs: RecordedCommand }>('vercel_slash_command_and_view_submission.json')
    .slashCommandWithArgs,
);

/** The recorded /test-feedback command (vercel/chat fixture) turned into our /paper with `text`. */
export function paperCommand(
  text: string,
  responseUrl: string,
  overrides: Record<string, string> = {},
): string {
  return new URLSearchParams({
    ...RECORDED_COMMAND,
    command: '/paper',
    text,
    response_url: responseUrl,
    ...overrides,
  }).toString();
}

export interface ButtonPress {
  actionId: string;
  blockId: string;
  /** A button's value; for menus, the chosen option's. */
  value: string;
  kind?: 'button' | 'static_select';
  responseUrl: string;
  ephemeral?: boolean;
  user?: string;
}

/** The recorded block_actions payload (vercel/chat fixture) pressing one of our elements. */
export function blockActionBody(press: ButtonPress): string {
  const recorded = slackFixtureJson<{
    action: Record<string, unknown> & { container: object; user: object };
  }>('vercel_block_actions_button_select_radio_reaction.json').action;
  const element =
    press.kind === 'static_select'
      ? {
          type: 'static_select',
          action_id: press.actionId,
          block_id: press.blockId,
          selected_option: { text: { type: 'plain_text', text: 'x', emoji: true }, value: press.value },
          placeholder: { type: 'plain_text', text: 'Cite…', emoji: true },
          action_ts: '1767326130.289415',
        }
      : {
          type: 'button',
          action_id: press.actionId,
          block_id: press.blockId,
          text: { type: 'plain_text', text: 'x', emoji: true },
          value: press.value,
          action_ts: '1767326130.289415',
        };
  const payload = {
    ...recorded,
    ...(press.user ? { user: { ...recorded.user, id: press.user } } : {}),
    container: { ...recorded.container, is_ephemeral: press.ephemeral ?? true },
    actions: [element],
    response_url: press.responseUrl,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface Posted {
  status: number;
  body: string;
  /** Milliseconds until the response headers arrived (the ack). */
  ms: number;
}

export interface SlackPoster {
  post(
    body: string,
    o?: { json?: boolean; secret?: string; timestamp?: number; signature?: string | null },
  ): Promise<Posted>;
  close(): Promise<void>;
}

/**
 * POSTs to <base>/slack/events signed like Slack (or not, when told). Tests keep idle connections for
 * 10 ms so nothing is left open; the benchmark keeps them like a real client would.
 */
export function slackPoster(baseUrl: string, o: { keepAliveMs?: number } = {}): SlackPoster {
  const keepAlive = o.keepAliveMs ?? 10;
  const agent = new Agent({ keepAliveTimeout: keepAlive, keepAliveMaxTimeout: keepAlive, connections: 64 });
  return {
    async post(body, o = {}) {
      const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': o.json ? 'application/json' : 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      };
      const signature =
        o.signature === undefined ? sign(o.secret ?? SIGNING_SECRET, timestamp, body) : o.signature;
      if (signature !== null) headers['x-slack-signature'] = signature;
      const started = performance.now();
      const res = await request(`${baseUrl}/slack/events`, {
        method: 'POST',
        body,
        headers,
        dispatcher: agent,
      });
      const ms = performance.now() - started;
      return { status: res.statusCode, body: await res.body.text(), ms };
    },
    close: () => agent.close(),
  };
}
