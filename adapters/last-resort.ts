// The process-level last resort of `paperbot serve`: a promise rejection that escaped every request's own
// handling is logged and the replica keeps serving. Each adapter still answers and logs its own failures.

import type { Logger } from '../src/core/logger';

/** The slice of `process` this needs, so a test can hand in an emitter of its own. */
export interface RejectionSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * Node ends the process on an unhandled rejection; for a server that means every request in flight on the
 * replica fails for one request's bug. A rejection has unwound its own stack (unlike an uncaught exception,
 * which may leave shared state half-changed and still ends the process), so serving on is safe.
 * Returns the uninstaller.
 */
export function keepServingOnRejection(source: RejectionSource, logger: Logger): () => void {
  const listener = (reason: unknown): void => {
    logger.error({ err: reason }, 'unhandled promise rejection escaped a request; still serving');
  };
  source.on('unhandledRejection', listener);
  return () => void source.off('unhandledRejection', listener);
}
