// The digest store's entry points: the port (./store-port) over the shared DurableStore (./store-durable),
// and a store of its own for callers outside the composition root (the CLI's tools, tests, benches).

import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { openStore, type StoreOptions } from '../store';
import { createDigestStore } from './store-durable';
import type { DigestStore } from './store-port';

export type { Claim, DigestStore } from './store-port';
export { createDigestStore } from './store-durable';

export type DigestStoreOptions = StoreOptions;

export interface DigestStoreDeps {
  clock: Clock;
  logger: Logger;
}

/** Opens a DurableStore for the digests alone; closing the digest store closes it. */
export async function openDigestStore(
  options: DigestStoreOptions,
  deps: DigestStoreDeps,
): Promise<DigestStore> {
  const store = await openStore(options, deps);
  return { ...createDigestStore(store), close: () => store.close() };
}
