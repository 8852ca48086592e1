// A fake Slack on 127.0.0.1: the Web API (form or JSON POSTs to /api/<method>, answered like Slack with
// {ok:…} bodies, 429 + Retry-After, ok:false error codes) and a capture server standing in for response_url.
// It records what paperbot sent and keeps each channel's messages (conversations.history); none of our code.

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

/** What the user saw answer a command: the ack's own message, or the first one sent to its response_url. */
export interface CommandAnswer extends CapturedResponse {
  via: 'ack' | 'response_url';
}

/** An ack that is the answer itself carries blocks; "Searching…" and "busy" acks are text only. */
function answerInAck(ackBody: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(ackBody);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      Array.isArray((parsed as { blocks?: unknown }).blocks)
    )
      return parsed as Record<string, unknown>;
  } catch {
    // An empty or plain-text ack is no answer.
  }
  return undefined;
}

/** One scripted answer: an ok:false error, an HTTP status (429 gets Retry-After), or a hang before or after. */
export interface SlackFailStep {
  error?: string;
  status?: number;
  retryAfter?: number;
  hangMs?: number;
  /** Carries the call out (a post is in the channel), then holds the answer back this long. */
  acceptThenHangMs?: number;
}

export interface FakeSlackOptions {
  /** Bot tokens auth.test and every method accept; others get invalid_auth. */
  tokens?: string[];
  /** What oauth.v2.access hands out for any code. */
  install?: { teamId: string; botToken: string; botUserId: string };
  /** Epoch ms that message ts values are made from (a test's clock); the real time by default. */
  now?: () => number;
}

/** A message as conversations.history returns it. */
export interface SlackMessage {
  type: 'message';
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set on a reply in a thread: the parent's ts (and on the parent itself, as Slack does once it has replies). */
  thread_ts?: string;
  /** Set by chat.update. */
  edited?: { user: string; ts: string };
}

