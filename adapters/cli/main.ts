// The `paperbot` command: search/show/similar/cite/trial go through the core; import fills the library;
// serve starts the HTTP server. Output is terminal text, or the core's Reply as JSON with --json.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import type { Card, Reply } from '../../src/core/reply';
import { unavailableSourceIn } from '../../src/core/wording';
import { createLogger } from '../../src/log';
import { buildCore } from '../../src/main';
import type { CliIo } from './io';
import { renderReply, type RenderOptions } from './render';

interface Flags {
  json: boolean;
  offline: boolean;
  color?: boolean;
  help: boolean;
  version: boolean;
  /** The first option no command understands: a usage error, never a search for the text "--bogus". */
  unknown?: string;
  rest: string[];
}

const USAGE = `Usage: paperbot [--json] [--offline] [--no-color] <query | command>

  paperbot immunotherapy liver metastases      search PubMed (filters: type: since: until: sort:)
  paperbot show 29658856 10.1056/NEJMoa1801005  full cards with abstracts, in the order asked
  paperbot similar 29658856                    related articles
  paperbot cited-by 29658856                   works citing it (Europe PMC); also: references 29658856
  paperbot cite 29658856 vancouver             ama | vancouver | apa | bibtex | ris
  paperbot trial NCT02578680 | KEYNOTE-189     ClinicalTrials.gov summaries
  paperbot map pembrolizumab nsclc since:2015  how much evidence: PubMed counts by level and by year
  paperbot trial search '"KRAS G12C"' cond:colorectal near:here within:50km
                                               trials a board can offer (filters: cond: drug: status: phase:
                                               near: within: age: sex:), nearest sites first
  paperbot site set 48.8414,2.3400 Institut Curie   the site near:here and distances use (site, site clear)
  paperbot import <files…>                     PubMed XML (.xml, .xml.gz), MEDLINE (.nbib, .txt), ClinicalTrials.gov JSON
  paperbot library sync "<PubMed query>" [--since YYYY-MM-DD]
                                               pull matching records into the offline library (again: updates)
  paperbot library sync-trials "<query>"       the same for ClinicalTrials.gov studies
  paperbot library status                      saved syncs, record counts, database size
  paperbot serve                               start the Slack/Teams HTTP server (and the digest scheduler)
  paperbot digest run [--now] [--dry-run]      run the digests that are due once, for an external cron
  paperbot watch run [--now] [--dry-run]       re-check shared cards once and tell their channels what changed
  paperbot list --channel <id> [--since YYYY-MM-DD | --days N] --format ris|bibtex|csv|html [--out file]
                                               a channel's reading list as a file (--platform teams for Teams)

  --json     print the reply as JSON      --offline  answer from the local library only
  --no-color plain text                   --version  print the version    --help  this text
`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { json: false, offline: false, help: false, version: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      flags.rest.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--json') flags.json = true;
    else if (arg === '--offline') flags.offline = true;
    else if (arg === '--no-color') flags.color = false;
    else if (arg === '--color') flags.color = true;
    else if (arg === '-h' || arg === '--help') flags.help = true;
    else if (arg === '-V' || arg === '--version') flags.version = true;
    // Subcommands own their options; everything else dash-prefixed is a mistake, not query text.
    else if (arg.startsWith('-') && arg.length > 1 && !isSubcommandOption(flags.rest, arg))
      flags.unknown ??= arg;
    else flags.rest.push(arg);
  }
  return flags;
}

/** Options a subcommand parses itself (and checks strictly there): passed through untouched. */
const SUBCOMMAND_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  digest: new Set(['--now', '--dry-run']),
  watch: new Set(['--now', '--dry-run']),
  list: new Set(['--channel', '--platform', '--since', '--days', '--format', '--out']),
  library: new Set(['--since']),
};

function isSubcommandOption(before: string[], arg: string): boolean {
  const verb = before[0];
  return verb !== undefined && (SUBCOMMAND_OPTIONS[verb]?.has(arg) ?? false);
}

