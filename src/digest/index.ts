// The digest feature's public surface, for the composition root, the assistant and the CLI.
// Everything else in src/digest is internal to it.

export { parseDigestCommand, type DigestCommand } from './commands';
export { createDigestHandler, type DigestHandler, type DigestHandlerDeps } from './handler';
export type { DigestPubmed } from './lookup';
export {
  DEFAULT_TUNING,
  runDueDigests,
  type DigestOutcome,
  type DigestRunReport,
  type DigestRunnerDeps,
  type RunOptions,
  type RunTuning,
} from './run';
export { startDigestScheduler, type DigestScheduler, type SchedulerOptions } from './scheduler';
export { createDigestStore, openDigestStore, type DigestStore, type DigestStoreOptions } from './store';
export type { Subscription } from './types';
