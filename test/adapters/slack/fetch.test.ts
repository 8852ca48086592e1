// slackFetch against a real HTTP server on 127.0.0.1: bodies arrive whole with their content type, answers
// come back as standard Responses, redirects are refused when asked, and aborts reject.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackFetch } from '../../../adapters/slack/fetch';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
      if (req.url === '/limited')
        return void res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' }).end('slow down');
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
});

it('POSTs a JSON string whole, with the caller’s headers, and answers a standard Response', async () => {
  const body = JSON.stringify({ text: 'é'.repeat(50_000) });
  const res = await slackFetch(`${base}/r/T1/x`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' },
    body,
  });
  expect(res).toBeInstanceOf(Response);
  expect(res.ok).toBe(true);
  expect(await res.json()).toEqual({ ok: true });
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
  expect(seen[0]).toMatchObject({ method: 'POST', url: '/r/T1/x', body });
  expect(seen[0]?.headers['content-type']).toBe('application/json');
  expect(seen[0]?.headers['x-test']).toBe('yes');
});

it('sends URLSearchParams as a form, and keeps a 429’s Retry-After', async () => {
  const res = await slackFetch(new URL(`${base}/limited`), {
    method: 'POST',
    body: new URLSearchParams({ channel: 'C1', text: 'a&b' }),
  });
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('7');
  expect(await res.text()).toBe('slow down');
  expect(seen[0]?.body).toBe('channel=C1&text=a%26b');
  expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
});

it('answers 204 with an empty body', async () => {
  const res = await slackFetch(`${base}/empty`, { method: 'POST', body: '{}' });
  expect(res.status).toBe(204);
  expect(await res.text()).toBe('');
});

it('refuses a redirect when told to, and does not follow one otherwise', async () => {
  await expect(
    slackFetch(`${base}/moved`, { method: 'POST', body: '{}', redirect: 'error' }),
  ).rejects.toThrow(/redirect/);
  const res = await slackFetch(`${base}/moved`, { method: 'POST', body: '{}' });
  expect(res.status).toBe(302);
  expect(seen.map((s) => s.url)).toEqual(['/moved', '/moved']);
});

it('rejects when the signal aborts', async () => {
  await expect(
    slackFetch(`${base}/slow`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) }),
  ).rejects.toThrow();
});

it('leaves other bodies to the platform fetch', async () => {
  const res = await slackFetch(`${base}/blob`, { method: 'POST', body: new Blob(['raw bytes']) });
  expect(res.ok).toBe(true);
  expect(seen[0]?.body).toBe('raw bytes');
});