export interface FakeSlack {
  /** The Web API base to put in SLACK_API_URL, like https://slack.com/api. */
  apiUrl: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Queues answers for a method; each call takes one step, then normal service resumes. */
  fail(method: string, steps: SlackFailStep[]): void;
  /** What a channel holds, oldest first: the posts paperbot made there and any added by the test. */
  messagesIn(channel: string): SlackMessage[];
  /** Puts a message from someone else (a person, another app) into a channel, stamped now; returns its ts. */
  addMessage(channel: string, message: Omit<SlackMessage, 'type' | 'ts'>): string;
  /** A fresh response_url on the capture server. */
  responseUrl(id?: string): string;
  responses: CapturedResponse[];
  responsesTo(url: string): CapturedResponse[];
  /** Resolves when the next answer to `url` arrives (or with one already there); no polling. */
  nextResponse(url: string, timeoutMs?: number): Promise<CapturedResponse>;
  /** The answer to a command whose ack body was `ackBody` and whose response_url is `url`. */
  answerTo(url: string, ackBody: string, timeoutMs?: number): Promise<CommandAnswer>;
  /** Status the capture server answers (Slack answers 404 for an expired response_url). */
  responseStatus: number;
  /**
   * Most messages one conversations.history page returns, whatever `limit` asks: 999 as Slack documents
   * (the default), 15 for apps distributed outside the Slack Marketplace (Slack's May 2025 limits).
   */
  historyPageMax: number;
  /** Files uploaded through files.uploadV2 (getUploadURLExternal → upload URL → completeUploadExternal). */
  files: UploadedFile[];
  /** Resolves with the first non-undefined value of `probe`, polling; rejects after `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

/** One file as files.uploadV2 left it: what getUploadURLExternal was told, the bytes, and where it was shared. */
export interface UploadedFile {
  id: string;
  filename: string;
  length: number;
  /** The raw body POSTed to the upload URL (the SDK sends the bytes as multipart form data), as text… */
  body?: string;
  /** …and as the bytes themselves, for binary files (a PNG chart). */
  bytes?: Buffer;
  contentType?: string;
  title?: string;
  channel?: string;
  initialComment?: string;
  completed: boolean;
}

export const FAKE_TEAM = { id: 'T00FAKE00BB', name: 'Acme Oncology' };
export const FAKE_BOT = { userId: 'U00FAKEBOT03', botId: 'B00FAKEBOT03' };
const FAKE_APP_ID = 'A00FAKEAPP03';

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
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

/** A ts as microseconds since the epoch, for ordering and for `oldest`/`latest` (".5" means .500000). */
function tsMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/** Posting to a user id goes to the app's DM with them (the Messages tab), which has a D… id. */
function conversationOf(channel: string): string {
  return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel.slice(1)}` : channel;
}

/**
 * conversations.history as Slack answers it: newest first, `oldest`/`latest` exclusive unless `inclusive`,
 * `limit` capped by the page maximum, an opaque cursor, metadata only with include_all_metadata.
 */
function history(
  params: Record<string, unknown>,
  stored: SlackMessage[],
  pageMax: number,
): Record<string, unknown> {
  const inclusive = String(params.inclusive) === 'true';
  const after = params.oldest === undefined ? -Infinity : tsMicros(String(params.oldest));
  const before = params.latest === undefined ? Infinity : tsMicros(String(params.latest));
  const inRange = stored
    .filter((m) => {
      const at = tsMicros(m.ts);
      return (inclusive ? at >= after : at > after) && (inclusive ? at <= before : at < before);
    })
    .reverse();
  let offset = 0;
  if (params.cursor !== undefined && params.cursor !== '') {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(params.cursor), 'base64').toString('utf8'));
    if (!decoded) return { ok: false, error: 'invalid_cursor' };
    offset = Number(decoded[1]);
  }
  const limit = Math.min(Number(params.limit ?? 100) || 100, pageMax);
  const page = inRange.slice(offset, offset + limit);
  const more = offset + limit < inRange.length;
  const withMetadata = String(params.include_all_metadata) === 'true';
  return {
    ok: true,
    messages: page.map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m)),
    has_more: more,
    pin_count: 0,
    response_metadata: {
      next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '',
    },
  };
}

function answer(
  method: string,
  params: Record<string, unknown>,
  o: FakeSlackOptions,
  nextTs: () => string,
  channels: Map<string, SlackMessage[]>,
  historyPageMax: number,
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
      const channel = conversationOf(String(params.channel));
      const metadata = params.metadata as SlackMessage['metadata'];
      const message: SlackMessage = {
        type: 'message',
        ts,
        text: typeof params.text === 'string' ? params.text : '',
        user: FAKE_BOT.userId,
        bot_id: FAKE_BOT.botId,
        app_id: FAKE_APP_ID,
        ...(params.blocks ? { blocks: params.blocks } : {}),
        ...(metadata ? { metadata } : {}),
        ...(typeof params.thread_ts === 'string' ? { thread_ts: params.thread_ts } : {}),
      };
      const stored = channels.get(channel) ?? [];
      if (message.thread_ts !== undefined) {
        const parent = stored.find((m) => m.ts === message.thread_ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        parent.thread_ts ??= parent.ts;
      }
      channels.set(channel, [...stored, message]);
      const { metadata: _kept, ...echoed } = message;
      return { ok: true, channel, ts, message: echoed };
    }
    case 'conversations.history':
      // Replies stay in their thread; history lists only top-level messages, as Slack does.
      return history(
        params,
        (channels.get(String(params.channel)) ?? []).filter(
          (m) => m.thread_ts === undefined || m.thread_ts === m.ts,
        ),
        historyPageMax,
      );
    case 'conversations.replies': {
      const stored = channels.get(String(params.channel)) ?? [];
      const ts = String(params.ts);
      if (!stored.some((m) => m.ts === ts)) return { ok: false, error: 'thread_not_found' };
      // The parent first, then its replies, oldest first (conversations.replies' order).
      const thread = stored.filter((m) => m.ts === ts || m.thread_ts === ts);
      const page = history(params, thread, historyPageMax);
      return { ...page, messages: [...((page.messages as SlackMessage[]) ?? [])].reverse() };
    }
    case 'chat.update': {
      const stored = channels.get(String(params.channel)) ?? [];
      const message = stored.find((m) => m.ts === String(params.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      if (message.bot_id !== FAKE_BOT.botId) return { ok: false, error: 'cant_update_message' };
      if (typeof params.text === 'string') message.text = params.text;
      if (params.blocks) message.blocks = params.blocks;
      message.edited = { user: FAKE_BOT.userId, ts: nextTs() };
      return { ok: true, channel: params.channel, ts: message.ts, text: message.text };
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
        app_id: FAKE_APP_ID,
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
  const channels = new Map<string, SlackMessage[]>();
  const now = options.now ?? Date.now;
  const files: UploadedFile[] = [];
  // Unique and increasing, from the (test's) clock: the seconds of now, a counter for the fraction.
  let tsCounter = 0;
  const nextTs = (): string =>
    `${Math.floor(now() / 1000)}.${String((tsCounter = (tsCounter + 1) % 1e6)).padStart(6, '0')}`;

  const server = http.createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const body = raw.toString('utf8');
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
      // The upload URL files.getUploadURLExternal hands out (files.slack.com/upload/v1/… at Slack): 200 "OK - <length>".
      if (url.pathname.startsWith('/upload/')) {
        const file = files.find((f) => f.id === url.pathname.slice('/upload/'.length));
        if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        file.body = body;
        file.bytes = raw;
        file.contentType = String(req.headers['content-type'] ?? '');
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${body.length}`);
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
      const answered =
        method === 'files.getUploadURLExternal' || method === 'files.completeUploadExternal'
          ? upload(method, params)
          : answer(method, params, options, nextTs, channels, fake.historyPageMax);
      // Done on Slack's side, but the caller hears nothing for a while (or never: a crash lands in between).
      if (step?.acceptThenHangMs)
        await new Promise<void>((r) => timers.add(setTimeout(r, step.acceptThenHangMs)));
      return send(res, 200, answered);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  /** The two Web API steps of files.uploadV2, as Slack documents them; the file message lands in the channel. */
  function upload(method: string, params: Record<string, unknown>): Record<string, unknown> {
    if (method === 'files.getUploadURLExternal') {
      const length = Number(params.length);
      if (typeof params.filename !== 'string' || !Number.isInteger(length) || length < 1)
        return { ok: false, error: 'invalid_arguments' };
      const id = `F0FAKE${String(files.length + 1).padStart(5, '0')}`;
      files.push({ id, filename: params.filename, length, completed: false });
      return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
    }
    const listed = (typeof params.files === 'string' ? JSON.parse(params.files) : params.files) as
      { id: string; title?: string }[] | undefined;
    const done: Record<string, unknown>[] = [];
    for (const entry of listed ?? []) {
      const file = files.find((f) => f.id === entry.id);
      if (!file || file.body === undefined) return { ok: false, error: 'file_not_found' };
      file.completed = true;
      if (entry.title) file.title = entry.title;
      if (typeof params.channel_id === 'string') {
        file.channel = params.channel_id;
        const text = typeof params.initial_comment === 'string' ? params.initial_comment : '';
        if (text) file.initialComment = text;
        const message: SlackMessage = {
          type: 'message',
          ts: nextTs(),
          text,
          user: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
        };
        channels.set(params.channel_id, [...(channels.get(params.channel_id) ?? []), message]);
      }
      done.push({ id: file.id, title: file.title ?? file.filename, name: file.filename });
    }
    return { ok: true, files: done };
  }

  const fake: FakeSlack = {
    apiUrl: `${base}/api`,
    calls,
    files,
    callsTo: (method) => calls.filter((c) => c.method === method),
    fail(method, steps) {
      plans.set(method, [...(plans.get(method) ?? []), ...steps]);
    },
    messagesIn: (channel) => [...(channels.get(channel) ?? [])],
    addMessage(channel, message) {
      const ts = nextTs();
      channels.set(channel, [...(channels.get(channel) ?? []), { type: 'message', ts, ...message }]);
      return ts;
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
    async answerTo(u, ackBody, timeoutMs) {
      const inAck = answerInAck(ackBody);
      if (inAck) return { path: new URL(u).pathname, body: inAck, at: Date.now(), via: 'ack' };
      return { ...(await fake.nextResponse(u, timeoutMs)), via: 'response_url' };
    },
    responseStatus: 200,
    historyPageMax: 999,
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
      files.length = 0;
      calls.length = 0;
      responses.length = 0;
      plans.clear();
      channels.clear();
      fake.responseStatus = 200;
      fake.historyPageMax = 999;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
