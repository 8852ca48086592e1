// `paperbot serve` as separate processes, as a cluster runs it: each replica is a child process started from
// source with its own environment, its JSON log lines collected, stopped by signal. Nothing of ours is mocked.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(__dirname, 'serve-main.ts');

export interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Replica {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Every JSON line it logged so far; `text` keeps anything else it wrote to stderr. */
  logs: LogLine[];
  text: string[];
  exited: Promise<Exit>;
  /** Sends SIGTERM and waits for the exit; `ms` is how long the stop took. */
  stop(): Promise<Exit & { ms: number }>;
  kill(signal: NodeJS.Signals): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ReplicaOptions {
  name: string;
  /** PAPERBOT_*, NCBI_*, SLACK_*, REDIS_URL…; PORT is chosen here unless given. */
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /**
   * A directory laid out like the container's /app (bin/, dist/, node_modules, data/seed): the replica then
   * runs the compiled `node bin/paperbot.js serve`, as production does. From source (swc) by default.
   */
  appDir?: string;
  /** Node's own flags before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  execArgv?: string[];
}

/** Starts one replica and resolves once its /healthz answers. */
export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const port = Number(o.env.PORT ?? (await freePort()));
  const args = [
    ...(o.execArgv ?? []),
    ...(o.appDir
      ? [path.join(o.appDir, 'bin', 'paperbot.js'), 'serve']
      : ['-r', '@swc-node/register', MAIN, 'serve']),
  ];
  const child = spawn(process.execPath, args, {
    cwd: o.appDir ?? ROOT,
    // Only what the test says: a developer's own REDIS_URL or SLACK_* must not leak in.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'info',
      // No replica test reaches a real signal service (Europe PMC, Unpaywall, Crossref).
      EUROPEPMC_API_URL: 'off',
      UNPAYWALL_API_URL: 'off',
      CROSSREF_API_URL: 'off',
      ...o.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: LogLine[] = [];
  const text: string[] = [];
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let buffered = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        text.push(line);
      }
    }
  });
  // Whatever LOG_LEVEL says, /healthz answering is what "started" means (as for a container's HEALTHCHECK).
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  let gone: Exit | undefined;
  void exited.then((exit) => (gone = exit));
  for (;;) {
    if (gone)
      throw new Error(
        `replica ${o.name} exited before listening (${JSON.stringify(gone)}): ${text.join('\n')}`,
      );
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`replica ${o.name} not answering /healthz in time`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    name: o.name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    logs,
    text,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const exit = await exited;
      return { ...exit, ms: Date.now() - started };
    },
  };
}

/** Stops every replica still running (SIGKILL after `graceMs`), for afterAll. */
export async function stopAll(replicas: Replica[], graceMs = 12_000): Promise<void> {
  await Promise.all(
    replicas.map(async (r) => {
      if (r.child.exitCode !== null || r.child.signalCode !== null) return;
      r.kill('SIGTERM');
      const timer = setTimeout(() => r.kill('SIGKILL'), graceMs);
      await r.exited;
      clearTimeout(timer);
    }),
  );
}
