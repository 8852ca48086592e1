// Small concurrency tools for a digest run: a bounded parallel map and a per-channel pacer.
// Waiting goes through the injected Clock, so tests can move time; nothing here knows about digests.

import type { Clock } from '../core/clock';

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface Pacer {
  /**
   * Runs `work` when the lane is free and at least the gap has passed since the lane's previous start.
   * Lanes are independent (one per channel); within a lane, work runs one at a time, in call order.
   */
  run<T>(lane: string, work: () => Promise<T>): Promise<T>;
}

export function createPacer(clock: Clock, gapMs: number): Pacer {
  const lanes = new Map<string, { tail: Promise<unknown>; lastStart: number | undefined }>();
  return {
    run<T>(lane: string, work: () => Promise<T>): Promise<T> {
      const state = lanes.get(lane) ?? { tail: Promise.resolve(), lastStart: undefined };
      const turn = state.tail.then(async () => {
        if (state.lastStart !== undefined) {
          const wait = state.lastStart + gapMs - clock.now();
          if (wait > 0) await clock.sleep(wait);
        }
        state.lastStart = clock.now();
        return work();
      });
      // The next caller waits for this one to settle, whatever its outcome.
      state.tail = turn.then(
        () => undefined,
        () => undefined,
      );
      lanes.set(lane, state);
      return turn;
    },
  };
}
