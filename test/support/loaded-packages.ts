// Which npm packages a `paperbot serve` process has loaded: after start, then after one citation. Run as its
// own process (node -r @swc-node/register …) with the environment to serve; prints one JSON line and exits.

import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/core/logger';
import { platformMounts } from '../../adapters/mounts';
import { startServer } from '../../adapters/server';

/** "@scope/name" or "name" for every module file loaded from node_modules. */
function packagesLoaded(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const parts = file.split('/node_modules/');
    if (parts.length < 2) continue;
    const [first = '', second = ''] = (parts[parts.length - 1] ?? '').split('/');
    names.add(first.startsWith('@') ? `${first}/${second}` : first);
  }
  return [...names].sort();
}

async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const running = await startServer(
    config,
    silentLogger,
    (core, logger) => platformMounts(config, core, logger),
    { processMetrics: false },
  );
  const atStart = packagesLoaded();
  const cite = await running.core.assistant.handle({
    text: process.argv[2] ?? 'cite 30280635',
    user: { id: 'U1' },
    place: { platform: 'cli' },
  });
  const afterCite = packagesLoaded();
  await running.close();
  process.stdout.write(`${JSON.stringify({ atStart, afterCite, cite })}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
