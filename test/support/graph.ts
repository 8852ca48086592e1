// Builds the real core graph for tests: real config parsing, real SQLite library and cache in a temp
// directory, real HTTP to the fake peers on 127.0.0.1. Nothing of ours is mocked.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import type { Clock } from '../../src/core/clock';
import { silentLogger, type Logger } from '../../src/core/logger';
import { buildCore, type Core } from '../../src/main';

export interface TestGraphOptions {
  eutilsUrl?: string;
  ctgovUrl?: string;
  /** Fake signal services; each one left out is `off`, so no test reaches a real host. */
  europepmcUrl?: string;
  unpaywallUrl?: string;
  crossrefUrl?: string;
  offline?: boolean;
  clock?: Clock;
  logger?: Logger;
  env?: Record<string, string>;
}

export interface TestGraph extends Core {
  config: Config;
  dataDir: string;
}

/** A URL nothing listens on: connection refused at once, as when NCBI is unreachable. */
export const CLOSED_URL = 'http://127.0.0.1:9';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-test-'));
}

export function testEnv(options: TestGraphOptions, dataDir: string): Record<string, string> {
  return {
    NCBI_EUTILS_URL: options.eutilsUrl ?? CLOSED_URL,
    CTGOV_API_URL: options.ctgovUrl ?? CLOSED_URL,
    NCBI_EMAIL: 'paperbot-tests@example.org',
    NCBI_TOOL: 'paperbot-tests',
    PAPERBOT_DATA_DIR: dataDir,
    EUROPEPMC_API_URL: options.europepmcUrl ?? 'off',
    UNPAYWALL_API_URL: options.unpaywallUrl ?? 'off',
    CROSSREF_API_URL: options.crossrefUrl ?? 'off',
    ...options.env,
  };
}

export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const dataDir = tempDataDir();
  const config = loadConfig(testEnv(options, dataDir));
  const core = await buildCore(config, options.logger ?? silentLogger, {
    ...(options.offline ? { offline: true } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...core,
    config,
    dataDir,
    async close() {
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
