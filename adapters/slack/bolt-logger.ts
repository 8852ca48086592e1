// Bolt and the Slack Web API client log through @slack/logger; this forwards them to our Logger port.
// Slack's client redacts tokens itself; we add no payloads, so nothing secret reaches the logs.

import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';

function split(messages: unknown[]): { msg: string; fields: object } {
  const text: string[] = [];
  let err: unknown;
  for (const m of messages) {
    if (m instanceof Error) err = m;
    else if (typeof m === 'string') text.push(m);
    else if (m !== undefined) text.push(String(m));
  }
  return { msg: text.join(' '), fields: err ? { err } : {} };
}

/** Everything Bolt says is passed on; our logger's level decides what is written. */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.DEBUG;
  return {
    debug: (...m: unknown[]) => {
      const { msg, fields } = split(m);
      log.debug(fields, msg);
    },
    info: (...m: unknown[]) => {
      const { msg, fields } = split(m);
      log.info(fields, msg);
    },
    warn: (...m: unknown[]) => {
      const { msg, fields } = split(m);
      log.warn(fields, msg);
    },
    error: (...m: unknown[]) => {
      const { msg, fields } = split(m);
      log.error(fields, msg);
    },
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
