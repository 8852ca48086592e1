// A Logger that keeps every line (level, fields, message) in memory, for tests that assert what was logged.

import type { Logger } from '../../src/core/logger';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

export function recordingLogger(
  lines: LoggedLine[] = [],
  bindings: object = {},
): Logger & { lines: LoggedLine[] } {
  const at =
    (level: LoggedLine['level']) =>
    (obj: object, msg = ''): void =>
      void lines.push({ level, fields: { ...bindings, ...obj }, msg });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}
