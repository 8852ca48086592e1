// Whether this process's event loop is saturated, from Node's event-loop utilization over a recent window.
// It decides whether a /paper ack may wait for its answer (handlers.ts) or must go first, at once.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoadGauge {
  /** True while the loop was busier than the threshold over the last window. */
  busy(): boolean;
}

export interface LoadGaugeOptions {
  /** Fraction of the window the loop spent running callbacks (0–1) at or above which it counts as busy. */
  threshold?: number;
  /** How much history one reading covers; readings are taken lazily, at most once a window. */
  windowMs?: number;
  now?: () => number;
  /** Node's performance.eventLoopUtilization (a stand-in in tests). */
  utilization?: (since?: EventLoopUtilization) => EventLoopUtilization;
}

/**
 * Why utilization and not a count of answers owed: a warm answer finishes within the turn that took its
 * request, so under saturation nothing piles up in the process; the queue is in the sockets, unread. Only
 * the loop's own busyness shows it.
 */
export function createLoadGauge(o: LoadGaugeOptions = {}): LoadGauge {
  const threshold = o.threshold ?? 0.8;
  const windowMs = o.windowMs ?? 100;
  const now = o.now ?? (() => performance.now());
  const utilization = o.utilization ?? ((since) => performance.eventLoopUtilization(since));
  let mark = utilization();
  let markedAt = now();
  let busy = false;
  return {
    busy() {
      const at = now();
      if (at - markedAt >= windowMs) {
        busy = utilization(mark).utilization >= threshold;
        mark = utilization();
        markedAt = at;
      }
      return busy;
    },
  };
}
