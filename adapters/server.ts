// The composition root of `paperbot serve`: the core graph (src/main.ts), the platforms (mounts.ts, platform.ts),
// operator endpoints and digest scheduler on one node:http server, stopped gracefully. Only it joins core and SDKs.

import http from 'node:http';
import { httpLimits, type Config, type HttpLimits } from '../src/config';
import { systemClock, within } from '../src/core/clock';
import type { Logger } from '../src/core/logger';
import { startDigestScheduler, type DigestScheduler } from '../src/digest';
import { startWatchScheduler, type WatchScheduler } from '../src/watch';
import { buildCore, type Core, type CoreOptions } from '../src/main';
import { createPromMetrics, type PromMetrics } from '../src/metrics';
import { handleExport } from './exports';
import { handleHealth } from './health';
import { createIntake, type Intake } from './intake';
import { keepServingOnRejection } from './last-resort';
import { platformMounts } from './mounts';
import { deliverersOf, type Mount } from './platform';
import { createRequestScope, requestIdOf, scopedLogger } from './request-context';

export interface RunningServer {
  server: http.Server;
  core: Core;
  prom: PromMetrics;
  port: number;
  /** Stops accepting, finishes requests, replies and digest posts in flight, then releases everything. */
  close(): Promise<void>;
}

export interface ServerOptions {
  core?: Omit<CoreOptions, 'metrics'>;
  /** Export Node's process metrics too (on by default; tests that start many servers turn it off). */
  processMetrics?: boolean;
  /** Longest the stop waits for HTTP requests in flight before closing their connections. */
  drainMs?: number;
}

const DEFAULT_DRAIN_MS = 3000;

/**
 * Slow clients are cut within seconds: Slack and the Bot Connector send whole requests at once from nearby data
 * centres, so only an attacker (or a broken proxy) takes longer, and each open request holds memory.
 */
function serverOptions(limits: HttpLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default), so it bounds how late they fire.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
}

export async function startServer(
  config: Config,
  baseLogger: Logger,
  mountsFor: (core: Core, logger: Logger, intake: Intake) => Promise<Mount[]>,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const limits = httpLimits(config);
  const clock = options.core?.clock ?? systemClock;
  const scope = createRequestScope();
  const logger = scopedLogger(baseLogger, scope);
  const prom = createPromMetrics({ processMetrics: options.processMetrics ?? true });
  const core = await buildCore(config, logger, { ...options.core, metrics: prom.metrics });
  // One budget of unverified body bytes for the whole replica, whichever platform the bytes are for.
  const mounts = await mountsFor(core, logger, createIntake(limits));
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const health = { core, prom, clock, isStopping: () => stopping };

  const server = http.createServer(serverOptions(limits), (req, res) => {
    const reqId = requestIdOf(req);
    const started = clock.now();
    let route = 'not_found';
    inFlight += 1;
    res.setHeader('x-request-id', reqId);
    // Keep-alive connections would otherwise outlive the stop; each answer after it closes its connection.
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight -= 1;
      prom.metrics.httpRequest({ route, status: res.statusCode, ms: clock.now() - started });
      if (res.statusCode >= 500) logger.warn({ reqId, route, status: res.statusCode }, 'request failed');
      if (stopping && inFlight === 0) drained?.();
    });
    scope.run(reqId, () => {
      try {
        const operator = handleHealth(health, req, res);
        if (operator) {
          route = operator;
          return;
        }
        const download = handleExport(core.watch.exportLinks, logger, req, res);
        if (download) {
          route = download;
          return;
        }
        for (const mount of mounts)
          if (mount.handle(req, res)) {
            route = mount.name;
            return;
          }
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      } catch (error) {
        route = 'error';
        logger.error(
          { err: error, method: req.method, path: (req.url ?? '').split('?', 1)[0] },
          'request failed',
        );
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      }
    });
  });

  for (const mount of mounts) await mount.start?.();
  // Digests run inside serve; offline (no PubMed) there is nothing to look up, so no scheduler.
  const scheduler: DigestScheduler | undefined = core.digests.runner
    ? startDigestScheduler(core.digests.runner(deliverersOf(mounts)), {
        onRun: (report) => prom.metrics.digestRun(report),
      })
    : undefined;
  // The watcher re-checks shared cards on WATCH_SCHEDULE; offline, or with WATCH_SCHEDULE=off, it does not run.
  const watcher: WatchScheduler | undefined =
    core.watch.runner && core.watch.schedule
      ? startWatchScheduler(core.watch.runner(deliverersOf(mounts)), { schedule: core.watch.schedule })
      : undefined;
  await new Promise<void>((resolve) => server.listen(config.port, config.listenHost, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, mounts: mounts.map((m) => m.name), store: core.store.kind }, 'paperbot is listening');

  /** Resolves when no request is in flight, or after `ms` (their connections are then cut). */
  async function drainRequests(ms: number): Promise<void> {
    if (inFlight === 0) return;
    await within(clock, new Promise<void>((resolve) => (drained = resolve)), ms, undefined);
    if (inFlight > 0) logger.warn({ inFlight }, 'requests still open at shutdown; closing their connections');
  }

  let closing: Promise<void> | undefined;
  return {
    server,
    core,
    prom,
    port,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // The scheduler stops ticking at once; a digest post in progress finishes and its claim is released.
        const schedulerStopped = Promise.all([scheduler?.stop(), watcher?.stop()]);
        await drainRequests(options.drainMs ?? DEFAULT_DRAIN_MS);
        server.closeAllConnections();
        await closed;
        // No new requests can arrive now: let each platform deliver the replies it still owes.
        await Promise.all(mounts.map((mount) => mount.stop?.()));
        await schedulerStopped;
        await core.close();
      })();
      return closing;
    },
  };
}

/** Longer than any orderly stop takes; past it the process exits non-zero rather than hang a deploy. */
const STOP_DEADLINE_MS = 9500;

/** Runs until SIGTERM/SIGINT, then stops gracefully and resolves 0 (1 if the stop overran its deadline). */
export async function serve(config: Config, logger: Logger): Promise<number> {
  keepServingOnRejection(process, logger);
  const running = await startServer(config, logger, (core, scoped, intake) =>
    platformMounts(config, core, scoped, intake),
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal }, 'shutting down: no new requests; finishing replies and digest posts');
  const started = systemClock.now();
  const watchdog = setTimeout(() => {
    logger.error({ ms: STOP_DEADLINE_MS }, 'shutdown overran its deadline; exiting now');
    process.exit(1);
  }, STOP_DEADLINE_MS);
  watchdog.unref();
  const again = (): void => {
    logger.warn({}, 'second signal: exiting without finishing');
    process.exit(1);
  };
  process.once('SIGTERM', again);
  process.once('SIGINT', again);
  await running.close();
  clearTimeout(watchdog);
  logger.info({ ms: systemClock.now() - started }, 'stopped');
  return 0;
}
