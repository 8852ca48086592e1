// Opening the one DurableStore of a process: a SQLite file in the data directory, or Redis when the
// deployment shares state. Migrating older stores into it is ./migrate.ts's; the port is core/store.ts.

import path from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { DurableStore } from '../core/store';
import { openRedisStore } from './redis';
import { openSqliteStore } from './sqlite';

export type StoreOptions =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'redis';
      url: string;
      /** Prepended to every key; tests sharing a Redis database use their own. */
      prefix?: string;
      /** Longest the first connect is waited for (2 s by default); commands fail fast afterwards. */
      connectTimeoutMs?: number;
    };

export interface StoreDeps {
  clock: Clock;
  logger: Logger;
}

/** The embedded store's file inside the data directory. */
export function storeFileIn(dataDir: string): string {
  return path.join(dataDir, 'paperbot.sqlite');
}

export async function openStore(options: StoreOptions, deps: StoreDeps): Promise<DurableStore> {
  if (options.kind === 'sqlite') return openSqliteStore(options.path, deps.clock);
  return openRedisStore({
    url: options.url,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    logger: deps.logger.child({ component: 'store' }),
  });
}
