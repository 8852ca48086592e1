// Jest global teardown: stops the test run's own redis-server (see redis-run.ts).
export { teardown as default } from './redis-run';
