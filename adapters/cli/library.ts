// `paperbot library sync|sync-trials|status`: builds the clients and budgets a sync needs, shows a progress
// bar on stderr and stops cleanly on Ctrl-C. What a sync does is src/library/sync-*.ts's.

import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Config } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { isPaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { createCtgovClient } from '../../src/clinicaltrials/client';
import { CTGOV_RETRY, CTGOV_SOURCE } from '../../src/clinicaltrials/errors';
import { CTGOV_REQUESTS_PER_SECOND } from '../../src/main';
import { openLibrary, type LibraryStore, type SavedSync } from '../../src/library/store';
import { parseDay } from '../../src/library/sync-dates';
import { syncPubmed, type SyncProgress, type SyncSummary } from '../../src/library/sync-pubmed';
import { syncTrials } from '../../src/library/sync-trials';
import { createEutilsClient } from '../../src/pubmed/eutils';
import { PUBMED_RETRY, PUBMED_SOURCE } from '../../src/pubmed/errors';
import { ARRIVAL_MARGIN_MS } from '../../src/sources/budget';
import { createSourceCaller } from '../../src/sources/caller';
import type { ServiceBudget } from '../../src/sources/budget';
import { createServiceBudget } from '../../src/sources/service-budget';
import type { CliIo } from './io';

const USAGE = `Usage:
  paperbot library sync "<PubMed query>" [--since YYYY-MM-DD]   pull every matching record; run again to update
  paperbot library sync-trials "<ClinicalTrials.gov query>"       the same for studies
  paperbot library status                                         saved syncs, record counts, database size
`;

/** A 500-record EFetch is a few megabytes: give one attempt far longer than an interactive lookup. */
const SYNC_ATTEMPT_MS = 60_000;

interface SyncArgs {
  source: 'pubmed' | 'clinicaltrials';
  query: string;
  since?: string;
}

function parseSyncArgs(source: SyncArgs['source'], args: string[]): SyncArgs | string {
  const words: string[] = [];
  let since: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--since' && source === 'pubmed') {
      const day = parseDay(args[i + 1] ?? '');
      if (day === undefined) return '--since wants a date as YYYY-MM-DD';
      since = day;
      i += 1;
    } else words.push(arg);
  }
  const query = words.join(' ').trim();
  if (query === '')
    return `give the ${source === 'pubmed' ? 'PubMed' : 'ClinicalTrials.gov'} query to sync, in quotes`;
  return { source, query, ...(since ? { since } : {}) };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function statusText(library: LibraryStore): string {
  const syncs = library.listSyncs();
  const counts = library.counts();
  const lines = [
    `Library ${library.path}: ${counts.articles.toLocaleString('en-US')} articles, ` +
      `${counts.trials.toLocaleString('en-US')} trials, ${megabytes(library.sizeBytes())}.`,
  ];
  if (syncs.length === 0)
    lines.push('No saved syncs. Start one with: paperbot library sync "<PubMed query>"');
  for (const s of syncs) lines.push(describeSync(s));
  return `${lines.join('\n')}\n`;
}

function describeSync(s: SavedSync): string {
  const last =
    s.lastRunAt === undefined
      ? 'never finished'
      : `last run ${new Date(s.lastRunAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` +
        ` (${(s.lastCount ?? 0).toLocaleString('en-US')} new or revised)`;
  const state = s.run === undefined ? '' : ' · interrupted: the next run continues';
  return `  ${s.source} "${s.query}": ${s.records.toLocaleString('en-US')} records stored · ${last}${state}`;
}

function progressBar(io: CliIo): ((p: SyncProgress) => void) & { stop(): void } {
  const bar = io.stderr.isTTY
    ? new SingleBar({
        format: '{bar} {value}/{total} records · {rate} records/s · ETA {eta_formatted}',
        hideCursor: true,
        stream: io.stderr,
      })
    : undefined;
  const started = Date.now();
  let running = false;
  const update = (p: SyncProgress): void => {
    if (!bar) return;
    const rate = Math.round(p.stored / Math.max(0.001, (Date.now() - started) / 1000));
    const total = p.stored + p.remaining;
    if (!running) {
      running = true;
      bar.start(total, p.stored, { rate });
    } else {
      bar.setTotal(total);
      bar.update(p.stored, { rate });
    }
  };
  return Object.assign(update, { stop: () => bar?.stop() });
}

