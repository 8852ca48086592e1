// createIntake's byte budget on a real node:http server: every way a body can end (whole, too large, refused
// for the budget, cut by the client, stalled) gives its bytes back, or one leak would refuse everyone for good.

import http from 'node:http';
import net from 'node:net';
import { createIntake, BodyRefused, type Intake } from '../../adapters/intake';

const BUDGET = 64 * 1024;
const MAX = 32 * 1024;
let intake: Intake;
let server: http.Server;
let port = 0;
/** How each request's read ended: its length, or the refusal. */
const outcomes: string[] = [];

beforeAll(async () => {
  intake = createIntake({ unverifiedBytes: BUDGET, bodyIdleMs: 200 });
  server = http.createServer((req, res) => {
    intake.read(req, MAX).then(
      (body) => {
        outcomes.push(`read ${body.length}`);
        res.end('ok');
      },
      (error: unknown) => {
        outcomes.push(error instanceof BodyRefused ? error.reason : 'other');
        res.writeHead(error instanceof BodyRefused ? error.status : 500, { connection: 'close' }).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  outcomes.length = 0;
});

/** Writes a request head and `body` on a fresh connection; the socket, and a promise of its close. */
function send(length: number, body: string): { socket: net.Socket; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.resume();
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n${body}`);
  return { socket, closed };
}

const settled = async (count: number): Promise<void> => {
  while (outcomes.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
};

it('holds a body’s bytes only while it is read', async () => {
  const { closed } = send(1000, 'a'.repeat(1000));
  await closed;
  expect(outcomes).toEqual(['read 1000']);
  expect(intake.held()).toBe(0);
});

it('gives back the bytes of a body refused as too large, declared or discovered', async () => {
  await send(MAX + 1, '').closed;
  const chunked = net.connect(port, '127.0.0.1');
  chunked.on('error', () => undefined);
  chunked.resume();
  chunked.write('POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
  const piece = 'b'.repeat(8 * 1024);
  for (let i = 0; i < 5; i += 1) chunked.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
  await settled(2);
  chunked.destroy();
  expect(outcomes).toEqual(['too_large', 'too_large']);
  expect(intake.held()).toBe(0);
});

it('gives back the bytes of bodies the client abandons, or lets stall', async () => {
  const abandoned = send(20_000, 'c'.repeat(10_000));
  const stalled = send(20_000, 'd'.repeat(10_000));
  for (let waited = 0; intake.held() < 20_000 && waited < 2000; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(intake.held()).toBe(20_000);
  abandoned.socket.destroy();
  await settled(2);
  expect(outcomes.sort()).toEqual(['aborted', 'idle']);
  stalled.socket.destroy();
  expect(intake.held()).toBe(0);
});

it('refuses for the budget, then takes bodies again once it is free', async () => {
  const holders = [0, 1, 2].map(() => send(30_000, 'e'.repeat(25_000)));
  await settled(1);
  expect(outcomes).toEqual(['busy']);
  await settled(3);
  expect(outcomes.slice(1)).toEqual(['idle', 'idle']);
  for (const h of holders) h.socket.destroy();
  expect(intake.held()).toBe(0);
  await send(100, 'f'.repeat(100)).closed;
  expect(outcomes[3]).toBe('read 100');
});
