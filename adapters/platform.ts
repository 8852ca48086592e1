// The adapter contract: what a chat platform gives `paperbot serve` (a Mount: its HTTP routes, start and
// stop, its Deliverer) and the one reply deadline every platform asks the core under. Wiring is mounts.ts's.

import type http from 'node:http';
import type { Intake } from './intake';
import type { Config } from '../src/config';
import { startDeadline, type Clock } from '../src/core/clock';
import type { Deliverer } from '../src/core/deliverer';
import { PaperbotError } from '../src/core/errors';
import type { Logger } from '../src/core/logger';
import type { Platform } from '../src/core/reply';
import type { Core } from '../src/main';

/**
 * A platform adapter mounted on the shared server. To add a platform: its folder under adapters/ exports a
 * MountFactory, config.ts reads its settings, and mounts.ts lists it. Nothing else changes.
 */
export interface Mount {
  name: string;
  /** Takes the requests it recognises (true), leaves the rest to the next mount (false). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  start?(): Promise<void>;
  /** Stops taking work and lets replies in flight finish (bounded by the adapter). */
  stop?(): Promise<void>;
  /** How this platform posts on its own initiative (digests, private notices). */
  deliverer?: Deliverer;
}

/** Builds a platform's Mount from the configuration and the core graph; called only when it is configured. */
/** `intake`: the server's one budget of unverified body bytes, shared by every mount. */
export type MountFactory = (config: Config, core: Core, logger: Logger, intake?: Intake) => Promise<Mount>;

/** The deliverers of the mounted platforms, keyed by platform, for the digest runner. */
export function deliverersOf(mounts: readonly Mount[]): Partial<Record<Platform, Deliverer>> {
  const deliverers: Partial<Record<Platform, Deliverer>> = {};
  for (const mount of mounts) if (mount.deliverer) deliverers[mount.deliverer.platform] = mount.deliverer;
  return deliverers;
}

/**
 * Runs `work` with a signal that aborts after `ms` on the clock, with a `timeout` PaperbotError as its reason
 * (the core then answers from what it has, or says it ran out of time). Each platform picks `ms` from its
 * own reply window: Slack's response_url, Teams' turn and invoke limits.
 */
export async function withReplyDeadline<T>(
  clock: Clock,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(clock, ms, () => new PaperbotError('timeout', `no answer within ${ms} ms`));
  try {
    return await work(deadline.signal);
  } finally {
    deadline.dispose();
  }
}
