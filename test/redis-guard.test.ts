// The suite's Redis guard: a test reaches only the redis-server the run started, never a developer's Redis on
// the default port, even when a URL pointing there is set in the shell.

import { isTestRedisUrl } from './support/redis-run';
import { redisAvailable, testRedisUrl } from './support/redis';

it('refuses the default port, other hosts and unreadable URLs', () => {
  for (const url of [
    'redis://127.0.0.1:6379',
    'redis://127.0.0.1:6379/3',
    'redis://localhost:6379',
    'redis://127.0.0.1',
    'redis://10.0.0.5:40123',
    'not a url',
  ])
    expect([url, isTestRedisUrl(url)]).toEqual([url, false]);
  expect(isTestRedisUrl('redis://127.0.0.1:40123')).toBe(true);
});

(redisAvailable ? it : it.skip)('the run’s own server passes it, on a port of its own', () => {
  const url = new URL(testRedisUrl());
  expect(url.hostname).toBe('127.0.0.1');
  expect(url.port).not.toBe('6379');
});

it("a developer's REDIS_URL does not reach the tests or the processes they start", () => {
  expect(process.env.REDIS_URL).toBeUndefined();
});
