// The rate budget shared by every replica through one Redis sorted set, and what it does while Redis is away:
// serve from this replica's own share (the fallback), say so (mode, onModeChange), and probe until Redis is back.

import { createHash, randomUUID } from 'node:crypto';
import { failAfter, SLEEP_NOT_NEEDED, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { Priority, RateBudget } from '../core/ports';
import { describeError } from '../cache/describe';
import { openRedisConnection, type RedisConnection } from '../cache/redis-client';
import {
  checkPerSecond,
  closedError,
  createMemoryRateBudget,
  DEFAULT_MARGIN_MS,
  WINDOW_MS,
  type BudgetMode,
} from './budget';
import { WaitQueue, type Waiter } from './wait-queue';

/** Longest one Redis round trip may take before the budget serves from the fallback. */
const DEFAULT_REDIS_TIMEOUT_MS = 500;
/** While Redis is away, how often one probe asks whether it is back (callers never wait for the probe). */
const DEFAULT_PROBE_MS = 1000;
/**
 * Round trips in a row that must fail or run late before Redis counts as away. One slow answer on a busy host
 * is not an outage: that caller alone is served from the fallback, and the next one asks Redis again.
 */
const FAILURES_BEFORE_AWAY = 3;

/**
 * KEYS[1] sorted set of recent starts (score = Redis server time in ms). ARGV: limit, window ms, member.
 * Returns 0 when a start was recorded, else the ms until enough entries leave the window for one more.
 * Redis's own TIME keeps replicas with skewed clocks on one timeline.
 */
const ACQUIRE_SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local blocking = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(blocking[2]) + window - now)
`;
const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE_SCRIPT).digest('hex');

export interface RedisRateBudgetOptions {
  url: string;
  /** The sorted set shared by every replica, e.g. "paperbot:v1:budget:ncbi". */
  key: string;
  perSecond: number;
  clock: Clock;
  logger?: Logger;
  /**
   * Serves acquisitions while Redis is unreachable: this replica's share of the budget (createServiceBudget
   * gives perSecond ÷ replicas), an in-process budget at perSecond by default. close() closes it too.
   */
  fallback?: RateBudget;
  marginMs?: number;
  /** Longest a Redis round trip may take before the budget turns to the fallback. */
  timeoutMs?: number;
  /** How often, while on the fallback, one probe asks Redis whether it is back. */
  probeMs?: number;
  onModeChange?: (mode: BudgetMode) => void;
}

/**
 * Budget shared by all replicas through one Redis sorted set. Callers queue locally (interactive first) and
 * one loop asks Redis for each in turn; batch callers may hold at most perSecond-1 of the window so other
 * replicas' interactive callers always find room. A lost connection, or a few failed or slow round trips in a
 * row, send every queued and later caller to the fallback at once (no caller waits on a Redis that is away),
 * until a probe gets an answer.
 */
export async function createRedisRateBudget(
  o: RedisRateBudgetOptions,
): Promise<RateBudget & { mode(): BudgetMode }> {
  checkPerSecond(o.perSecond);
  const { perSecond, clock, key } = o;
  const logger = (o.logger ?? silentLogger).child({ component: 'rate-budget', budget: key });
  const fallback =
    o.fallback ??
    createMemoryRateBudget({
      perSecond,
      clock,
      ...(o.marginMs === undefined ? {} : { marginMs: o.marginMs }),
    });
  const windowMs = WINDOW_MS + (o.marginMs ?? DEFAULT_MARGIN_MS);
  const timeoutMs = o.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const probeMs = o.probeMs ?? DEFAULT_PROBE_MS;
  const connection: RedisConnection = await openRedisConnection({
    url: o.url,
    logger,
    clock,
    connectTimeoutMs: timeoutMs,
    purpose: 'rate budget',
  });
  const memberPrefix = randomUUID();
  let sequence = 0;
  let closed = false;
  let running = false;
  /** Set while Redis is away: callers go to the fallback, and `probing` aborts the probe loop on close. */
  let probing: AbortController | undefined;
  let failuresInARow = 0;
  /** Set while the loop sleeps after a refusal for a batch caller; an interactive arrival cuts the sleep short. */
  let napping: { wake: AbortController; forBatch: boolean } | undefined;

  const limitFor = (priority: Priority): number =>
    priority === 'batch' && perSecond > 1 ? perSecond - 1 : perSecond;
  const slow = (what: string) => (): Error =>
    new PaperbotError('timeout', `redis rate budget: no answer to ${what} within ${timeoutMs} ms`);

  /** One script call, bounded by timeoutMs; resolves to 0 (granted) or the ms to wait. */
  const tryAcquire = async (priority: Priority, member: string): Promise<number> => {
    const args = { keys: [key], arguments: [String(limitFor(priority)), String(windowMs), member] };
    const call = async (): Promise<unknown> => {
      try {
        return await connection.client.evalSha(ACQUIRE_SHA, args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return connection.client.eval(ACQUIRE_SCRIPT, args);
      }
    };
    const reply = await failAfter(clock, timeoutMs, call(), slow('acquire'));
    if (typeof reply !== 'number')
      throw new PaperbotError('bad_response', 'unexpected reply from rate budget script');
    return reply;
  };

  const toFallback = (waiter: Waiter): void => {
    fallback
      .acquire({ priority: waiter.priority, ...(waiter.signal ? { signal: waiter.signal } : {}) })
      .then(waiter.resolve, waiter.reject);
  };

  /** Until a PING answers in time, every caller is served from the fallback; then the shared budget resumes. */
  const probe = async (stop: AbortController): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        await clock.sleep(probeMs, stop.signal);
        if (!connection.isReady()) continue;
        await failAfter(clock, timeoutMs, connection.client.ping(), slow('ping'));
      } catch {
        continue;
      }
      if (stop.signal.aborted) return;
      probing = undefined;
      failuresInARow = 0;
      logger.info({}, 'redis rate budget reachable again');
      o.onModeChange?.('shared');
      void pump();
      return;
    }
  };

  const degrade = (err?: unknown): void => {
    if (!probing) {
      logger.warn(
        { ...(err === undefined ? {} : { err: describeError(err) }) },
        "redis rate budget unavailable; using this replica's share in-process",
      );
      probing = new AbortController();
      void probe(probing);
      o.onModeChange?.('local share');
    }
    for (let head = queue.peek(); head; head = queue.peek()) {
      queue.remove(head);
      toFallback(head);
    }
  };

  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (let head = queue.peek(); head && !closed; head = queue.peek()) {
        if (probing || !connection.isReady()) {
          degrade();
          continue;
        }
        const member = `${memberPrefix}:${(sequence += 1)}`;
        let wait: number;
        try {
          wait = await tryAcquire(head.priority, member);
        } catch (err) {
          failuresInARow += 1;
          if (failuresInARow >= FAILURES_BEFORE_AWAY) degrade(err);
          else if (queue.remove(head)) toFallback(head);
          continue;
        }
        failuresInARow = 0;
        if (wait === 0) {
          if (queue.remove(head)) head.resolve();
          // Aborted while we asked: give the start back rather than waste a place in everyone's window.
          else void connection.client.zRem(key, member).catch(() => undefined);
          continue;
        }
        const wake = new AbortController();
        napping = { wake, forBatch: head.priority === 'batch' };
        await clock.sleep(wait, wake.signal).catch(() => undefined);
        napping = undefined;
      }
    } finally {
      running = false;
    }
  };

  const queue = new WaitQueue((waiter) => {
    // A batch refusal says nothing about interactive room (batch is held to perSecond-1): ask again now.
    if (waiter.priority !== 'batch' && napping?.forBatch) napping.wake.abort();
    void pump();
  });

  // Say so as soon as the connection drops (or never came up), not only when the next caller finds out.
  connection.client.on('error', () => {
    if (!closed) degrade();
  });
  if (!connection.isReady()) degrade();

  return {
    perSecond,
    mode: () => (probing ? 'local share' : 'shared'),
    acquire: (options) => (closed ? Promise.reject(closedError()) : queue.add(options)),
    close: async () => {
      if (closed) return;
      closed = true;
      napping?.wake.abort();
      probing?.abort(SLEEP_NOT_NEEDED);
      queue.rejectAll(closedError());
      await fallback.close();
      await connection.close();
    },
  };
}
