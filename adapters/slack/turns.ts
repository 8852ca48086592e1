// Acks first: the work after an ack (lookup, rendering, delivery) starts in small slices between event-loop
// turns, so a burst of answers never delays the 3-second acks of requests still arriving. FIFO, no timers.

export interface TurnScheduler {
  /** Starts `job` on a later event-loop turn, after pending I/O (new requests) has been served. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs not started yet. */
  readonly waiting: number;
}

/**
 * Why slices: a started job runs synchronously (cache reads, card rendering) until its first real I/O wait.
 * Starting jobs from setImmediate lets the poll phase (where incoming requests are read and acked) run between
 * slices. One job per turn was too few: under a stream of commands each turn also acks a batch of requests,
 * so answers advanced one step per turn and fell behind without bound (about 150 a second here). A slice
 * starts jobs until SLICE_MS has passed, which keeps the gap between two polls near that long.
 */
export const SLICE_MS = 2;

export function createTurnScheduler(now: () => number = () => performance.now()): TurnScheduler {
  const queue: (() => void)[] = [];
  let scheduled = false;

  const next = (): void => {
    const until = now() + SLICE_MS;
    do queue.shift()?.();
    while (queue.length > 0 && now() < until);
    if (queue.length > 0) setImmediate(next);
    else scheduled = false;
  };

  return {
    run(job) {
      return new Promise((resolve, reject) => {
        queue.push(() => {
          job().then(resolve, reject);
        });
        if (!scheduled) {
          scheduled = true;
          setImmediate(next);
        }
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
