// manifest.yml is what a person pastes into "Create app from manifest": it must parse, and it must name
// every command, event, scope, unfurl domain and endpoint the code handles (and nothing the code ignores).

import fs from 'node:fs';
import path from 'node:path';
import { BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH, SLACK_EVENTS } from '../../../adapters/slack/app';
import { HISTORY_SCOPES } from '../../../adapters/slack/deliverer';
import { SLASH_COMMAND } from '../../../adapters/slack/handlers';
import { UNFURL_DOMAINS } from '../../../adapters/slack/unfurl';
import { parseYamlSubset, type YamlValue } from './yaml-subset';

const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'manifest.yml'), 'utf8');
type Obj = { [key: string]: YamlValue };

function at(value: YamlValue, ...keys: string[]): YamlValue {
  let v = value;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !(k in v))
      throw new Error(`manifest has no ${keys.join('.')}`);
    v = (v as Obj)[k] as YamlValue;
  }
  return v;
}

describe('manifest.yml', () => {
  const manifest = parseYamlSubset(source);

  it('the subset parser is strict', () => {
    expect(() => parseYamlSubset('a: [1, 2]')).toThrow(/unsupported/);
    expect(parseYamlSubset("a: 'it''s # not a comment'")).toEqual({ a: "it's # not a comment" });
    expect(() => parseYamlSubset('a:\n\tb: 1')).toThrow(/tab/);
    expect(parseYamlSubset('a:\n  - b: "x # y"\n    c: true\n  - 3 # n')).toEqual({
      a: [{ b: 'x # y', c: true }, 3],
    });
  });

  it('declares /paper with a usage hint, pointing at the events endpoint', () => {
    const commands = at(manifest, 'features', 'slash_commands') as Obj[];
    expect(commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    const paper = commands[0] as Obj;
    expect(String(paper.usage_hint).length).toBeGreaterThan(10);
    expect(String(paper.description).length).toBeLessThanOrEqual(2000);
    expect(String(paper.url)).toMatch(new RegExp(`^https://[^/]+${EVENTS_PATH}$`));
    expect(paper.should_escape).toBe(false);
  });

  it('subscribes to exactly the events the app listens to', () => {
    expect([...(at(manifest, 'settings', 'event_subscriptions', 'bot_events') as string[])].sort()).toEqual(
      [...SLACK_EVENTS].sort(),
    );
    expect(String(at(manifest, 'settings', 'event_subscriptions', 'request_url'))).toMatch(
      new RegExp(`${EVENTS_PATH}$`),
    );
  });

  it('enables interactivity (buttons) on the same endpoint and the Home tab', () => {
    expect(at(manifest, 'settings', 'interactivity', 'is_enabled')).toBe(true);
    expect(String(at(manifest, 'settings', 'interactivity', 'request_url'))).toMatch(
      new RegExp(`${EVENTS_PATH}$`),
    );
    expect(at(manifest, 'features', 'app_home', 'home_tab_enabled')).toBe(true);
  });

  it('asks for the history scopes digest crash reconciliation reads with, at install too', () => {
    const scopes = at(manifest, 'oauth_config', 'scopes', 'bot') as string[];
    for (const scope of HISTORY_SCOPES) {
      expect(scopes).toContain(scope);
      expect(BOT_SCOPES).toContain(scope);
    }
  });

  it('enables a read-only Messages tab, where paused digests are reported to their creators', () => {
    expect(at(manifest, 'features', 'app_home', 'messages_tab_enabled')).toBe(true);
    expect(at(manifest, 'features', 'app_home', 'messages_tab_read_only_enabled')).toBe(true);
  });

  it('asks for exactly the bot scopes the install flow requests', () => {
    expect(at(manifest, 'oauth_config', 'scopes', 'bot')).toEqual(BOT_SCOPES);
    expect(String((at(manifest, 'oauth_config', 'redirect_urls') as string[])[0])).toMatch(
      new RegExp(`${REDIRECT_PATH}$`),
    );
  });

  it('registers the unfurl domains the app unfurls (Slack allows at most 5)', () => {
    expect(at(manifest, 'features', 'unfurl_domains')).toEqual(UNFURL_DOMAINS);
    expect(UNFURL_DOMAINS.length).toBeLessThanOrEqual(5);
  });

  it('ships in HTTP mode and explains how to switch to Socket Mode', () => {
    expect(at(manifest, 'settings', 'socket_mode_enabled')).toBe(false);
    const comments = source
      .split('\n')
      .filter((l) => l.trimStart().startsWith('#'))
      .join('\n');
    expect(comments).toContain('socket_mode_enabled: true');
    expect(comments).toContain('SLACK_APP_TOKEN');
    expect(comments).toContain('connections:write');
  });

  it('keeps Slack’s length limits on names', () => {
    expect(String(at(manifest, 'display_information', 'name')).length).toBeLessThanOrEqual(35);
    expect(String(at(manifest, 'display_information', 'description')).length).toBeLessThanOrEqual(140);
    expect(String(at(manifest, 'features', 'bot_user', 'display_name')).length).toBeLessThanOrEqual(80);
  });
});