function summaryText(s: SyncSummary): string {
  const what = `${s.stored.toLocaleString('en-US')} records stored for "${s.query}"`;
  return s.finished
    ? `${s.resumed ? 'Resumed and finished' : 'Synced'}: ${what}, covered up to ${s.coveredTo}.\n`
    : `Stopped: ${what}. Run the same command again to continue.\n`;
}

function pubmedSync(config: Config, logger: Logger, budget: ServiceBudget) {
  const client = createEutilsClient({
    baseUrl: config.ncbi.baseUrl,
    tool: config.ncbi.tool,
    ...(config.ncbi.email ? { email: config.ncbi.email } : {}),
    ...(config.ncbi.apiKey ? { apiKey: config.ncbi.apiKey } : {}),
    attemptTimeoutMs: SYNC_ATTEMPT_MS,
  });
  const caller = createSourceCaller({
    source: PUBMED_SOURCE,
    budget,
    clock: systemClock,
    logger,
    policy: PUBMED_RETRY,
  });
  return (common: Common, args: SyncArgs) =>
    syncPubmed({ ...common, client, caller }, args.query, args.since ? { since: args.since } : {});
}

function trialsSync(config: Config, logger: Logger, budget: ServiceBudget) {
  const client = createCtgovClient({
    baseUrl: config.clinicalTrials.baseUrl,
    attemptTimeoutMs: SYNC_ATTEMPT_MS,
  });
  const caller = createSourceCaller({
    source: CTGOV_SOURCE,
    budget,
    clock: systemClock,
    logger,
    policy: CTGOV_RETRY,
  });
  return (common: Common, args: SyncArgs) => syncTrials({ ...common, client, caller }, args.query);
}

interface Common {
  library: LibraryStore;
  clock: typeof systemClock;
  onProgress(p: SyncProgress): void;
  signal: AbortSignal;
}

async function runSync(config: Config, logger: Logger, library: LibraryStore, args: SyncArgs, io: CliIo) {
  const pubmed = args.source === 'pubmed';
  // The same named budgets serve uses, so a sync never takes more than its share of NCBI's or the registry's.
  const budget = await createServiceBudget({
    name: pubmed ? 'ncbi' : 'ctgov',
    perSecond: pubmed ? config.ncbi.requestsPerSecond : CTGOV_REQUESTS_PER_SECOND,
    clock: systemClock,
    logger,
    replicas: config.replicas,
    marginMs: ARRIVAL_MARGIN_MS,
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  });
  const sync = pubmed ? pubmedSync(config, logger, budget) : trialsSync(config, logger, budget);
  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.once('SIGINT', onSigint);
  const bar = progressBar(io);
  try {
    const summary = await sync({ library, clock: systemClock, onProgress: bar, signal: stop.signal }, args);
    bar.stop();
    io.stdout.write(summaryText(summary));
    return 0;
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onSigint);
    await budget.close();
  }
}

export async function runLibrary(config: Config, logger: Logger, args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'sync' && command !== 'sync-trials' && command !== 'status') {
    io.stderr.write(USAGE);
    return 2;
  }
  const parsed =
    command === 'status' ? undefined : parseSyncArgs(command === 'sync' ? 'pubmed' : 'clinicaltrials', rest);
  if (typeof parsed === 'string') {
    io.stderr.write(`paperbot library ${command}: ${parsed}\n${USAGE}`);
    return 2;
  }
  const library = openLibrary({ path: path.join(config.dataDir, 'library.sqlite'), logger });
  try {
    if (parsed === undefined) {
      io.stdout.write(statusText(library));
      return 0;
    }
    return await runSync(config, logger, library, parsed, io);
  } catch (error) {
    if (!isPaperbotError(error)) throw error;
    io.stderr.write(`paperbot library: ${error.message}. What was stored is kept; run again to continue.\n`);
    return 1;
  } finally {
    library.close();
  }
}
