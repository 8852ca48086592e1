// What POST /slack/events must show before its body is read (signature headers, a timestamp within five
// minutes, a size Slack sends), and the bounded read itself. Verifying the signature is left to shed.ts and Bolt.

import type http from 'node:http';
import type { BufferedIncomingMessage } from '@slack/bolt';
import { answerRefusal, BodyRefused, type Intake } from '../intake';

/** Slack's rule: a request whose timestamp differs from now by more than five minutes is refused. */
const MAX_SKEW_MS = 5 * 60_000;
/** Unix seconds as Slack sends them: digits only, so "Infinity", "1e9", " 1" or "-5" never pass. */
const UNIX_SECONDS = /^\d{1,12}$/;

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * Why the request cannot be from Slack, judged from its headers alone (undefined if it may be). Bolt lets an
 * unsigned `ssl_check` through, but Slack signs every request it sends, ssl checks included, so none is lost.
 */
export function signatureHeadersProblem(req: http.IncomingMessage, nowMs: number): string | undefined {
  const signature = header(req, 'x-slack-signature');
  if (!signature?.startsWith('v0=')) return 'no v0 signature';
  const timestamp = header(req, 'x-slack-request-timestamp');
  if (timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return 'no timestamp';
  if (Math.abs(Number(timestamp) * 1000 - nowMs) > MAX_SKEW_MS) return 'timestamp more than five minutes off';
  return undefined;
}

export interface SlackGuardDeps {
  intake: Intake;
  /** The largest body taken (413 above). */
  maxBodyBytes: number;
  now(): number;
  /** Where a request goes once its body is read whole (shed.ts, then Bolt, which reuse the buffered body). */
  next(req: BufferedIncomingMessage, res: http.ServerResponse): void;
}

/** Refuses with 401 what carries no usable signature, then reads the body within the replica's limits. */
export async function guardSlackRequest(
  deps: SlackGuardDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (signatureHeadersProblem(req, deps.now()) !== undefined) {
    // Not logged: a flood of these must cost as little as possible, and each says nothing new.
    res.writeHead(401, { connection: 'close', 'content-length': 0 }).end(() => req.destroy());
    return;
  }
  let body: Buffer;
  try {
    body = await deps.intake.read(req, deps.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyRefused) {
      answerRefusal(res, error);
      return;
    }
    throw error;
  }
  const buffered = req as BufferedIncomingMessage;
  // Bolt's own reader takes a body already buffered here instead of reading the stream again.
  buffered.rawBody = body;
  deps.next(buffered, res);
}
