// An event loop whose busy time a test sets: cumulative active and idle milliseconds, read the way Node's
// performance.eventLoopUtilization reports them, for the load gauge and the admission tests.

import type { EventLoopUtilization } from 'node:perf_hooks';

export function fakeLoop() {
  const total = { idle: 0, active: 0 };
  return {
    utilization(since?: EventLoopUtilization): EventLoopUtilization {
      const idle = total.idle - (since?.idle ?? 0);
      const active = total.active - (since?.active ?? 0);
      return { idle, active, utilization: idle + active > 0 ? active / (idle + active) : 0 };
    },
    active: () => total.active,
    run(activeMs: number, idleMs: number) {
      total.active += activeMs;
      total.idle += idleMs;
    },
  };
}
