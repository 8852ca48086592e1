// A TCP relay in front of the real Redis on 127.0.0.1:6379 that tests can cut, stall and restore,
// to see how our Redis users behave through an outage without touching the shared server.

import net from 'node:net';

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

export async function startRedisProxy(target = { host: '127.0.0.1', port: 6379 }): Promise<RedisProxy> {
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
