// Test doubles for the ports the cache layer takes: a clock tests move by hand and a logger that records.
// They implement src/core ports; nothing of ours is mocked.

import type { Clock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** now() moves only with advance(); sleep() resolves at once (cache code never waits on it in these tests). */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  return {
    now: () => now,
    sleep: async () => undefined,
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

export function recordingLogger(records: LogRecord[] = []): Logger & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (obj: object, msg?: string): void => {
      records.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  const logger: Logger & { records: LogRecord[] } = {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
