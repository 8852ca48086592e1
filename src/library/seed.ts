// Imports the bundled default dataset (data/seed/) once per seed version, so a fresh clone answers offline.
// The files and their licences are data/seed/SOURCES.md's; reading the formats is import/'s.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';
import { silentLogger, type Logger } from '../core/logger';
import { importFiles } from './import';
import type { LibraryStore } from './store';

/** Bump when the importers change what they make of the same files, so existing libraries re-seed. */
const SEED_FORMAT = 1;
const VERSION_KEY = 'seed_version';
const SEED_FILE = /\.(?:xml|xml\.gz|json|jsonl|ndjson|nbib|txt)$/i;

export interface SeedOptions {
  logger?: Logger;
  clock?: Clock;
}

export interface SeedResult {
  /** False when the library already held this seed version (or there was no seed to import). */
  seeded: boolean;
  version?: string;
  records: number;
  problems: number;
}

function seedFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && SEED_FILE.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  // Sorted, so the version and the import order do not depend on the file system.
  return found.sort();
}

/** A digest of every seed file's path and bytes: any edit, addition or removal is a new version. */
function versionOf(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256').update(`format ${SEED_FORMAT}\n`);
  for (const file of files) {
    hash.update(path.relative(dir, file).split(path.sep).join('/')).update('\0');
    hash.update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export async function ensureSeeded(
  store: LibraryStore,
  seedDir: string,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const logger = options.logger ?? silentLogger;
  if (!fs.existsSync(seedDir)) {
    logger.warn({ seedDir }, 'no bundled dataset found; the library starts empty');
    return { seeded: false, records: 0, problems: 0 };
  }
  const files = seedFiles(seedDir);
  const version = versionOf(seedDir, files);
  if (store.getMeta(VERSION_KEY) === version) return { seeded: false, version, records: 0, problems: 0 };

  const summary = await importFiles(store, files, {
    origin: 'seed',
    ...(options.clock ? { clock: options.clock } : {}),
    onProblem: (problem) => logger.warn({ problem }, 'bundled dataset: a record could not be imported'),
  });
  store.setMeta(VERSION_KEY, version);
  logger.info(
    { version, records: summary.records, problems: summary.problems, seconds: summary.seconds },
    'bundled dataset imported',
  );
  return { seeded: true, version, records: summary.records, problems: summary.problems };
}
