// The Slack events door, before Bolt and before shed.ts: a signed request must carry a finite timestamp within
// five minutes either way, must not be an exact replay, and must parse to an object; Bolt does everything else.

import type http from 'node:http';
import { HTTPModuleFunctions, defaultBodyLimit, type BufferedIncomingMessage } from '@slack/bolt';
import type { Clock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import type { Claims } from './request-claims';

/** Slack's own rule: a request whose timestamp differs from now by more than five minutes is refused. */
export const TIMESTAMP_WINDOW_MS = 5 * 60_000;
/**
 * A timestamp is accepted from five minutes before it to five minutes after it, so one signature can come
 * back for ten minutes; it is remembered that long.
 */
export const REPLAY_MEMORY_MS = 2 * TIMESTAMP_WINDOW_MS;

export interface DoorDeps {
  signingSecret: string;
  clock: Clock;
  claims: Claims;
  logger: Logger;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * Seconds since the epoch as Slack writes them: digits only. `Number()` would also take "Infinity", "1e9",
 * " 0x10 " and "", and an infinite timestamp never goes stale.
 */
export function timestampProblem(raw: string | undefined, nowMs: number): string | undefined {
  if (raw === undefined) return undefined; // unsigned: verification refuses it (or it is Slack's ssl_check)
  if (!/^[0-9]{1,12}$/.test(raw)) return 'timestamp is not an integer';
  if (Math.abs(Number(raw) * 1000 - nowMs) > TIMESTAMP_WINDOW_MS) return 'timestamp is stale';
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Answers the request itself (401, 400, 413, or an empty 200 for a replay) and resolves false, or resolves
 * true with the body read and verified on `req`, where Bolt and shed.ts reuse it. Never rejects.
 */
export async function passDoor(
  deps: DoorDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<boolean> {
  const refused = timestampProblem(header(req, 'x-slack-request-timestamp'), deps.clock.now());
  if (refused) {
    deps.logger.warn({ problem: refused }, 'slack: request refused');
    req.resume();
    HTTPModuleFunctions.buildNoBodyResponse(res, 401);
    return false;
  }
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      { enabled: true, signingSecret: deps.signingSecret, bodyLimit: defaultBodyLimit },
      req,
    );
  } catch (error) {
    const unreadable = HTTPModuleFunctions.isRawBodyError(error);
    deps.logger.warn(
      { problem: error instanceof Error ? error.message : String(error) },
      unreadable ? 'slack: request body unreadable' : 'slack: request signature refused',
    );
    const status = unreadable ? (error.statusCode === 413 ? 413 : 400) : 401;
    HTTPModuleFunctions.buildNoBodyResponse(res, status);
    return false;
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    body = undefined;
  }
  // Bolt reads fields of whatever the body parses to, outside any catch: `null` would end the process.
  if (!isObject(body)) {
    deps.logger.warn(
      { bytes: buffered.rawBody.length },
      'slack: signed request body is not a JSON object; refused',
    );
    HTTPModuleFunctions.buildNoBodyResponse(res, 400);
    return false;
  }
  const signature = header(req, 'x-slack-signature');
  // ssl_check carries no signature (verification passed it with its body cut to `ssl_check=1`).
  if (signature !== undefined && !(await firstSeen(deps, signature))) {
    // Slack treats anything but a 2xx as a failure to retry or to show the user; the first copy was taken,
    // so the copy is acknowledged and dropped.
    deps.logger.warn({}, 'slack: replayed request dropped');
    HTTPModuleFunctions.buildNoBodyResponse(res, 200);
    return false;
  }
  return true;
}

async function firstSeen(deps: DoorDeps, signature: string): Promise<boolean> {
  try {
    return await deps.claims.claim(`slack:request:${signature}`, REPLAY_MEMORY_MS);
  } catch (error) {
    // A store outage must not take Slack down with it; replays are only possible while it lasts.
    deps.logger.warn({ err: error }, 'slack: replay check unavailable; request taken');
    return true;
  }
}

type ProcessEventErrorHandler = typeof HTTPModuleFunctions.defaultProcessEventErrorHandler;

/**
 * Bolt's answer to an error while it processes a signed request. A body that is an object but not shaped
 * like anything Slack sends (an event whose `user` is null, a payload without `team`) makes Bolt's own
 * routing read a property of null: that is the request's fault, so 400 instead of Bolt's 500. Everything
 * else keeps Bolt's answer (401 for authorization, 500 otherwise).
 */
export function malformedBodyAs400(logger: Logger): ProcessEventErrorHandler {
  return async (args) => {
    if (args.error instanceof TypeError && !args.response.headersSent) {
      logger.warn({ problem: args.error.message }, 'slack: signed request body malformed; refused');
      HTTPModuleFunctions.buildNoBodyResponse(args.response, 400);
      return false;
    }
    return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  };
}
