// `npm run bench`: every benchmark in turn, each printing its own figures. Nothing here passes or fails
// on time; a benchmark that crashes is reported and the rest still run.

import path from 'node:path';

const BENCHES = [
  'parse',
  'latency',
  'map',
  'library',
  'trials',
  'slack',
  'ceiling',
  'teams',
  'digest',
  'watch',
  'load',
  'slow',
];

async function run(): Promise<void> {
  let failed = 0;
  for (const name of BENCHES) {
    console.log(`\n=== bench/${name}.ts`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(__dirname, `${name}.ts`)) as { main?: () => Promise<void> };
      if (!mod.main) throw new Error('exports no main()');
      await mod.main();
    } catch (error) {
      failed += 1;
      console.log(`bench/${name}.ts failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

void run();
