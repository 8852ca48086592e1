// Acks first: the work after an ack (lookup, rendering, delivery) starts one job per event-loop turn, so
// a burst of answers never delays the 3-second acks of requests still arriving. FIFO, unbounded, no timers.

export interface TurnScheduler {
  /** Starts `job` on a later event-loop turn, after pending I/O (new requests) has been served. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs not started yet. */
  readonly waiting: number;
}

/**
 * Why one job per turn: a started job runs synchronously (cache reads, card rendering) until its first real
 * I/O wait, inside the microtask checkpoint of the callback that started it. Starting one per setImmediate
 * lets the poll phase (where incoming requests are read and acked) run between every two jobs.
 */
export function createTurnScheduler(): TurnScheduler {
  const queue: (() => void)[] = [];
  let scheduled = false;

  const next = (): void => {
    const start = queue.shift();
    start?.();
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
