// The process-level last resort through a real `paperbot serve` process: a rejection that escapes every
// request is logged and the replica keeps answering, where Node alone would have ended it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReplica, type Replica } from '../support/replicas';

/** A preload that lets the test make a rejection escape inside the server process, on SIGUSR2. */
const ESCAPE = path.join(__dirname, 'escape-on-signal.js');

let replica: Replica | undefined;
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperbot-last-resort-'));
});
afterAll(async () => {
  await replica?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('logs an escaped rejection and keeps serving', async () => {
  replica = await startReplica({
    name: 'last-resort',
    execArgv: ['-r', ESCAPE],
    env: {
      PAPERBOT_DATA_DIR: dataDir,
      NCBI_EUTILS_URL: 'http://127.0.0.1:9',
      CTGOV_API_URL: 'http://127.0.0.1:9',
    },
  });
  const running = replica;
  for (let i = 0; i < 3; i += 1) {
    running.kill('SIGUSR2');
    await until(() => running.logs.filter((l) => l.msg?.includes('escaped a request')).length > i, 10_000);
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
  }
  const logged = running.logs.find((l) => l.msg?.includes('escaped a request'));
  expect(JSON.stringify(logged?.err)).toContain('escaped on purpose');
  expect(running.child.exitCode).toBeNull();
});
