// `paperbot list --channel C… [--platform slack|teams] [--since YYYY-MM-DD | --days N] --format ris|bibtex|csv|html
// [--out file]`: a channel's reading list as a file, from the same ledger the chat commands read.

import fs from 'node:fs';
import type { Config } from '../../src/config';
import type { Article } from '../../src/core/article';
import type { Logger } from '../../src/core/logger';
import type { Platform } from '../../src/core/reply';
import { buildCore } from '../../src/main';
import { exportReadingList, EXPORT_FORMATS, type ExportFormat } from '../../src/watch/exports';
import { WATCH_BATCH } from '../../src/watch/fetch';
import { parseListWindow } from '../../src/watch/window';
import type { CliIo } from './io';

const USAGE =
  'Usage: paperbot list --channel <id> [--platform slack|teams] [--since YYYY-MM-DD | --days N] --format ris|bibtex|csv|html [--out file]\n';

const VALUED = new Set(['--channel', '--platform', '--since', '--days', '--format', '--out']);

function parseArgs(args: string[]): Map<string, string> | undefined {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i] as string;
    const value = args[i + 1];
    if (!VALUED.has(name) || value === undefined || options.has(name)) return undefined;
    options.set(name, value);
  }
  return options;
}

/** Exit codes: 0 written; 1 nothing shared in the window; 2 usage; 3 PubMed unavailable for the records. */
export async function runListCommand(
  config: Config,
  logger: Logger,
  args: string[],
  io: CliIo,
): Promise<number> {
  const options = parseArgs(args);
  const channel = options?.get('--channel');
  const format = options?.get('--format') as ExportFormat | undefined;
  const platform = (options?.get('--platform') ?? 'slack') as Platform;
  if (
    !options ||
    !channel ||
    !format ||
    !EXPORT_FORMATS.includes(format) ||
    !['slack', 'teams'].includes(platform)
  ) {
    io.stderr.write(USAGE);
    return 2;
  }
  const since = options.get('--since');
  const days = options.get('--days');
  const core = await buildCore(config, logger);
  try {
    const window = parseListWindow(since ? `since ${since}` : days ? `last ${days} days` : '', Date.now());
    if (!window.ok) {
      io.stderr.write(`paperbot list: ${window.message} ${window.hint}\n`);
      return 2;
    }
    const shares = await core.watch.ledger.inChannel({ platform, channel }, window.sinceMs);
    if (shares.length === 0) {
      io.stderr.write(`paperbot list: nothing was shared in ${channel} ${window.label}.\n`);
      return 1;
    }
    const pmids = [...new Set(shares.flatMap((s) => (s.item.kind === 'article' ? [s.item.id] : [])))];
    const articles = new Map<string, Article>();
    try {
      for (let i = 0; i < pmids.length; i += WATCH_BATCH) {
        const batch = pmids.slice(i, i + WATCH_BATCH);
        // Offline, the library's copies: their retraction status is then what the watcher last saw.
        const found = core.watch.pubmed
          ? (await core.watch.pubmed.efetchFresh(batch)).articles
          : core.library.getArticles(batch);
        for (const a of found) articles.set(a.pmid, a);
      }
    } catch (error) {
      logger.warn({ err: error }, 'list: PubMed unavailable');
      io.stderr.write('paperbot list: PubMed is unavailable just now; please try again in a minute.\n');
      return 3;
    }
    const file = exportReadingList(format, {
      shares,
      articles,
      windowLabel: window.label,
      channelLabel: channel,
    });
    const out = options.get('--out');
    if (out) fs.writeFileSync(out, file.text);
    else io.stdout.write(file.text);
    return 0;
  } finally {
    await core.close();
  }
}
