// node:http ⇄ the Agents SDK for POST /api/messages: the token is checked before the body is read, the
// body is size-capped and BOM-tolerant, and a malformed activity gets 400 instead of reaching a handler.

import type http from 'node:http';
import type {
  CloudAdapter,
  Request as SdkRequest,
  TurnContext,
  WebResponse,
} from '@microsoft/agents-hosting';
import type { TeamsConfig } from '../../src/config';
import type { Logger } from '../../src/core/logger';
import { answerRefusal, BodyRefused, type Intake } from '../intake';
import { describeFailure } from './outgoing';
import { serviceUrlProblem } from './service-url';

/** The SDK's response interface (Express-like) over a plain ServerResponse. */
class NodeWebResponse implements WebResponse {
  private code = 200;
  constructor(private readonly res: http.ServerResponse) {}
  status(code: number): this {
    this.code = code;
    return this;
  }
  setHeader(name: string, value: string): this {
    if (!this.res.headersSent) this.res.setHeader(name, value);
    return this;
  }
  send(body?: unknown): this {
    if (this.res.writableEnded) return this;
    let payload = '';
    if (typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!this.res.headersSent && !this.res.hasHeader('content-type'))
        this.res.setHeader('content-type', 'application/json; charset=utf-8');
    }
    this.res.statusCode = this.code;
    this.res.end(payload);
    return this;
  }
  end(): this {
    if (!this.res.writableEnded) {
      this.res.statusCode = this.code;
      this.res.end();
    }
    return this;
  }
  get headersSent(): boolean {
    return this.res.headersSent;
  }
  get writableEnded(): boolean {
    return this.res.writableEnded;
  }
}

function plain(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

/** Only what every Bot Framework activity carries; the SDK validates the rest (zod) and routing does the rest. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the body is not a JSON object';
  const a = body as {
    type?: unknown;
    channelId?: unknown;
    conversation?: { id?: unknown };
    recipient?: { id?: unknown };
    from?: { id?: unknown };
  };
  if (typeof a.type !== 'string' || !a.type) return 'type is missing';
  if (typeof a.channelId !== 'string' || !a.channelId) return 'channelId is missing';
  if (typeof a.conversation?.id !== 'string' || !a.conversation.id) return 'conversation.id is missing';
  if (typeof a.recipient?.id !== 'string' || !a.recipient.id) return 'recipient.id is missing';
  if (typeof a.from?.id !== 'string' || !a.from.id) return 'from.id is missing';
  return undefined;
}

export interface BridgeDeps {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** Reads the body within the replica's budget of unverified bytes and its idle timeout. */
  intake: Intake;
  /**
   * Teams caps a message at about 100 KB counted in UTF-16; in UTF-8 JSON with escapes and the activity's
   * envelope that stays well under 512 KB, the default (TEAMS_MAX_BODY_BYTES).
   */
  maxBodyBytes: number;
  /** Decides where replies may go (./service-url.ts). */
  mode: TeamsConfig['mode'];
}

/** Handles one POST /api/messages from start to finish; never rejects. */
export async function handleActivityRequest(
  deps: BridgeDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    plain(res, 405, 'method not allowed', { allow: 'POST' });
    return;
  }
  const web = new NodeWebResponse(res);
  const sdkRequest: SdkRequest = { headers: req.headers, method: req.method };
  try {
    let authorized = false;
    await deps.adapter.authorizeRequest(sdkRequest, web, () => {
      authorized = true;
    });
    if (!authorized) {
      // The SDK answered (401/405) from the headers alone; the body is never read, and the connection is
      // dropped rather than drained (an unauthenticated body could be large, or trickle in for minutes).
      if (!res.writableEnded) web.end();
      if (res.writableFinished) req.destroy();
      else res.once('finish', () => req.destroy());
      return;
    }
    const raw = await deps.intake.read(req, deps.maxBodyBytes);
    let body: unknown;
    try {
      // Some Teams recordings (and some proxies) start the JSON with a UTF-8 byte-order mark.
      body = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      plain(res, 400, 'the body is not JSON');
      return;
    }
    const problem = activityProblem(body);
    if (problem) {
      deps.logger.info({ problem }, 'teams: malformed activity refused');
      plain(res, 400, `malformed activity: ${problem}`);
      return;
    }
    const misdirected = serviceUrlProblem(
      deps.mode,
      (body as { serviceUrl?: unknown }).serviceUrl,
      sdkRequest.user,
    );
    if (misdirected) {
      deps.logger.warn({ problem: misdirected }, 'teams: activity refused');
      plain(res, 400, `activity refused: ${misdirected}`);
      return;
    }
    sdkRequest.body = body as Record<string, unknown>;
    await deps.adapter.process(sdkRequest, web, deps.logic);
  } catch (error) {
    if (error instanceof BodyRefused) {
      answerRefusal(res, error);
      return;
    }
    const malformed = error instanceof Error && error.name === 'ZodError';
    deps.logger[malformed ? 'info' : 'error'](
      describeFailure(error),
      malformed ? 'teams: malformed activity refused' : 'teams: request failed',
    );
    plain(res, malformed ? 400 : 500, malformed ? 'malformed activity' : 'internal error');
  }
}
