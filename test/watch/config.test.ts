// WATCH_SCHEDULE and WATCH_RETENTION: defaults, units, `off`, and one clear line for a bad value.

import { ConfigError, DEFAULT_WATCH_SCHEDULE, loadConfig } from '../../src/config';
import { nextWatchRun } from '../../src/watch';

const DAY = 24 * 3600_000;
const env = (extra: Record<string, string> = {}) => ({
  PAPERBOT_DATA_DIR: '/tmp/paperbot-watch-config',
  ...extra,
});

it('defaults to a daily run at 06:00 UTC and two years of retention', () => {
  expect(loadConfig(env()).watch).toEqual({ retentionMs: 730 * DAY, schedule: DEFAULT_WATCH_SCHEDULE });
  expect(
    new Date(nextWatchRun(DEFAULT_WATCH_SCHEDULE, Date.parse('2026-12-06T07:00:00Z'))).toISOString(),
  ).toBe('2026-12-07T06:00:00.000Z');
});

it.each([
  ['90', 90],
  ['90d', 90],
  ['104w', 728],
  ['2y', 730],
])('WATCH_RETENTION=%s is %i days', (value, days) => {
  expect(loadConfig(env({ WATCH_RETENTION: value })).watch?.retentionMs).toBe(days * DAY);
});

it('WATCH_SCHEDULE=off leaves the watcher to `paperbot watch run`', () => {
  expect(loadConfig(env({ WATCH_SCHEDULE: 'off' })).watch).toEqual({ retentionMs: 730 * DAY });
});

it.each([
  ['WATCH_SCHEDULE', 'every morning'],
  ['WATCH_RETENTION', 'two years'],
  ['WATCH_RETENTION', '0'],
])('%s=%s stops start-up naming the variable', (name, value) => {
  expect(() => loadConfig(env({ [name]: value }))).toThrow(ConfigError);
  try {
    loadConfig(env({ [name]: value }));
  } catch (error) {
    expect((error as ConfigError).variable).toBe(name);
  }
});

describe('PAPERBOT_PUBLIC_URL (Teams export links)', () => {
  it.each([
    ['https://paperbot.example.org', 'https://paperbot.example.org'],
    ['https://example.org/paperbot/', 'https://example.org/paperbot'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ])('%s is kept as %s', (value, kept) => {
    expect(loadConfig(env({ PAPERBOT_PUBLIC_URL: value })).publicUrl).toBe(kept);
  });

  it('is absent unless set', () => {
    expect(loadConfig(env()).publicUrl).toBeUndefined();
  });

  it.each([
    'http://paperbot.example.org',
    'paperbot.example.org',
    'ftp://example.org',
    'https://example.org/?x=1',
    'https://user:pw@example.org',
  ])('refuses %s', (value) => {
    expect(() => loadConfig(env({ PAPERBOT_PUBLIC_URL: value }))).toThrow(/PAPERBOT_PUBLIC_URL/);
  });
});
