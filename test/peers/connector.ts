// A fake Microsoft Bot Connector (Teams' serviceUrl) on 127.0.0.1: records POST /v3/conversations/{id}/activities
// and replies to an activity id (201 {"id"}, as Teams answers), PUT of an activity (an edit: 200 {"id"}), and can
// refuse on cue (403, 404, 429 …).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorRequest {
  method: string;
  /** The path after the serviceUrl prefix, e.g. "/v3/conversations/a%3A1/activities". */
  path: string;
  conversationId: string;
  /** Set for POST /v3/conversations/{id}/activities/{activityId} (a reply to that activity), and for a PUT (the edited one). */
  replyToActivityId?: string;
  authorization?: string;
  /** The activity as sent (parsed JSON). */
  activity: Record<string, unknown>;
  /** The id this fake answered with; absent when it refused. */
  answeredId?: string;
  /** performance.now() when the request arrived (benchmarks time replies with it). */
  receivedAt: number;
  status: number;
}

export interface Refusal {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeConnector {
  /** A serviceUrl as Teams sends it: with a region path and a trailing slash. */
  serviceUrl: string;
  requests: ConnectorRequest[];
  /** Recorded activities of a type ('message' by default) in arrival order. */
  sent(type?: string): ConnectorRequest[];
  /** The next message posts are refused with these answers, one each, then normal service resumes (typing is always acknowledged). */
  refuse(plan: Refusal[]): void;
  /** Added before every answer. */
  delayMs: number;
  reset(): void;
  close(): Promise<void>;
}

/** Error bodies in the Bot Connector's shape ({error:{code,message}}), as Teams documents them. */
const ERROR_BODIES: Record<number, { code: string; message: string }> = {
  400: { code: 'BadArgument', message: 'Malformed activity.' },
  401: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' },
  403: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
  404: { code: 'ConversationNotFound', message: 'Conversation not found.' },
  413: { code: 'MessageSizeTooBig', message: 'Message size too large.' },
  429: { code: 'ThrottledRequest', message: 'Too many requests.' },
  502: { code: 'ServiceError', message: 'Bad gateway.' },
};

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export async function startFakeConnector(
  o: { region?: string; delayMs?: number } = {},
): Promise<FakeConnector> {
  const region = o.region ?? 'amer';
  const requests: ConnectorRequest[] = [];
  let plan: Refusal[] = [];
  let nextId = 1767326091220;
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  const fake: FakeConnector = {
    serviceUrl: '',
    requests,
    sent: (type = 'message') => requests.filter((r) => r.activity.type === type),
    refuse(p) {
      plan.push(...p);
    },
    delayMs: o.delayMs ?? 0,
    reset() {
      requests.length = 0;
      plan = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = `/${region}`;
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
      const route = ROUTE.exec(path);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
          .end(JSON.stringify(value));
      };
      if ((req.method !== 'POST' && req.method !== 'PUT') || !route)
        return json(404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
      let activity: Record<string, unknown>;
      try {
        activity = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return json(400, { error: ERROR_BODIES[400] });
      }
      await wait(fake.delayMs);
      const recorded: ConnectorRequest = {
        method: req.method,
        path,
        conversationId: decode(route[1] ?? ''),
        ...(route[2] ? { replyToActivityId: decode(route[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity,
        status: 201,
        receivedAt: performance.now(),
      };
      requests.push(recorded);
      const refusal = activity.type === 'typing' ? undefined : plan.shift();
      if (refusal) {
        recorded.status = refusal.status;
        return json(
          refusal.status,
          refusal.body ?? { error: ERROR_BODIES[refusal.status] ?? { code: 'Error', message: 'Refused.' } },
          refusal.headers,
        );
      }
      // Typing indicators are acknowledged without an id; messages get Teams' numeric message id; an edit keeps its id.
      if (activity.type === 'typing') return json(200, {});
      if (req.method === 'PUT') {
        recorded.status = 200;
        recorded.answeredId = decode(route[2] ?? '');
        return json(200, { id: recorded.answeredId });
      }
      nextId += 1;
      recorded.answeredId = String(nextId);
      return json(201, { id: recorded.answeredId });
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.serviceUrl = `http://127.0.0.1:${port}/${region}/`;
  return fake;
}
