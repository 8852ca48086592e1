// `paperbot serve`: one node:http server carrying the platform adapters and the health endpoints.
// The composition root above src/main.ts: it alone may join the core graph with chat SDKs.

import http from 'node:http';
import type { Config } from '../src/config';
import type { Deliverer } from '../src/core/deliverer';
import type { Logger } from '../src/core/logger';
import type { Platform } from '../src/core/reply';
import { startDigestScheduler, type DigestScheduler } from '../src/digest';
import { buildCore, type Core } from '../src/main';
import { platformMounts } from './mounts';

/** A platform adapter mounted on the shared server: it takes the requests it recognises. */
export interface Mount {
  name: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** How this platform posts on its own initiative (digests). */
  deliverer?: Deliverer;
}

/** The deliverers of the mounted platforms, keyed by platform, for the digest runner. */
export function deliverersOf(mounts: Mount[]): Partial<Record<Platform, Deliverer>> {
  const deliverers: Partial<Record<Platform, Deliverer>> = {};
  for (const mount of mounts) if (mount.deliverer) deliverers[mount.deliverer.platform] = mount.deliverer;
  return deliverers;
}

export interface RunningServer {
  server: http.Server;
  core: Core;
  port: number;
  close(): Promise<void>;
}

function health(core: Core, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = req.url ?? '/';
  if (url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return true;
  }
  if (url === '/readyz') {
    const counts = core.library.counts();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'ready', cache: core.cache.kind, library: counts }));
    return true;
  }
  return false;
}

export async function startServer(
  config: Config,
  logger: Logger,
  mountsFor: (core: Core) => Promise<Mount[]>,
): Promise<RunningServer> {
  const core = await buildCore(config, logger);
  const mounts = await mountsFor(core);
  const server = http.createServer((req, res) => {
    try {
      if (health(core, req, res)) return;
      for (const mount of mounts) if (mount.handle(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch (error) {
      logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  });
  for (const mount of mounts) await mount.start?.();
  // Digests run inside serve; offline (no PubMed) there is nothing to look up, so no scheduler.
  const scheduler: DigestScheduler | undefined = core.digests.runner
    ? startDigestScheduler(core.digests.runner(deliverersOf(mounts)))
    : undefined;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, mounts: mounts.map((m) => m.name), cache: core.cache.kind }, 'paperbot is listening');
  return {
    server,
    core,
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A digest post in progress finishes (or is cut short and retried by the next run) before the
      // platforms and stores it needs go away.
      await scheduler?.stop();
      for (const mount of mounts) await mount.stop?.();
      await core.close();
    },
  };
}

/** Runs until SIGTERM/SIGINT, then stops accepting, lets in-flight replies finish and exits 0. */
export async function serve(config: Config, logger: Logger): Promise<number> {
  const running = await startServer(config, logger, (core) => platformMounts(config, core, logger));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  logger.info({}, 'shutting down');
  await running.close();
  return 0;
}
