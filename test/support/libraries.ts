// Throwaway library databases for a test file: each test opens fresh ones in a temporary directory, and
// they are closed after each test and the directory removed after the file. Registers jest hooks.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLibrary, type LibraryStore } from '../../src/library/store';

export interface TempLibraries {
  /** The file's temporary directory (valid once its tests run). */
  dir(): string;
  /** A new, empty library in its own directory. */
  fresh(): LibraryStore;
  /** Writes `content` to `name` in the temporary directory; returns its path. */
  write(name: string, content: string | Buffer): string;
}

export function useTempLibraries(prefix: string): TempLibraries {
  let dir = '';
  let stores: LibraryStore[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `paperbot-${prefix}-`));
  });
  afterEach(() => {
    for (const store of stores) store.close();
    stores = [];
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    fresh() {
      const store = openLibrary({ path: path.join(fs.mkdtempSync(path.join(dir, 'db-')), 'library.sqlite') });
      stores.push(store);
      return store;
    },
    write(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
  };
}
