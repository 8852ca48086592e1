// A fake Slack on 127.0.0.1: the Web API (form or JSON POSTs to /api/<method>, answered like Slack with
// {ok:…} bodies, 429 + Retry-After, ok:false error codes) and a capture server standing in for response_url.
// It records what paperbot sent; it never uses our own code.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  /** Form fields, with JSON-looking values (blocks, unfurls, view) parsed, or the JSON body. */
  params: Record<string, unknown>;
  /** From "Authorization: Bearer …" or a `token` field. */
  token?: string;
  at: number;
}

export interface CapturedResponse {
  /** Which response_url was used ("/r/<id>"). */
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** One scripted answer: an ok:false error, an HTTP status (429 gets Retry-After), or a hang. */
export interface SlackFailStep {
  error?: string;
  status?: number;
  retryAfter?: number;
  hangMs?: number;
}

export interface FakeSlackOptions {
  /** Bot tokens auth.test and every method accept; others get invalid_auth. */
  tokens?: string[];
  /** What oauth.v2.access hands out for any code. */
  install?: { teamId: string; botToken: string; botUserId: string };
}

export interface FakeSlack {
  /** The Web API base to put in SLACK_API_URL, like https://slack.com/api. */
  apiUrl: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Queues answers for a method; each call takes one step, then normal service resumes. */
  fail(method: string, steps: SlackFailStep[]): void;
  /** A fresh response_url on the capture server. */
  responseUrl(id?: string): string;
  responses: CapturedResponse[];
  responsesTo(url: string): CapturedResponse[];
  /** Resolves when the next answer to `url` arrives (or with one already there); no polling. */
  nextResponse(url: string, timeoutMs?: number): Promise<CapturedResponse>;
  /** Status the capture server answers (Slack answers 404 for an expired response_url). */
  responseStatus: number;
  /** Resolves with the first non-undefined value of `probe`, polling; rejects after `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_TEAM = { id: 'T00FAKE00BB', name: 'Acme Oncology' };
export const FAKE_BOT = { userId: 'U00FAKEBOT03', botId: 'B00FAKEBOT03' };

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json'))
    return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const looksJson = /^[[{]/.test(value);
    try {
      params[key] = looksJson ? JSON.parse(value) : value;
    } catch {
      params[key] = value;
    }
  }
  return params;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'x-slack-req-id': Math.random().toString(16).slice(2),
    ...headers,
  });
  res.end(text);
}

function answer(
  method: string,
  params: Record<string, unknown>,
  o: FakeSlackOptions,
  nextTs: () => string,
): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://acme-oncology.slack.com/',
        team: FAKE_TEAM.name,
        user: 'paperbot',
        team_id: FAKE_TEAM.id,
        user_id: FAKE_BOT.userId,
        bot_id: FAKE_BOT.botId,
        is_enterprise_install: false,
      };
    case 'chat.postMessage': {
      const ts = nextTs();
      return {
        ok: true,
        channel: params.channel,
        ts,
        message: { type: 'message', bot_id: FAKE_BOT.botId, ts, text: params.text, blocks: params.blocks },
      };
    }
    case 'chat.postEphemeral':
      return { ok: true, message_ts: nextTs() };
    case 'chat.unfurl':
      return { ok: true };
    case 'views.publish':
      return {
        ok: true,
        view: {
          id: 'V00FAKEVIEW1',
          team_id: FAKE_TEAM.id,
          type: 'home',
          blocks: (params.view as { blocks?: unknown })?.blocks,
        },
      };
    case 'oauth.v2.access': {
      const install = o.install ?? {
        teamId: FAKE_TEAM.id,
        botToken: 'xoxb-installed-token',
        botUserId: FAKE_BOT.userId,
      };
      return {
        ok: true,
        app_id: 'A00FAKEAPP03',
        authed_user: { id: 'U00FAKEUSER2' },
        scope: 'commands,chat:write,chat:write.public,links:read,links:write',
        token_type: 'bot',
        access_token: install.botToken,
        bot_user_id: install.botUserId,
        team: { id: install.teamId, name: FAKE_TEAM.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

const NO_TOKEN_NEEDED = new Set(['oauth.v2.access']);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: CapturedResponse[] = [];
  const plans = new Map<string, SlackFailStep[]>();
  const timers = new Set<NodeJS.Timeout>();
  const waiting = new Map<string, (r: CapturedResponse) => void>();
  let responseCounter = 0;
  let tsCounter = 0;
  const nextTs = (): string => `1767326126.${String((tsCounter += 1)).padStart(6, '0')}`;

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/r/')) {
        const captured = {
          path: url.pathname,
          body: body ? (JSON.parse(body) as Record<string, unknown>) : {},
          at: Date.now(),
        };
        responses.push(captured);
        waiting.get(url.pathname)?.(captured);
        waiting.delete(url.pathname);
        res
          .writeHead(fake.responseStatus, { 'content-type': 'text/plain' })
          .end(fake.responseStatus === 200 ? 'ok' : 'expired_url');
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const params = parseParams(body, String(req.headers['content-type'] ?? ''));
      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
      calls.push({ method, params, ...(token ? { token } : {}), at: Date.now() });
      const step = plans.get(method)?.shift();
      if (step?.hangMs) await new Promise<void>((r) => timers.add(setTimeout(r, step.hangMs)));
      if (step?.status === 429)
        return send(
          res,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(step.retryAfter ?? 1) },
        );
      if (step?.status) return send(res, step.status, { ok: false, error: 'fatal_error' });
      if (step?.error) return send(res, 200, { ok: false, error: step.error });
      // Recorded: Slack answers a call without a token with HTTP 200 {"ok":false,"error":"not_authed"}.
      if (!token && !NO_TOKEN_NEEDED.has(method)) return send(res, 200, { ok: false, error: 'not_authed' });
      if (token && options.tokens && !options.tokens.includes(token) && !NO_TOKEN_NEEDED.has(method))
        return send(res, 200, { ok: false, error: 'invalid_auth' });
      return send(res, 200, answer(method, params, options, nextTs));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const fake: FakeSlack = {
    apiUrl: `${base}/api`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    fail(method, steps) {
      plans.set(method, [...(plans.get(method) ?? []), ...steps]);
    },
    responseUrl(id) {
      responseCounter += 1;
      return `${base}/r/${id ?? `T00FAKE00BB/${responseCounter}/fake`}`;
    },
    responses,
    responsesTo: (u) => responses.filter((r) => u.endsWith(r.path)),
    nextResponse(u, timeoutMs = 30_000) {
      const path = new URL(u).pathname;
      const already = responses.find((r) => r.path === path);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          timers.delete(t);
          waiting.delete(path);
          reject(new Error(`fake Slack: no answer at ${path} within ${timeoutMs} ms`));
        }, timeoutMs);
        timers.add(t);
        waiting.set(path, (r) => {
          clearTimeout(t);
          timers.delete(t);
          resolve(r);
        });
      });
    },
    responseStatus: 200,
    async waitFor(probe, timeoutMs = 5000) {
      const started = Date.now();
      for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() - started > timeoutMs)
          throw new Error(`fake Slack: nothing arrived within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            timers.delete(t);
            r();
          }, 10);
          timers.add(t);
        });
      }
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      plans.clear();
      fake.responseStatus = 200;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
