/** Jest runs TypeScript through @swc/jest (type checking is its own CI step: `tsc --noEmit`). */
// node-fetch 3 and its helpers (pulled in by citation-js) ship only ESM; Jest's CommonJS runtime needs
// them transformed, while plain Node 20 loads them through require(esm).
const ESM_ONLY = ['node-fetch', 'fetch-blob', 'formdata-polyfill', 'data-uri-to-buffer', 'jose'];

// Without redis-server the files that need Redis are left out (redis-run.ts prints one line saying so), so
// `npm test` passes on a machine with nothing listening and nothing installed beyond Node.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const NEEDS_REDIS = /\b(testRedisUrl|leaseRedisDb|startOwnRedis|REDIS_URL)\b/;
function redisTestFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return redisTestFiles(full);
    return entry.name.endsWith('.test.ts') && NEEDS_REDIS.test(fs.readFileSync(full, 'utf8')) ? [full] : [];
  });
}
const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const withoutRedis = hasRedisServer
  ? []
  : redisTestFiles(path.join(__dirname, 'test')).map((f) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

module.exports = {
  testPathIgnorePatterns: ['/node_modules/', ...withoutRedis],
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 20000,
  // The run's own redis-server on a free port: tests never touch a Redis they did not start.
  globalSetup: '<rootDir>/test/support/redis-run.ts',
  globalTeardown: '<rootDir>/test/support/redis-run-teardown.ts',
};