/** The project's package.json sits two levels up from the sources and three from their build in dist/. */
function packageVersion(): string {
  for (const up of [
    ['..', '..'],
    ['..', '..', '..'],
  ]) {
    const file = path.join(__dirname, ...up, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === 'paperbot' && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown';
}

function renderOptions(flags: Flags, config: Config, io: CliIo): RenderOptions {
  return {
    color: flags.color ?? (!!io.stdout.isTTY && !config.noColor),
    width: Math.min(io.stdout.columns ?? 100, 110),
  };
}

/** The documented exit codes (README, "Exit codes"): scripts branch on these, so they are part of the interface. */
const EXIT = { answered: 0, nothingFound: 1, usage: 2, sourceUnavailable: 3 } as const;

const isResult = (c: Card): boolean => c.type !== 'error';

function exitCodeOf(reply: Reply): number {
  if (reply.cards.some(isResult)) return EXIT.answered;
  const words = [
    reply.notice ?? '',
    ...reply.cards.map((c) => (c.type === 'error' ? `${c.message} ${c.hint ?? ''}` : '')),
  ];
  return words.some(unavailableSourceIn) ? EXIT.sourceUnavailable : EXIT.nothingFound;
}

/** Results to stdout, notices and errors to stderr: `paperbot cite … > refs.ris` holds only references. */
function writeText(reply: Reply, options: RenderOptions, io: CliIo): void {
  const results = reply.cards.filter(isResult);
  const problems = reply.cards.filter((c) => !isResult(c));
  if (reply.notice || problems.length > 0)
    io.stderr.write(
      renderReply(
        { ...reply, cards: problems, more: undefined },
        { ...options, color: options.color && !!io.stderr.isTTY },
      ),
    );
  if (results.length > 0)
    io.stdout.write(renderReply({ ...reply, cards: results, notice: undefined }, options));
}

async function ask(config: Config, logger: Logger, flags: Flags, io: CliIo): Promise<number> {
  const [verb] = flags.rest;
  const text = (verb === 'search' ? flags.rest.slice(1) : flags.rest).join(' ');
  const core = await buildCore(config, logger, { offline: flags.offline });
  try {
    const reply = await core.assistant.handle({
      text,
      user: { id: os.userInfo().username },
      place: { platform: 'cli' },
    });
    if (flags.json) io.stdout.write(JSON.stringify(reply, null, 2) + '\n');
    else writeText(reply, renderOptions(flags, config, io), io);
    return exitCodeOf(reply);
  } finally {
    await core.close();
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv);
  if (flags.unknown !== undefined) {
    io.stderr.write(
      `paperbot: unknown option ${flags.unknown} (use -- before a query that starts with -)\n\n${USAGE}`,
    );
    return 2;
  }
  if (flags.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (flags.version) {
    io.stdout.write(`paperbot ${packageVersion()}\n`);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`paperbot: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // The CLI's own logs are for operators: warnings and worse unless LOG_LEVEL asks for more.
  const logger = createLogger(config.logLevel ?? 'error');
  const [verb, ...rest] = flags.rest;
  if (verb === 'import') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the progress bar is import's alone
    const { runImport } = require('./import') as typeof import('./import');
    return runImport(config, logger, rest, io);
  }
  if (verb === 'library') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the progress bar is the library's alone
    const { runLibrary } = require('./library') as typeof import('./library');
    return runLibrary(config, logger, rest, io);
  }
  if (verb === 'digest' && rest[0] === 'run') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the chat SDKs, like serve
    const { runDigestCommand } = require('./digest') as typeof import('./digest');
    return runDigestCommand(config, logger, rest, io, renderOptions(flags, config, io));
  }
  if (verb === 'watch' && rest[0] === 'run') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the chat SDKs, like serve
    const { runWatchCommand } = require('./watch') as typeof import('./watch');
    return runWatchCommand(config, logger, rest, io);
  }
  if (verb === 'list' && rest[0]?.startsWith('--')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the exporters are list's alone
    const { runListCommand } = require('./list') as typeof import('./list');
    return runListCommand(config, logger, rest, io);
  }
  if (verb === 'serve') {
    // Loaded on demand: the chat SDKs behind `serve` would slow every other command's start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { serve } = require('../server') as typeof import('../server');
    return serve(config, createLogger(config.logLevel ?? 'info'));
  }
  return ask(config, logger, flags, io);
}
