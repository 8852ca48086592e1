// RateBudget implementations: a sliding-window log in process, and one shared through Redis by all replicas.
// It owns when a request may start; retries, 429 handling and deadlines belong to the services calling it.

import { createHash, randomUUID } from 'node:crypto';
import { SLEEP_NOT_NEEDED, type Clock } from '../core/clock';
import { PaperbotError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import type { Priority, RateBudget } from '../core/ports';
import { describeError } from '../cache/describe';
import { openRedisConnection, type RedisConnection } from '../cache/redis-client';
import { WaitQueue, type Waiter } from './wait-queue';

const WINDOW_MS = 1000;
/**
 * Each start holds its place in the window this much longer than a second: the request leaves a little after
 * acquire() resolves, by varying amounts, and the source counts arrivals, not our grants.
 */
const DEFAULT_MARGIN_MS = 10;
/**
 * The margin for budgets whose counter is the remote side (NCBI counts a request when it arrives, we count
 * when we grant it): a new TLS connection or a busy event loop can put a few hundred ms between the two.
 */
export const ARRIVAL_MARGIN_MS = 200;
/** Longest one Redis round trip may take before this acquisition falls back to the in-process budget. */
const DEFAULT_REDIS_TIMEOUT_MS = 500;

function closedError(): PaperbotError {
  return new PaperbotError('internal', 'rate budget closed', { retryable: false });
}

function checkPerSecond(perSecond: number): void {
  if (!Number.isInteger(perSecond) || perSecond < 1) {
    throw new PaperbotError('bad_input', `perSecond must be a whole number ≥ 1, got ${perSecond}`);
  }
}

/**
 * In-process budget: a log of start times; a caller may start when fewer than perSecond starts lie in the
 * last second (plus margin). One timer at a time wakes the queue when the oldest start leaves the window.
 */
export function createMemoryRateBudget(o: {
  perSecond: number;
  clock: Clock;
  marginMs?: number;
}): RateBudget {
  checkPerSecond(o.perSecond);
  const { perSecond, clock } = o;
  const windowMs = WINDOW_MS + (o.marginMs ?? DEFAULT_MARGIN_MS);
  const starts: number[] = [];
  let timer: AbortController | undefined;
  let closed = false;

  const pump = (): void => {
    if (closed) return;
    const now = clock.now();
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
    for (let head = queue.peek(); head && starts.length < perSecond; head = queue.peek()) {
      queue.remove(head);
      starts.push(now);
      head.resolve();
    }
    if (queue.size === 0 || timer) return;
    // At least 1 ms: timers may fire a hair early against the clock, and must not spin.
    const wait = Math.max(1, starts[0]! + windowMs - now);
    const wake = new AbortController();
    timer = wake;
    clock.sleep(wait, wake.signal).then(
      () => {
        timer = undefined;
        pump();
      },
      () => undefined,
    );
  };
  const queue = new WaitQueue(pump);

  return {
    perSecond,
    acquire: (options) => (closed ? Promise.reject(closedError()) : queue.add(options)),
    close: async () => {
      closed = true;
      timer?.abort(SLEEP_NOT_NEEDED);
      timer = undefined;
      queue.rejectAll(closedError());
    },
  };
}

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
   * Serves acquisitions while Redis is unreachable; an in-process budget at perSecond by default.
   * The Redis budget takes ownership: its close() closes the fallback too.
   */
  fallback?: RateBudget;
  marginMs?: number;
  /** Longest a Redis round trip may take before that acquisition uses the fallback. */
  timeoutMs?: number;
}

/**
 * Budget shared by all replicas through one Redis sorted set. Callers queue locally (interactive first) and
 * one loop asks Redis for each in turn; batch callers may hold at most perSecond-1 of the window so other
 * replicas' interactive callers always find room. Redis unreachable → the fallback, until it answers again.
 */
export async function createRedisRateBudget(o: RedisRateBudgetOptions): Promise<RateBudget> {
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
  let usingFallback = false;
  /** Set while the loop sleeps after a refusal for a batch caller; an interactive arrival cuts the sleep short. */
  let napping: { wake: AbortController; forBatch: boolean } | undefined;

  const limitFor = (priority: Priority): number =>
    priority === 'batch' && perSecond > 1 ? perSecond - 1 : perSecond;

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
    const stop = new AbortController();
    const timeout = clock.sleep(timeoutMs, stop.signal).then(
      () =>
        Promise.reject(
          new PaperbotError('timeout', `redis rate budget gave no answer within ${timeoutMs} ms`),
        ),
      () => undefined,
    );
    try {
      const pending = call();
      // If the timeout wins, a later rejection of the abandoned call must not surface as unhandled.
      pending.catch(() => undefined);
      const reply = await Promise.race([pending, timeout]);
      if (typeof reply !== 'number')
        throw new PaperbotError('bad_response', 'unexpected reply from rate budget script');
      return reply;
    } finally {
      stop.abort(SLEEP_NOT_NEEDED);
    }
  };

  const useFallback = (waiter: Waiter, err?: unknown): void => {
    if (!usingFallback) {
      usingFallback = true;
      logger.warn(
        { ...(err === undefined ? {} : { err: describeError(err) }) },
        'redis rate budget unavailable; using the in-process budget',
      );
    }
    fallback
      .acquire({ priority: waiter.priority, ...(waiter.signal ? { signal: waiter.signal } : {}) })
      .then(waiter.resolve, waiter.reject);
  };

  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (let head = queue.peek(); head && !closed; head = queue.peek()) {
        if (!connection.isReady()) {
          queue.remove(head);
          useFallback(head);
          continue;
        }
        const member = `${memberPrefix}:${(sequence += 1)}`;
        let wait: number;
        try {
          wait = await tryAcquire(head.priority, member);
        } catch (err) {
          if (queue.remove(head)) useFallback(head, err);
          continue;
        }
        if (usingFallback) {
          usingFallback = false;
          logger.info({}, 'redis rate budget reachable again');
        }
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

  return {
    perSecond,
    acquire: (options) => (closed ? Promise.reject(closedError()) : queue.add(options)),
    close: async () => {
      if (closed) return;
      closed = true;
      napping?.wake.abort();
      queue.rejectAll(closedError());
      await fallback.close();
      await connection.close();
    },
  };
}
