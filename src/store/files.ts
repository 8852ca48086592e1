// File modes of the data directory: the directory is its owner's only (0700) and so is every state file in
// it (0600), whatever the umask. What goes into those files is each store's business.

import fs from 'node:fs';
import path from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Sets the mode; false when the path belongs to someone else (EPERM), which only the operator can fix. */
function tighten(target: string, mode: number): boolean {
  try {
    fs.chmodSync(target, mode);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
}

/**
 * Creates the data directory 0700 (or tightens an existing one) and tightens every file already in it to
 * 0600, so a deployment that ran with a loose umask before is fixed on its next start. Returns the paths it
 * could not tighten (owned by another user, e.g. a volume mounted as root) for the caller to warn about.
 */
export function prepareDataDir(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  // mkdir's mode is filtered through the umask, and an existing directory keeps its mode: set it outright.
  const loose = tighten(dir, DIR_MODE) ? [] : [dir];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isFile() && !tighten(file, FILE_MODE)) loose.push(file);
  }
  return loose;
}

/**
 * Creates `file` 0600 if absent (tightening it if present) before SQLite opens it: SQLite gives the -wal and
 * -shm files it creates later the mode of the database file, so they are 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  if (file === ':memory:') return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
  fs.chmodSync(file, FILE_MODE);
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(companion)) fs.chmodSync(companion, FILE_MODE);
  }
}
