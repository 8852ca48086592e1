// A TCP relay in front of the test run's own Redis that tests can cut, stall and restore,
// to see how our Redis users behave through an outage without touching the shared server.

import net from 'node:net';
import { testRedisUrl } from '../support/redis';

export interface RedisProxy {
  url: string;
  port: number;
  /** Drops every connection and stops listening (Redis "goes down"). */
  cut(): Promise<void>;
  /** Listens again on the same port (Redis "comes back"). */
  restore(): Promise<void>;
  /** Keeps connections open but holds bytes back until un-stalled (a hung peer; nothing is lost). */
  stall(stalled: boolean): void;
  close(): Promise<void>;
}

/** Host and port of the run's own Redis (test/support/redis-run.ts). */
function runRedis(): { host: string; port: number } {
  const url = new URL(testRedisUrl());
  return { host: url.hostname, port: Number(url.port) };
}

export async function startRedisProxy(target = runRedis()): Promise<RedisProxy> {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    const forget = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) client.pause();
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  const port = address.port;
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    cut: stop,
    restore: () => listen(port),
    stall: (value) => {
      stalled = value;
      // Pausing the reading side of each pair holds requests back; they flow on resume, in order.
      for (const socket of sockets) {
        if (value) socket.pause();
        else socket.resume();
      }
    },
    close: stop,
  };
}
