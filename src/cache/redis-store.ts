// The Redis backend for the cache: a @keyv/redis adapter over a fail-fast, self-reconnecting connection.
// Bounding each operation and deciding what a failure means are left to store.ts and cached().

import type KeyvRedis from '@keyv/redis';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { openRedisConnection } from './redis-client';
import type { Backend } from './store';

export async function openRedisBackend(
  url: string,
  namespace: string,
  deps: { logger: Logger; clock: Clock; connectTimeoutMs: number },
): Promise<Backend> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on demand, like the client itself
  const { default: Adapter } = require('@keyv/redis') as { default: typeof KeyvRedis };
  const connection = await openRedisConnection({ url, purpose: 'cache', ...deps });
  const adapter = new Adapter(connection.client, {
    namespace,
    // Failures must reach cached() as rejections (it logs them and goes to the source).
    throwOnConnectError: true,
    throwOnErrors: true,
  });
  return { adapter, release: () => connection.close() };
}
