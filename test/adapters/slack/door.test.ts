// The Slack door through the real HTTP server: signed bodies that are not objects get 400 and the process
// keeps serving; only finite, fresh timestamps pass; an exact replay is dropped on every replica sharing a store.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { timestampProblem } from '../../../adapters/slack/door';
import { redisClaims, sqliteClaims, type ClosableClaims } from '../../../adapters/slack/request-claims';
import { systemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { startOwnRedis, type OwnRedis } from '../../support/redis';
import { startHarness, type Harness } from './harness';
import { paperCommand, sign, SIGNING_SECRET, slackFixtureJson } from './slack-requests';

function mentionWithNullUser(): string {
  const mention = slackFixtureJson<{ mention: { event: Record<string, unknown> } }>(
    'vercel_app_mention_channel.json',
  ).mention;
  return JSON.stringify({ ...mention, event: { ...mention.event, user: null } });
}

describe('a signed body that is not an object', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.eutils.setSearch('still serving', ['22663011']);
  });
  afterAll(async () => h.close());

  it.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a JSON string', '"ssl_check"', 'application/json'],
    ['a JSON number', '1', 'application/json'],
    ['not JSON at all', '{', 'application/json'],
    ['form payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['form payload=[1]', 'payload=%5B1%5D', 'application/x-www-form-urlencoded'],
    ['form payload=true', 'payload=true', 'application/x-www-form-urlencoded'],
    // An object, but Bolt's routing reads event.user.id-like fields of it (found by test/fuzz/doors.test.ts).
    ['an event whose user is null', mentionWithNullUser(), 'application/json'],
  ])('answers 400 to %s and keeps serving', async (_name, body, contentType) => {
    expect((await h.poster.post(body, { json: contentType === 'application/json' })).status).toBe(400);
    const url = h.slack.responseUrl();
    expect((await h.poster.post(paperCommand('still serving', url))).status).toBe(200);
    expect((await h.slack.nextResponse(url)).body).toBeDefined();
  });
});

describe('the request timestamp', () => {
  it('accepts only digits within five minutes either way', () => {
    const now = 1_765_000_000_000;
    const s = now / 1000;
    expect(timestampProblem(String(s), now)).toBeUndefined();
    expect(timestampProblem(String(s - 300), now)).toBeUndefined();
    expect(timestampProblem(String(s + 300), now)).toBeUndefined();
    for (const raw of [
      'Infinity',
      '-Infinity',
      'NaN',
      '1e9',
      ' 1765000000',
      '1765000000.5',
      '0x10',
      '',
      '-1',
    ])
      expect(timestampProblem(raw, now)).toBe('timestamp is not an integer');
    expect(timestampProblem(String(s - 301), now)).toBe('timestamp is stale');
    expect(timestampProblem(String(s + 301), now)).toBe('timestamp is stale');
    expect(timestampProblem('999999999999', now)).toBe('timestamp is stale');
  });

  it('refuses a request correctly signed with Infinity, through the server', async () => {
    const h = await startHarness();
    try {
      h.eutils.setSearch('forever', ['22663011']);
      const url = h.slack.responseUrl();
      const body = paperCommand('forever', url);
      const posted = await h.poster.post(body, { timestamp: Infinity });
      expect(posted.status).toBe(401);
      expect(sign(SIGNING_SECRET, Infinity, body)).toMatch(/^v0=/);
      // The same command signed now goes through, and the Infinity one never answered.
      const fresh = h.slack.responseUrl();
      expect((await h.poster.post(paperCommand('forever', fresh))).status).toBe(200);
      await h.slack.nextResponse(fresh);
      expect(h.slack.responsesTo(url)).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

/** Two replicas (servers) sharing one claims backend; the same signed command to each in turn. */
async function expectReplayDropped(a: Harness, b: Harness): Promise<void> {
  a.eutils.setSearch('replayed query', ['22663011']);
  b.eutils.setSearch('replayed query', ['22663011']);
  b.eutils.setSearch('after the replay', ['29768149']);
  const url = a.slack.responseUrl();
  const body = paperCommand('replayed query', url);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = sign(SIGNING_SECRET, timestamp, body);
  expect((await a.poster.post(body, { timestamp, signature })).status).toBe(200);
  await a.slack.nextResponse(url);
  // Slack counts any non-2xx as a failure to retry or show; the replay is acknowledged empty and dropped.
  for (const replica of [b, a]) {
    const replay = await replica.poster.post(body, { timestamp, signature });
    expect(replay).toMatchObject({ status: 200, body: '' });
  }
  // A later command on the second replica is answered; by then a replay it had taken would have answered too.
  const later = b.slack.responseUrl();
  expect((await b.poster.post(paperCommand('after the replay', later))).status).toBe(200);
  await b.slack.nextResponse(later);
  expect(a.slack.responsesTo(url)).toHaveLength(1);
}

describe('an exact replay', () => {
  it('is dropped by every replica sharing the SQLite claims file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-claims-'));
    const file = path.join(dir, 'slack-requests.sqlite');
    const claims: ClosableClaims[] = [sqliteClaims(file, systemClock), sqliteClaims(file, systemClock)];
    const a = await startHarness({ app: { requestClaims: claims[0] } });
    const b = await startHarness({ app: { requestClaims: claims[1] } });
    try {
      await expectReplayDropped(a, b);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(claims.map((c) => c.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is dropped by every replica sharing Redis', async () => {
    let redis: OwnRedis;
    try {
      redis = await startOwnRedis();
    } catch {
      console.warn('redis-server is not installed: the Redis replay test is skipped');
      return;
    }
    const open = (): Promise<ClosableClaims> =>
      redisClaims({ url: redis.url, logger: silentLogger, clock: systemClock });
    const claims = [await open(), await open()];
    const a = await startHarness({ app: { requestClaims: claims[0] } });
    const b = await startHarness({ app: { requestClaims: claims[1] } });
    try {
      await expectReplayDropped(a, b);
      // Claims expire with their window.
      expect(await claims[0]!.claim('short', 50)).toBe(true);
      expect(await claims[1]!.claim('short', 50)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await claims[1]!.claim('short', 50)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(claims.map((c) => c.close()));
      await redis.close();
    }
  });
});
