// The watch feature's public surface, for the composition root, the assistant, the adapters and the CLI.
// Everything else in src/watch is internal to it.

export { createExportLinks, EXPORT_LINK_TTL_MS, type ExportLinks } from './export-links';
export { createWatchHandler, type WatchHandler, type WatchVerb } from './handler';
export { createWatchLedger, shareIdOf, type Place, type WatchLedger } from './ledger';
export { DEFAULT_RETENTION_MS, runWatch, type WatchRunnerDeps, type WatchRunOptions } from './run';
export { nextWatchRun, startWatchScheduler, type WatchScheduler } from './scheduler';
export type { Change, WatchedShare, WatchOutcome, WatchRunReport } from './types';
