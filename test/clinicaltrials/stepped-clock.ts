// A Clock for tests whose time moves only when the test says so, with pending sleeps visible,
// so retry waits and deadlines can be stepped through exactly. It implements the src/core Clock port.

import type { Clock } from '../../src/core/clock';

export interface SteppedClock extends Clock {
  /** Moves time forward, waking every sleep that falls due, in order. */
  advance(ms: number): void;
  /** Milliseconds left on each pending sleep, soonest first. */
  pending(): number[];
}

interface Sleeper {
  at: number;
  wake: () => void;
}

export function steppedClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)): SteppedClock {
  let now = start;
  const sleepers = new Set<Sleeper>();
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          sleepers.delete(sleeper);
          reject(signal?.reason);
        };
        const sleeper: Sleeper = {
          at: now + Math.max(0, ms),
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    advance(ms) {
      now += ms;
      const due = [...sleepers].filter((s) => s.at <= now).sort((a, b) => a.at - b.at);
      for (const sleeper of due) {
        sleepers.delete(sleeper);
        sleeper.wake();
      }
    },
    pending: () => [...sleepers].map((s) => s.at - now).sort((a, b) => a - b),
  };
}

/** Polls (in real time) until `condition` holds; fails the test after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
