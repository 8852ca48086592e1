// The pino-backed Logger: JSON lines on stderr (stdout stays clean for `--json` and replies).
// Redacts anything that looks like a credential, whatever a caller passes by mistake.

import pino from 'pino';
import type { Logger } from './core/logger';
import type { LogLevel } from './config';

const REDACT = [
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.headers.authorization',
  'token',
  'apiKey',
  'api_key',
];

export function createLogger(
  level: LogLevel,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { app: 'paperbot' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  ) as unknown as Logger;
}
