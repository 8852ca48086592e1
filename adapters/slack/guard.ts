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

/** Why the request cannot be from Slack, judged from its signature headers alone (undefined if it may be). */
export function signatureHeadersProblem(req: http.IncomingMessage, nowMs: number): string | undefined {
  const signature = header(req, 'x-slack-signature');
  if (!signature?.startsWith('v0=')) return 'no v0 signature';
  const timestamp = header(req, 'x-slack-request-timestamp');
  if (timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return 'no timestamp';
  if (Math.abs(Number(timestamp) * 1000 - nowMs) > MAX_SKEW_MS) return 'timestamp more than five minutes off';
  return undefined;
}

/**
 * Slack's ssl_check arrives with no signature headers at all (bolt-js#1397): `ssl_check=1&token=…`, a few dozen
 * bytes of form. Such a request is read up to this many bytes and left to Bolt, which answers an ssl_check and
 * refuses anything else unsigned.
 */
const SSL_CHECK_MAX_BYTES = 256;

function mayBeSslCheck(req: http.IncomingMessage): boolean {
  return (
    req.headers['x-slack-signature'] === undefined &&
    req.headers['x-slack-request-timestamp'] === undefined &&
    req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
    Number(req.headers['content-length']) <= SSL_CHECK_MAX_BYTES
  );
}

export interface SlackGuardDeps {
  intake: Intake;
  /** The largest body taken (413 above). */
  maxBodyBytes: number;
  now(): number;
  /** Where a request goes once its body is read whole (shed.ts, then Bolt, which reuse the buffered body). */
  next(req: BufferedIncomingMessage, res: http.ServerResponse): void;
}

/** Refuses with 401 what carries no usable signature (but an ssl_check), then reads the body within the limits. */
export async function guardSlackRequest(
  deps: SlackGuardDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const unsigned = signatureHeadersProblem(req, deps.now()) !== undefined;
  if (unsigned && !mayBeSslCheck(req)) {
    // Not logged: a flood of these must cost as little as possible, and each says nothing new.
    res.writeHead(401, { connection: 'close', 'content-length': 0 }).end(() => req.destroy());
    return;
  }
  let body: Buffer;
  try {
    body = await deps.intake.read(req, unsigned ? SSL_CHECK_MAX_BYTES : deps.maxBodyBytes);
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
