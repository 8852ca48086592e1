// Issue 15 item 7: whatever the umask, the data directory is its owner's only (0700) and every state file in
// it (the store, the library, their -wal/-shm) is 0600; a directory and files left looser are tightened.

import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { buildCore } from '../../src/main';
import { tempDataDir, testEnv } from '../support/graph';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

let previousUmask: number;
beforeAll(() => {
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

it('creates the data directory 0700 and every state file 0600 under a umask of 022', async () => {
  const parent = tempDataDir();
  const dir = path.join(parent, 'data');
  try {
    const core = await buildCore(loadConfig(testEnv({}, dir)), silentLogger, { offline: true });
    try {
      // Writes make SQLite create the -wal and -shm files beside each database.
      await core.store.set('paperbot:test:mode', 1);
      const files = fs.readdirSync(dir);
      expect(files).toEqual(
        expect.arrayContaining([
          'paperbot.sqlite',
          'paperbot.sqlite-wal',
          'paperbot.sqlite-shm',
          'library.sqlite',
          'library.sqlite-wal',
        ]),
      );
      expect(mode(dir)).toBe(0o700);
      for (const file of files) expect([file, mode(path.join(dir, file))]).toEqual([file, 0o600]);
    } finally {
      await core.close();
    }
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
});

it('tightens an existing data directory and the files already in it on start', async () => {
  const dir = tempDataDir();
  try {
    fs.chmodSync(dir, 0o755);
    const old = path.join(dir, 'cache.sqlite');
    fs.writeFileSync(old, '');
    fs.chmodSync(old, 0o644);
    const core = await buildCore(loadConfig(testEnv({}, dir)), silentLogger, { offline: true });
    await core.close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(old)).toBe(0o600);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
