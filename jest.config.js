/** Jest runs TypeScript through @swc/jest (type checking is its own CI step: `tsc --noEmit`). */
// node-fetch 3 and its helpers (pulled in by citation-js) ship only ESM; Jest's CommonJS runtime needs
// them transformed, while plain Node 20 loads them through require(esm).
const ESM_ONLY = ['node-fetch', 'fetch-blob', 'formdata-polyfill', 'data-uri-to-buffer', 'jose'];

module.exports = {
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
