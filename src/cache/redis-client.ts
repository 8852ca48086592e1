// One Redis connection that fails fast while Redis is away and reconnects by itself when it is back.
// Shared by the Redis cache store and the Redis rate budget; what to do on failure is theirs to decide.

import type { createClient } from 'redis';
import { systemClock, type Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/logger';
import { describeError } from './describe';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnection {
  readonly client: RedisClient;
  /** True while commands can be sent; when false they reject at once (no offline queue). */
  isReady(): boolean;
  /** Stops reconnecting and releases the socket. */
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  url: string;
  logger?: Logger;
  /** Longest a TCP connect may take; also how long open waits for the first connection. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts. */
  maxReconnectDelayMs?: number;
  /** Times the wait for the first connection; the system clock by default. */
  clock?: Clock;
  /** Short purpose for logs ("cache", "rate budget"). */
  purpose: string;
}

/** The URL without credentials, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparsable redis url)';
  }
}

/**
 * Starts connecting and waits at most connectTimeoutMs for the first connection. It never throws for an
 * unreachable server: the client keeps retrying in the background and callers see commands reject quickly.
 */
export async function openRedisConnection(options: RedisConnectionOptions): Promise<RedisConnection> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const connectTimeoutMs = options.connectTimeoutMs ?? 500;
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  const where = { redis: redactRedisUrl(options.url), purpose: options.purpose };
  // Loaded here, not at the top: a replica without REDIS_URL never needs the client's 600 modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const redis = require('redis') as typeof import('redis');
  const client = redis.createClient({
    url: options.url,
    // Without the offline queue a command sent while disconnected rejects instead of waiting for a
    // reconnect that may never come; callers then fall back (source, in-process budget).
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Keep trying forever, backing off to maxDelay, so the service returns to Redis on its own.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelay),
    },
  });

  let outage = false;
  // An unhandled 'error' event would crash the process; report each outage once, not every retry.
  client.on('error', (err: unknown) => {
    if (outage) return;
    outage = true;
    logger.warn({ ...where, err: describeError(err) }, 'redis unreachable; falling back until it returns');
  });
  client.on('ready', () => {
    if (outage) logger.info(where, 'redis reachable again');
    outage = false;
  });

  // connect() settles only once connected (or destroyed), so it is raced against the timeout and
  // otherwise left to finish in the background.
  const connecting = client.connect().then(
    () => true,
    () => false,
  );
  const stopWaiting = new AbortController();
  const waited = clock.sleep(connectTimeoutMs, stopWaiting.signal).catch(() => undefined);
  await Promise.race([connecting, waited]);
  stopWaiting.abort();

  return {
    client,
    isReady: () => client.isReady,
    close: async () => {
      if (!client.isOpen) return;
      if (client.isReady) {
        try {
          await client.close();
          return;
        } catch {
          // fall through to destroy
        }
      }
      client.destroy();
      await connecting;
    },
  };
}
